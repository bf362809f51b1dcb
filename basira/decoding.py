"""Bytes to text for uploaded and scraped files: BOMs, BOM-less UTF-16, Windows-1256, binary junk."""

from __future__ import annotations

import html
import re

from basira.normalize import arabic_ratio

# Judging a legacy encoding looks at this much text; enough to be sure, cheap on a 50 MB file.
_SAMPLE_BYTES = 64 * 1024

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"PK\x03\x04", "ZIP archive (also .xlsx/.docx)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
)
_ASCII_BYTES = bytes(range(0x80))
_CONTROL = re.compile("[\u0000-\u0008\u000e-\u001f]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_BREAK_TAGS = re.compile(r"<br\s*/?>|</p\s*>|<p(?:\s[^<>]*)?>", re.IGNORECASE)


class DecodeError(ValueError):
    """Bytes that are not an article's text. `reason` is a Rejection code: "empty", "binary" or "undecodable"."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _mostly_text(text: str) -> bool:
    sample = text[:_SAMPLE_BYTES]
    return len(_CONTROL.findall(sample)) * 100 <= len(sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """ASCII characters (spaces, digits, newlines) put a NUL in every other byte of UTF-16; Arabic letters none.
    So text has NULs on one byte parity only, while binary files have them everywhere."""
    sample = data[:_SAMPLE_BYTES]
    units = len(sample) // 2
    if units == 0 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, stray, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls * 50 >= units and stray * 100 <= nuls:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if _mostly_text(text) else None
    return None


def _lossy_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut last character, a stray Latin-1 byte): keep it, marked."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(data) - len(text)
    return text if multibyte >= 10 and bad <= max(1, multibyte // 100) else None


def _plausible_arabic(text: str) -> bool:
    """Windows-1256 decodes any byte, so judge the result: mostly Arabic letters, and not UTF-8 misread,
    which shows as a run of \u0637/\u0638 (the bytes D8/D9 that lead every UTF-8 Arabic letter)."""
    sample = text[:_SAMPLE_BYTES]
    if arabic_ratio(sample) < 0.6:
        return False
    letters = len(_ARABIC_LETTER.findall(sample))
    lead_bytes = sample.count("\u0637") + sample.count("\u0638")
    return lead_bytes * 4 < letters


def _legacy(data: bytes) -> tuple[str, str] | None:
    text = data.decode("cp1256")
    if _plausible_arabic(text):
        return text, "cp1256"
    sample = data[:_SAMPLE_BYTES]
    non_ascii = len(sample.translate(None, _ASCII_BYTES))
    if non_ascii * 5 <= len(sample):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return None
    return None


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec
            except UnicodeDecodeError as e:
                detail = f"starts with a {codec} byte-order mark but is not {codec}: {e.reason}"
                raise DecodeError("undecodable", detail) from e
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError("binary", f"this is a {kind}, not text")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise DecodeError("binary", "contains NUL bytes that are not UTF-16 text")
        return utf16
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 full of control characters is binary, or UTF-16 Arabic with no ASCII to leave a NUL.
        if not _mostly_text(text):
            raise DecodeError("binary", "mostly control characters, not text")
        return text, "utf-8"
    lossy = _lossy_utf8(data)
    if lossy is not None:
        return lossy, "utf-8-lossy"
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    raise DecodeError("undecodable", "not UTF-8, UTF-16 or Windows-1256 Arabic text")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Encoding names: utf-8, utf-8-sig, utf-8-lossy (a few bad bytes became U+FFFD),
    utf-16-le, utf-16-be, utf-32-le, utf-32-be, cp1256, cp1252. Raises DecodeError."""
    if not data:
        raise DecodeError("empty", "the file is empty")
    text, encoding = _decode(data)
    if not text or text.isspace():
        raise DecodeError("empty", "the file holds only white space")
    return text, encoding


def unescape_html(text: str) -> str:
    """Resolve character entities (&#8220; &quot; &amp;) and turn <br> and <p>/</p> into line breaks.

    Every other tag stays as literal text: a plain-text field saying <script> is quoted, never run or dropped,
    and the page escapes it when displayed. Tags are handled before entities so "&lt;br&gt;" stays literal.
    """
    if "<" in text:
        text = _BREAK_TAGS.sub("\n", text)
    if "&" in text:
        text = html.unescape(text)
    return text
