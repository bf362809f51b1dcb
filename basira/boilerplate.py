"""Spot page clutter among an article's lines (paragraphs): captions, hashtags, menus, related-article links.

Each rule works on the normalised line (see normalize.normalize_text) and returns a short reason code.
Flagged lines stay in the article; analysis just skips them. Phrases live in data/boilerplate.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from basira.model import Sentence
from basira.normalize import normalize_text, rejoined_norms

_DATA = Path(__file__).parent / "data" / "boilerplate.json"

SOCIAL_CAPTION = "social_caption"
HASHTAGS = "hashtags"
NAVIGATION = "navigation"
RELATED_LINK = "related_link"
AFTER_ARTICLE = "after_article"
REPEATED_PARAGRAPH = "repeated_paragraph"

# A paragraph found word for word (normalised) in this many pages of one site is a sidebar, teaser or ticker of that
# site, not the content of any of them. Pages, not articles: a page scraped again with a changed counter or date is
# another article but the same page (its URL), and must not make its own paragraphs look repeated. Shorter paragraphs are not counted: datelines, bylines and formulae
# ("وقال:") recur in real bodies and never hold the evidence of a topic on their own.
REPEAT_MIN_PAGES = 3
REPEAT_MIN_WORDS = 8

_SHORT_LINE_WORDS = 15
_MENU_LINE_WORDS = 12
_LINK_MIN_WORDS = 5
_LINK_MAX_WORDS = 12
_BODY_MIN_WORDS = 12

# Closing quotes and brackets that may follow a sentence's final mark.
_CLOSERS = "\"'\u201d\u2019\u00bb)] "
# Final marks after normalize_text (Arabic question mark, semicolon and comma are already Latin).
_FINAL_MARKS = frozenset(".!?:;,\u2026")
_LEADING_BULLETS = "-\u2013\u2014\u2022*>\u00bb|:\u00b7 "
_SEPARATORS = re.compile("\\s*[|\u2022\u00b7]\\s*")

_SOCIAL = re.compile(r"\bposted by\b.{1,160}?\bon\b|pic\.twitter\.com|\(@\w+\)")


@dataclass(frozen=True)
class LineContext:
    """Where a line sits among the article's non-blank lines, with its neighbours' normalised text."""

    index: int
    count: int
    prev_norm: str = ""
    next_norm: str = ""


def _norm_set(values: list[str]) -> tuple[str, ...]:
    return tuple(sorted({normalize_text(v) for v in values}, key=len, reverse=True))


def _load() -> dict[str, tuple[str, ...]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {key: _norm_set(values) for key, values in data.items() if not key.startswith("_")}


_PHRASES = _load()
_COPYRIGHT_ANYWHERE = _PHRASES["copyright_anywhere"]
_COPYRIGHT_SHORT = _PHRASES["copyright_short_line"]
_PREFIXES = _PHRASES["line_prefixes"]
_GLUED_BODY_PREFIXES = _PHRASES["glued_body_prefixes"]
_BODY_CONTINUATIONS = frozenset(_PHRASES["body_continuations"])
_GLUED_BODY_MIN_WORDS = 12
_MENU = re.compile(
    r"(?<!\S)(?:" + "|".join(re.escape(p) for p in _PHRASES["menu_words"]) + r")(?!\S)"
)
# A comments widget ends the article; "to view this video please enable javascript" is a player inside it.
_ARTICLE_END = re.compile(
    "(?:" + "|".join(re.escape(p) for p in _PHRASES["article_end_markers"]) + ")(?!\\W*(?:video|فيديو))"
)
# The longest word of each marker: the regex runs only on articles holding one (a regex scan of every article cost
# more than the rest of article_end; str's substring search is much faster).
_ARTICLE_END_ANCHORS = tuple({max(p.split(), key=len) for p in _PHRASES["article_end_markers"]})
BYLINE_PREFIXES = _PHRASES["byline_prefixes"]
FUNCTION_WORDS = frozenset(_PHRASES["function_words"])
_WORD = re.compile(r"[^\W_]+")
# Conjunction and article clitics (wa-, al-, bi-l-, li-l-, ...) so "wa-l-amn" and "al-amn" compare equal;
# stems are compared exactly otherwise.
_CLITICS = re.compile(
    "^(?:\u0648?(?:\u0628\u0627\u0644|\u0643\u0627\u0644|\u0641\u0627\u0644|\u0644\u0644|\u0627\u0644)|\u0648(?=...))"
)
_LIST_MARKER = re.compile("[*\\-\u2022\u00b7]|\\(?\\d{1,2}[).\\-]")


def menu_phrases() -> tuple[str, ...]:
    """The menu words and phrases (normalised), longest first."""
    return _PHRASES["menu_words"]


def opening_phrases(key: str) -> tuple[str, ...]:
    """The phrases (normalised, longest first) of one opening_* list, for basira.untitled."""
    return _PHRASES[key]


def word_count(norm: str) -> int:
    return norm.count(" ") + 1 if norm else 0


def ends_with_mark(norm: str) -> bool:
    """Whether a normalised line ends with final punctuation, looking past closing quotes and brackets."""
    stripped = norm.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL_MARKS


def is_social_caption(norm: str) -> bool:
    # Substring tests first: a regex scan of every line costs more than all the other rules together.
    if "posted by" not in norm and "twitter.com" not in norm and "(@" not in norm:
        return False
    return _SOCIAL.search(norm) is not None


def is_hashtag_line(norm: str) -> bool:
    if norm.count("#") < 2:
        return False
    words = norm.split()
    tags = sum(1 for w in words if w.startswith("#") and len(w) > 1)
    return tags >= 3 or tags * 10 >= len(words) * 3


def _contains_any(norm: str, phrases: tuple[str, ...]) -> bool:
    for phrase in phrases:
        if phrase in norm:
            return True
    return False


def _is_copyright(norm: str, words: int) -> bool:
    if _contains_any(norm, _COPYRIGHT_ANYWHERE):
        return True
    return words <= _SHORT_LINE_WORDS and _contains_any(norm, _COPYRIGHT_SHORT)


def _glued_body(rest: str) -> bool:
    """The text after a "read more" label is a body paragraph the scraper glued to it: it goes on with a narrative
    continuation ("وقال", "وفي", "وكان"...), is long, and ends a sentence (a teaser is a headline, or a lede cut off
    with an ellipsis, ". . ." in pre-tokenised text)."""
    rest = rest.lstrip(" :-")
    first = rest.split(" ", 1)[0]
    tail = rest.rstrip(_CLOSERS)[-6:].replace(" ", "")
    return (
        first in _BODY_CONTINUATIONS
        and word_count(rest) >= _GLUED_BODY_MIN_WORDS
        and ends_with_mark(rest)
        and not tail.endswith(("..", "\u2026"))
    )


def _starts_with_clutter(norm: str) -> bool:
    head = norm.lstrip(_LEADING_BULLETS)
    if not head.startswith(_PREFIXES):
        return False
    for prefix in _PREFIXES:
        if head.startswith(prefix):
            rest = head[len(prefix) : len(prefix) + 1]
            if not rest or not rest.isalnum():
                return not (prefix in _GLUED_BODY_PREFIXES and _glued_body(head[len(prefix) :]))
    return False


def _is_menu(norm: str, words: int) -> bool:
    if words > _MENU_LINE_WORDS:
        return False
    segments = [s for s in _SEPARATORS.split(norm) if s]
    if len(segments) >= 3 and words <= 3 * len(segments):
        return True
    left = _MENU.sub(" ", _SEPARATORS.sub(" ", norm)).split()
    return not [w for w in left if any(c.isalnum() for c in w)]


def is_navigation(norm: str) -> bool:
    words = word_count(norm)
    return _is_copyright(norm, words) or _starts_with_clutter(norm) or _is_menu(norm, words)


def _content_words(norm: str) -> set[str]:
    words = set()
    for word in _WORD.findall(norm):
        if word in FUNCTION_WORDS:
            continue
        stem = _CLITICS.sub("", word)
        if len(stem) >= 3 and stem not in FUNCTION_WORDS:
            words.add(stem)
    return words


def is_related_link(norm: str, context: LineContext) -> bool:
    """A short unpunctuated headline between two body paragraphs that shares no content word with them: a scraped
    link to another story. A crosshead (subheading) looks the same but echoes words of its section, so it stays."""
    words = word_count(norm)
    if not _LINK_MIN_WORDS <= words <= _LINK_MAX_WORDS or ends_with_mark(norm) or _LIST_MARKER.match(norm):
        return False
    if word_count(context.prev_norm) < _BODY_MIN_WORDS or word_count(context.next_norm) < _BODY_MIN_WORDS:
        return False
    neighbours = _content_words(context.prev_norm) | _content_words(context.next_norm)
    return not _content_words(norm) & neighbours


def article_end(sentence_norms: list[str]) -> int | None:
    """Index of the first sentence holding a comments-widget marker ("Please enable JavaScript to view the comments
    powered by Disqus", "التعليقات المنشورة لا تعبر عن رأي الموقع"), or None. Scraped pages put comments and sidebars of
    other stories after it (al-Bayan's "Please enable JavaScript to view the" is followed by a dozen unrelated ledes),
    so that sentence and every later one are not the article's text."""
    # One search over the joined text (most articles have no marker); the per-sentence walk runs only on a hit.
    joined = "\n".join(sentence_norms)
    if not any(anchor in joined for anchor in _ARTICLE_END_ANCHORS):
        return None
    m = _ARTICLE_END.search(joined)
    if m is None:
        return None
    offset = 0
    for i, norm in enumerate(sentence_norms):
        offset += len(norm) + 1
        if offset > m.start():
            return i
    return None


def classify_line(line_raw: str, line_norm: str, context: LineContext | None = None) -> str | None:
    """The boilerplate reason for one line (paragraph), or None for body text.

    `line_raw` is accepted so callers can swap in rules that need the raw form; these rules read `line_norm`.
    """
    if not line_norm:
        return None
    if is_social_caption(line_norm):
        return SOCIAL_CAPTION
    if is_hashtag_line(line_norm):
        return HASHTAGS
    if is_navigation(line_norm):
        return NAVIGATION
    if context is not None and is_related_link(line_norm, context):
        return RELATED_LINK
    return None


def site_key(source_name: str | None) -> str | None:
    """The outlet whose pages are compared for repeated paragraphs: the article's source name (the reader fills it
    from the record's source field or its URL's host), lower-cased; None when the article names none."""
    key = (source_name or "").strip().lower().removeprefix("www.")
    return key or None


def _key64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def paragraph_fingerprint(site: str, paragraph_norm: str) -> int:
    """A signed 64-bit key of a normalised paragraph on one site (the site is part of the key, so one number
    identifies the pair)."""
    return _key64(f"{site}\n{paragraph_norm}")


def page_key(url: str | None, content_hash: str) -> int:
    """A signed 64-bit key of the page an article was scraped from: its URL, else the article itself."""
    return _key64(f"url\n{url.strip()}" if url and url.strip() else f"article\n{content_hash}")


def paragraph_fingerprints(sentences: Iterable[Sentence], site: str | None) -> list[tuple[int, int]]:
    """(paragraph, fingerprint) of each paragraph of at least REPEAT_MIN_WORDS words, over all sentences
    (flagged ones too: whether a line recurs does not depend on what the line rules said about it). A paragraph
    repeated inside one article is listed at each place; it still counts as one article."""
    return fingerprints_of_sentences(((s.paragraph, s.start, s.end, s.text_norm) for s in sentences), site)


def fingerprints_of_sentences(parts: Iterable[tuple[int, int, int, str]], site: str | None) -> list[tuple[int, int]]:
    """paragraph_fingerprints over (paragraph, start, end, text_norm) of each sentence in sentence order. A
    paragraph's text is its sentences rejoined (normalize.rejoined_norms): where the splitter cuts a line does
    not change its fingerprint."""
    if site is None:
        return []
    paragraphs: dict[int, list[tuple[int, int, str]]] = {}
    for paragraph, start, end, norm in parts:
        paragraphs.setdefault(paragraph, []).append((start, end, norm))
    return fingerprints_of_paragraphs(((p, rejoined_norms(pieces)) for p, pieces in paragraphs.items()), site)


def fingerprints_of_paragraphs(texts: Iterable[tuple[int, str]], site: str | None) -> list[tuple[int, int]]:
    """paragraph_fingerprints over (paragraph, normalised paragraph text) pairs in paragraph order (the read-ahead
    has them without sentences: sentences.paragraph_norms)."""
    if site is None:
        return []
    return [
        (paragraph, paragraph_fingerprint(site, text))
        for paragraph, text in texts
        if text and word_count(text) >= REPEAT_MIN_WORDS
    ]


def flag_paragraphs(sentences: Iterable[Sentence], paragraphs: set[int]) -> list[Sentence]:
    """The sentences with those of `paragraphs` not yet flagged marked REPEATED_PARAGRAPH."""
    return [
        replace(s, is_boilerplate=True, boilerplate_reason=REPEATED_PARAGRAPH)
        if s.paragraph in paragraphs and not s.is_boilerplate
        else s
        for s in sentences
    ]
