"""Split an article body into paragraphs (lines) and sentences with exact offsets into the raw text."""

from __future__ import annotations

import re
from collections.abc import Callable

from basira.boilerplate import AFTER_ARTICLE, LineContext
from basira.model import Sentence
from basira.normalize import normalize_text

BoilerplateRule = Callable[[str, str, LineContext], str | None]
# Given every sentence's normalised text, the index of the first sentence after the article's end (None: no end seen).
ArticleEndRule = Callable[[list[str]], int | None]

# The version of where split_sentences cuts. A store records the one its sentences were cut by (meta
# 'sentence_rules', absent: "1") and `retag` cuts an older store's articles again (ingest.resplit); so any change to
# the cuts must bump it. The content hash and paragraph fingerprints do not depend on the cuts.
RULES = "2"

_MARK = "[.!?\u061f\u061b\u2026]"
_CLOSERS = "\"'\u201d\u2019\u00bb)\\]"
# A run of final marks (pre-tokenised text writes ". . ." with spaces), then closing quotes, then space or line end.
# Requiring the space keeps decimals (3.5), URLs and dotted initials inside a sentence.
_TERMINATOR = re.compile(_MARK + r"(?:\s?" + _MARK + ")*[" + _CLOSERS + r"]*(?=\s|$)")
# Some sites glue the next sentence to the full stop ("عن سببه.وقال المرصد", "مستمرة».وأضاف": 438 in the corpora,
# almadina, aljazirah, alriyadh...): a mark between an Arabic word (or a closing quote) and an Arabic letter ends a
# sentence too, unless a side is one or two letters, a dotted abbreviation ("سي.بي.إس", "أ.ف.ب", "د.محمد", "محمد.أ").
_GLUED_END = re.compile(r"(?<=[\u0621-\u064a\u00bb\u201d\"])[.!?\u061f](?=[\u0621-\u064a])")
_ARABIC_WORD_BEFORE = re.compile(r"[\u0621-\u064a\u064b-\u0652\u0640]*$")
_ARABIC_WORD_AFTER = re.compile(r"[\u0621-\u064a\u064b-\u0652\u0640]*")
# A listing page strings items on one line, each opening with its time ("... لن يلتقي المسؤولين 2018 - 01 - 20 06 :
# 52 : 41 طالب الأمين العام ...": panet.co.il, 315 in the corpora): the time stamp starts a sentence.
_STAMP = re.compile(r"(?<=\S )(?:19|20)\d\d - \d\d - \d\d \d\d : \d\d : \d\d(?= )")
_OPENS = {"\u00ab": "\u00bb", "\u201c": "\u201d"}


def _is_abbreviation(text: str, sentence_start: int, mark_start: int) -> bool:
    """A lone period after a single letter ("\u062f. \u0645\u062d\u0645\u062f", "U.S.") or after a list
    number opening the sentence ("1.") does not end a sentence; a year suffix ("2017 \u0645.") does."""
    before = text[sentence_start:mark_start].lstrip()
    if len(before) <= 2 and before.isdigit():
        return True
    if mark_start - sentence_start < 2 or not text[mark_start - 1].isalpha():
        return False
    if text[mark_start - 2].isalnum():
        return False
    return not (mark_start - 3 >= sentence_start and text[mark_start - 3].isdigit())


def _in_quote(text: str, start: int, at: int) -> bool:
    """Is offset `at` inside a quotation opened since `start` and not closed («...», “...”, "...")?"""
    part = text[start:at]
    return part.count('"') % 2 == 1 or any(part.count(o) > part.count(c) for o, c in _OPENS.items())


def _glued_cuts(text: str, start: int, end: int) -> list[int]:
    """Where a sentence glued to the mark before it (_GLUED_END) or a listing's time stamp (_STAMP) begins, outside
    quotations: these cut a line only where they are found, so a line without them splits as before."""
    cuts = []
    for m in _GLUED_END.finditer(text, start, end):
        at = m.start()
        before = _ARABIC_WORD_BEFORE.search(text, start, at).group()
        after = _ARABIC_WORD_AFTER.match(text, at + 1, end).group()
        if (len(before) > 2 or text[at - 1] in _CLOSERS) and len(after) > 2 and not _in_quote(text, start, at):
            cuts.append(at + 1)
    cuts.extend(m.start() for m in _STAMP.finditer(text, start, end) if not _in_quote(text, start, m.start()))
    return cuts


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within one line, trimmed of surrounding white space."""
    spans = []
    pos = start
    cuts = []
    for m in _TERMINATOR.finditer(text, start, end):
        cut = m.end()
        mark_start = m.start()
        if cut - mark_start == 1 and text[mark_start] == "." and _is_abbreviation(text, pos, mark_start):
            continue
        cuts.append(cut)
        pos = cut
    glued = _glued_cuts(text, start, end)
    if glued:
        cuts = sorted(set(cuts) | set(glued))
    pos = start
    for cut in cuts:
        if cut > pos:
            _add_span(spans, text, pos, cut)
            pos = cut
    _add_span(spans, text, pos, end)
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, a: int, b: int) -> None:
    segment = text[a:b]
    stripped = segment.strip()
    if stripped:
        a += segment.find(stripped[0])
        spans.append((a, a + len(stripped)))


def _normalize_many(raws: list[str]) -> list[str]:
    # One normalize_text call over the joined sentences is several times faster than one per sentence;
    # sentences hold no line breaks, so the join splits back one-to-one unless a stray \r adds a break.
    norms = normalize_text("\n".join(raws)).split("\n")
    if len(norms) == len(raws):
        return norms
    return [normalize_text(r) for r in raws]


def _paragraph_spans(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    paragraphs = []
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        if line and not line.isspace():
            spans = _line_spans(text, offset, end)
            if spans:
                paragraphs.append((offset, end, spans))
        offset = end + 1
    return paragraphs


def _split(text_raw: str) -> tuple[list[tuple[int, int, list[tuple[int, int]]]], list[str], list[str]]:
    """The paragraphs of `text_raw` with their sentence spans, and each sentence's raw and normalised text."""
    paragraphs = _paragraph_spans(text_raw)
    raws = [text_raw[a:b] for _, _, spans in paragraphs for a, b in spans]
    return paragraphs, raws, _normalize_many(raws) if raws else []


def paragraph_norms(text_raw: str) -> list[str]:
    """The normalised text of each paragraph split_sentences finds (its non-blank lines), in order, with runs of
    white space one space: the paragraph's sentences rejoined (normalize.rejoined_norms) without splitting them.
    All that an article's content hash and paragraph fingerprints read (the ingest's read-ahead computes only
    those)."""
    lines = [line for line in text_raw.split("\n") if line and not line.isspace()]
    if not lines:
        return []
    norms = normalize_text("\n".join(lines)).split("\n")
    if len(norms) == len(lines):
        return norms
    # A stray \r made a line two (see _normalize_many): each line is one line of the rejoined form all the same.
    return [" ".join(normalize_text(line).split()) for line in lines]


def split_sentences(
    text_raw: str, boilerplate: BoilerplateRule | None = None, article_end: ArticleEndRule | None = None
) -> list[Sentence]:
    """Sentences of `text_raw` in order; `text_raw[s.start:s.end] == s.text_raw` always holds.

    `boilerplate(line_raw, line_norm, context)` returns a reason code or None; a flagged line flags
    all of its sentences (see boilerplate.classify_line). `article_end(norms)` gives the first sentence past the
    end of the article (see boilerplate.article_end); it and every later sentence not already flagged get the
    reason boilerplate.AFTER_ARTICLE.
    """
    paragraphs, raws, norms = _split(text_raw)

    line_norms = []
    i = 0
    for _, _, spans in paragraphs:
        line_norms.append(" ".join(n for n in norms[i : i + len(spans)] if n))
        i += len(spans)

    reasons: list[str | None] = [None] * len(paragraphs)
    if boilerplate is not None:
        count = len(paragraphs)
        for p, (start, end, _) in enumerate(paragraphs):
            context = LineContext(
                index=p,
                count=count,
                prev_norm=line_norms[p - 1] if p else "",
                next_norm=line_norms[p + 1] if p + 1 < count else "",
            )
            reasons[p] = boilerplate(text_raw[start:end], line_norms[p], context)

    end = article_end(norms) if article_end is not None and norms else None
    sentences = []
    seq = 0
    for p, (_, _, spans) in enumerate(paragraphs):
        for a, b in spans:
            reason = reasons[p]
            if reason is None and end is not None and seq >= end:
                reason = AFTER_ARTICLE
            sentences.append(Sentence(seq, p, a, b, raws[seq], norms[seq], reason is not None, reason))
            seq += 1
    return sentences
