"""Bytes to text: every encoding is produced inside the test from one known Arabic text."""

from __future__ import annotations

import pytest

from basira.decoding import DecodeError, decode_bytes, unescape_html

ARABIC = 'قال وزير الداخلية أنس خطاب إن الأمن العام أفرج عن 120 معتقلاً من سجن صيدنايا.\nوأضاف: "لا عودة".'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "utf-8-sig"),
        (ARABIC.encode("cp1256"), "cp1256"),
        (ARABIC.encode("utf-16"), "utf-16-le"),
        (b"\xff\xfe" + ARABIC.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + ARABIC.encode("utf-16-be"), "utf-16-be"),
        (ARABIC.encode("utf-16-le"), "utf-16-le"),
        (ARABIC.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + ARABIC.encode("utf-32-le"), "utf-32-le"),
    ],
    ids=["utf8", "utf8-bom", "cp1256", "utf16-native-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom",
         "utf16be-no-bom", "utf32le-bom"],
)
def test_decodes_to_the_same_text(data, encoding):
    assert decode_bytes(data) == (ARABIC, encoding)


def test_crlf_is_kept_for_the_cleaner():
    data = ARABIC.replace("\n", "\r\n").encode("cp1256")
    text, encoding = decode_bytes(data)
    assert (text, encoding) == (ARABIC.replace("\n", "\r\n"), "cp1256")


def test_a_few_broken_utf8_bytes_are_replaced_not_misread_as_cp1256():
    data = ARABIC.encode("utf-8") + b"\xd8"  # the last character cut in half
    assert decode_bytes(data) == (ARABIC + "\ufffd", "utf-8-lossy")


def test_mostly_ascii_latin1_text():
    assert decode_bytes("café au lait, déjà vu".encode("cp1252")) == ("café au lait, déjà vu", "cp1252")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\xef\xbb\xbf \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary"),
        (bytes(range(256)) * 8, "binary"),
        (b"text with a \x00 NUL but odd", "binary"),
        (b"\xef\xbb\xbf\xd8\x00", "undecodable"),
        ("éàèùâêîôûç".encode("latin-1") * 4, "undecodable"),
        ("سوريا".encode("utf-16-le") * 4, "binary"),
    ],
    ids=["empty", "white-space", "bom-only", "bom-and-space", "png", "zip", "pdf", "jpeg", "random-binary",
         "nul-in-ascii", "bad-after-bom", "accented-latin1", "utf16-without-ascii"],
)
def test_rejects(data, reason):
    with pytest.raises(DecodeError) as error:
        decode_bytes(data)
    assert error.value.reason == reason
    assert error.value.detail


def test_utf8_arabic_misread_is_not_accepted_as_cp1256():
    # Every other byte corrupted: not UTF-8, and as cp1256 it would be a run of the UTF-8 lead bytes.
    broken = bytearray(ARABIC.encode("utf-8"))
    for i in range(5, len(broken), 7):
        broken[i] = 0x41
    with pytest.raises(DecodeError) as error:
        decode_bytes(bytes(broken))
    assert error.value.reason == "undecodable"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("داود أوغلو يتوعد داعش بعد &#8220;تفجير سروج&#8221;", "داود أوغلو يتوعد داعش بعد “تفجير سروج”"),
        ("&quot;الأمن&quot; &amp; &lt;العدالة&gt; &#x27;x&#x27; &nbsp;", "\"الأمن\" & <العدالة> 'x' \u00a0"),
        ("سطر<br>سطر<br/>سطر<BR />سطر", "سطر\nسطر\nسطر\nسطر"),
        ("<p>فقرة أولى</p><p class=\"lead\">فقرة ثانية</p>", "\nفقرة أولى\n\nفقرة ثانية\n"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<b>عريض</b> <a href='x'>رابط</a>", "<b>عريض</b> <a href='x'>رابط</a>"),
        ("&lt;br&gt; stays literal", "<br> stays literal"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("<pre>kept</pre> <param>", "<pre>kept</pre> <param>"),
        ("no markup", "no markup"),
        ("", ""),
    ],
)
def test_unescape_html(raw, expected):
    assert unescape_html(raw) == expected
