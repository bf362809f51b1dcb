"""Arabic text normalisers: small pure functions, each idempotent.

Raw text is always stored as well; these forms exist only for matching and search.
Code points are written as escapes so the intent survives editors that reorder RTL text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# The matching form's version. A store records the version its normalised text, content hashes, paragraph
# fingerprints and search index were made with, and `retag` remakes them all when it differs; so any change to
# what normalize_text returns must bump it (tests/test_normalize.py holds a digest of sample outputs to see to it),
# and the data files keyed by folded words must be rebuilt by their eval/ scripts (README, "Arabic text").
VERSION = "2"

# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = re.compile("\u0640")
# Bidi controls, zero-width characters, soft hyphen and BOM: invisible in a browser but they break string equality.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ALEF_FORMS = re.compile("[\u0622\u0623\u0625\u0671\u0672\u0673]")
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
# A word character: what tokenize, word_bounds and the search's highlights agree a word is made of.
_WORD_CHARS = r"[\w\u0600-\u06ff]"
_WORD = re.compile(_WORD_CHARS + "+")

# Arabic-Indic (U+0660..) and Persian/Urdu (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)
# Arabic comma/semicolon/question mark and percent sign to their Latin twins so patterns stay simple.
_PUNCTUATION = str.maketrans("\u060c\u061b\u061f\u066a\u066b\u066c", ",;?%.,")
# Persian/Urdu letter forms common in scraped Arabic text.
_PERSIAN_LETTERS = str.maketrans("\u06a9\u06cc\u06c1\u06d5", "\u0643\u064a\u0647\u0647")


def strip_diacritics(text: str) -> str:
    return _DIACRITICS.sub("", text)


def strip_tatweel(text: str) -> str:
    return _TATWEEL.sub("", text)


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def strip_control(text: str) -> str:
    """Drop C0 control characters (NUL included) except tab, newline and carriage return."""
    return _CONTROL.sub("", text)


def normalize_alef(text: str) -> str:
    """Fold hamzated and madda alef forms to bare alef (\u0627)."""
    return _ALEF_FORMS.sub("\u0627", text)


def normalize_alef_maqsura(text: str) -> str:
    """Fold alef maqsura (\u0649) to yeh (\u064a); scraped text mixes them freely at word ends."""
    return text.replace("\u0649", "\u064a")


def normalize_teh_marbuta(text: str) -> str:
    """Fold teh marbuta (\u0629) to heh (\u0647), for matching only."""
    return text.replace("\u0629", "\u0647")


def normalize_hamza_before_waw(text: str) -> str:
    """Write hamza on waw before waw (\u0624\u0648: مسؤول، شؤون) as hamza on yeh (\u0626\u0648: مسئول، شئون).

    Both spellings are standard, in different countries' papers (in the corpora, 1 in 10 "responsible" is
    مسئول), and folding each carrier to its own letter kept them apart. The fold goes towards yeh because the
    words standardly spelt with \u0626\u0648 (لاجئون، مئوية) share their stem with forms on yeh (لاجئين، مئة).
    Applied after diacritics are stripped, so that a damma between the two letters does not hide the pair.
    """
    return text.replace("\u0624\u0648", "\u0626\u0648")


def normalize_hamza_carriers(text: str) -> str:
    """Fold hamza on waw (\u0624) and on yeh (\u0626) to the bare carrier."""
    return text.replace("\u0624", "\u0648").replace("\u0626", "\u064a")


def _replace_chars(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    # str.translate is ~100x slower than a guarded str.replace on non-ASCII text; ingest runs these on every article.
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def _pairs(table: dict[int, int]) -> tuple[tuple[str, str], ...]:
    return tuple((chr(k), chr(v)) for k, v in table.items())


_DIGIT_PAIRS = _pairs(_DIGITS)
_PUNCTUATION_PAIRS = _pairs(_PUNCTUATION)
_PERSIAN_PAIRS = _pairs(_PERSIAN_LETTERS)


def normalize_digits(text: str) -> str:
    return _replace_chars(text, _DIGIT_PAIRS)


def normalize_punctuation(text: str) -> str:
    return _replace_chars(text, _PUNCTUATION_PAIRS)


def normalize_persian_letters(text: str) -> str:
    return _replace_chars(text, _PERSIAN_PAIRS)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def collapse_spaces(text: str) -> str:
    """Collapse runs of horizontal white space to one space, keeping line breaks."""
    if _already_collapsed(text):
        return text
    # Per line, str.split() splits on the same white space as [^\S\n]+ and also strips, in C: ~4x faster than a regex.
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _already_collapsed(text: str) -> bool:
    # The space is the only printable white space character, so a printable text (newlines aside) holds no tabs,
    # no-break or other exotic spaces; normalize_text re-collapses clean text, and this makes that nearly free.
    return (
        "  " not in text
        and " \n" not in text
        and "\n " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
        and text.replace("\n", " ").isprintable()
    )


def clean_raw(text: str) -> str:
    """The light clean applied to stored raw text: still what the author wrote, minus invisible junk.

    NFC composes lam-alef and hamza sequences consistently; tatweel and diacritics are kept because
    they are what the analyst reads.
    """
    # Compose after stripping: a removed control or zero-width character between a letter and its mark
    # would otherwise leave a sequence that NFC composes on the next pass (clean_raw must be idempotent).
    text = _JUNK.sub("", normalize_newlines(text))  # strip_invisible(strip_control(text)) in one pass
    return collapse_spaces(unicodedata.normalize("NFC", text))


def _build_combining_class() -> re.Pattern[str]:
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)) and not 0xD800 <= c < 0xE000]
    return re.compile("[" + "".join(re.escape(m) for m in marks) + "]")


# Every combining mark of the BMP (Arabic harakat included). The matching form drops them all: dropping only
# some would leave a letter beside a mark that NFC composes on a second pass, and the form must be idempotent.
_COMBINING = _build_combining_class()


# Character sets that normalize_text and clean_raw drop, each as one class (see there).
_UNMARKED = re.compile(_DIACRITICS.pattern[:-1] + "\u0640" + _COMBINING.pattern[1:])
_JUNK = re.compile(_CONTROL.pattern[:-1] + _INVISIBLE.pattern[1:])
# normalize_alef as guarded replaces: hamzated alef is in nearly every article, a regex pass costs 3x as much.
_ALEF_PAIRS = tuple((form, "\u0627") for form in "\u0622\u0623\u0625\u0671\u0672\u0673")


def normalize_text(text: str) -> str:
    """The matching form: every fold applied. Offsets do not survive this; match per sentence."""
    text = clean_raw(text)
    # Diacritics, tatweel and combining marks are all dropped whatever surrounds them: one pass drops the three
    # sets (three passes over every article cost more than the rest of this function).
    text = _UNMARKED.sub("", text)
    text = normalize_persian_letters(_replace_chars(text, _ALEF_PAIRS))
    text = normalize_hamza_carriers(normalize_hamza_before_waw(normalize_alef_maqsura(normalize_teh_marbuta(text))))
    text = normalize_punctuation(normalize_digits(text))
    return collapse_spaces(text.lower())


def rejoined_norms(pieces: Iterable[tuple[int, int, str]]) -> str:
    """The normalised text of consecutive pieces of one raw text, given as (start, end, text_norm) in order (the
    sentences of an article or a paragraph), as one line: a space where white space (a line break too) parted two
    pieces in the raw text, nothing where a cut fell between two characters, runs of spaces collapsed. The folds
    are per character, so this is the raw text's normalize_text with every white space run one space, wherever
    the sentence splitter cut it: what content hashes and paragraph fingerprints read."""
    parts: list[str] = []
    end = None
    for start, stop, norm in pieces:
        if end is not None and start != end:
            parts.append(" ")
        parts.append(norm)
        end = stop
    return " ".join("".join(parts).split())


_WORD_CHAR = re.compile(_WORD_CHARS)


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the whole words it cuts: a match found inside a longer word (a phrase inside
    "والضباط المنشقين", a topic pattern that starts at a letter and so inside "الاكاديمية") is shown whole, not as a
    mark that splits the word on screen."""
    while start > 0 and _WORD_CHAR.match(text, start - 1):
        start -= 1
    while end < len(text) and _WORD_CHAR.match(text, end):
        end += 1
    return start, end


def word_matches(text: str) -> Iterator[re.Match[str]]:
    """The word tokens of an already normalised text with their offsets (for highlighting)."""
    return _WORD.finditer(text)


def tokenize(text: str) -> list[str]:
    """Word tokens of an already normalised text."""
    return _WORD.findall(text)


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic; used to spot mis-decoded or non-Arabic input."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return arabic / len(letters)


_FOLD = str.maketrans(
    {
        **{c: "\u0627" for c in "\u0622\u0623\u0625\u0671\u0672\u0673"},
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u0624": "\u0648",
        "\u0626": "\u064a",
    }
)
_DROPPED = re.compile(_DIACRITICS.pattern[:-1] + "\u0640" + _INVISIBLE.pattern[1:])


def _spelling_classes() -> dict[str, str]:
    """Each letter normalize_text folds others into -> a regex class of every letter it stands for."""
    classes: dict[str, set[str]] = {}
    for table in (_FOLD, _PERSIAN_LETTERS):
        for source, target in table.items():
            letter = target if isinstance(target, str) else chr(target)
            classes.setdefault(letter, {letter}).add(chr(source))
    classes["\u064a"].add("\u0624")  # hamza on waw before waw is written on yeh (normalize_hamza_before_waw)
    return {target: "[" + "".join(sorted(letters)) + "]" for target, letters in classes.items()}


_SPELLINGS = _spelling_classes()


def spelling_pattern(text: str) -> str:
    """A regular expression (Python and RE2 syntax, for DuckDB's regexp_matches) that finds `text` in raw or
    normalised text however its alef, hamza carriers, teh marbuta and alef maqsura are written: "إدارة" finds
    "إدارة", "ادارة" and the normalised "اداره". Matching is on normalize_text(text), so diacritics and tatweel in
    `text` do not matter; in the searched text they do (names are stored without them)."""
    return "".join(_SPELLINGS.get(c) or re.escape(c) for c in normalize_text(text))


def _dropped(c: str) -> bool:
    return bool(_DROPPED.match(c) or _CONTROL.match(c) or _COMBINING.match(c))


def _fold_char(c: str) -> str:
    if _dropped(c):
        return ""
    c = c.translate(_FOLD).translate(_PERSIAN_LETTERS).translate(_DIGITS).translate(_PUNCTUATION)
    return c.lower()


def _waw_follows(raw: str, i: int) -> bool:
    """Whether the next character after raw[i] that normalize_text keeps is waw (see normalize_hamza_before_waw)."""
    for c in raw[i + 1 :]:
        if not _dropped(c):
            return c == "\u0648"
    return False


def normalize_with_offsets(raw: str) -> tuple[str, list[int]]:
    """normalize_text for one line of already-clean raw text, plus the raw index of every output char.

    Slow (per character) by design: used to map a match found on normalised text back to the raw
    span a reader highlights, never in bulk ingest.
    """
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(raw):
        folded = "\u064a" if c == "\u0624" and _waw_follows(raw, i) else _fold_char(c)
        for f in folded:
            if f.isspace() and f != "\n" and (not out or out[-1] in " \n"):
                continue
            if f == "\n" and out and out[-1] == " ":
                out.pop()
                where.pop()
            out.append(" " if f.isspace() and f != "\n" else f)
            where.append(i)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def as_read(raw: str, norm: str) -> str | None:
    """The letters of `raw` (one line) behind each character of `norm`, its normalize_text form: the text as read,
    hamza, taa marbuta and alef forms as written, without diacritics, tatweel or invisible marks; so a span of
    `norm` is the same span of the result. None if the two do not pair up (`norm` is of another version); where
    only the letters differ, the result is as long as `norm` but reads otherwise (callers compare what they read)."""
    plain = _UNMARKED.sub("", raw)
    if len(plain) == len(norm):
        return plain  # nearly every line (stored raw text is clean already): the folds keep one character per character
    raw = clean_raw(raw)
    text, where = normalize_with_offsets(raw)
    return "".join(raw[i] for i in where) if text == norm else None


def raw_span(raw: str, norm_start: int, norm_end: int) -> tuple[int, int]:
    """Map a [start, end) span on normalize_text(raw) back to a span on raw."""
    _, where = normalize_with_offsets(raw)
    if not where or norm_start >= len(where) or norm_end <= norm_start:
        return (0, 0)
    return where[norm_start], where[min(norm_end, len(where)) - 1] + 1
