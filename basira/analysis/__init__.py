"""Article analysis: topics, entities, quotations and counts, each tied to its evidence sentence.

Offsets in every result are into the sentence's `text_norm` (the title, seq -1, into normalize_text(title));
map them to raw text with basira.normalize.raw_span.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from basira.analysis.entities import DATA, GazetteerRecognizer, Recognizer
from basira.analysis.morphology import Line, prefixed, prepare_lines
from basira.analysis.quantities import QuantityLexicon, build_lexicon, extract_quantities
from basira.analysis.quotations import SpeechWords, extract_quotations
from basira.analysis.topics import Taxonomy, load_taxonomy, tag_topics
from basira.model import ArticleAnalysis, EntityMention, Sentence
from basira.normalize import normalize_text

__all__ = ["Recognizer", "analyze_article", "reload", "set_recognizer", "taxonomy", "taxonomy_version"]


@dataclass(frozen=True)
class _Analyzers:
    taxonomy: Taxonomy
    recognizer: Recognizer
    quantities: QuantityLexicon
    speech: SpeechWords


_lock = threading.Lock()
_state: _Analyzers | None = None
_custom_recognizer: Recognizer | None = None


def _speech_words(cfg: dict) -> SpeechWords:
    def forms(words: list[str]) -> frozenset[str]:
        out: set[str] = set()
        for w in words:
            out |= prefixed(normalize_text(w))
        return frozenset(out)

    return SpeechWords(forms(cfg["speech_verbs"]), forms(cfg["speech_participles"]))


def _load() -> _Analyzers:
    global _state
    state = _state
    if state is None:
        with _lock:
            if _state is None:
                cfg = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))
                _state = _Analyzers(load_taxonomy(), _custom_recognizer or GazetteerRecognizer(),
                                    build_lexicon(cfg), _speech_words(cfg))
            state = _state
    return state


def reload() -> None:
    """Forget the loaded taxonomy, gazetteers and word lists; the next call re-reads them from disk."""
    global _state
    with _lock:
        _state = None


def set_recognizer(recognizer: Recognizer | None) -> None:
    """Plug in another entity recogniser (None restores the gazetteer+rules default)."""
    global _custom_recognizer
    _custom_recognizer = recognizer
    reload()


def taxonomy() -> Taxonomy:
    return _load().taxonomy


def taxonomy_version() -> str:
    return _load().taxonomy.version


def _recognize(recognizer: Recognizer, lines: list[Line], sentences: list[Sentence]) -> list[EntityMention]:
    fast = getattr(recognizer, "recognize_lines", None)
    if fast is not None:
        return fast(lines)
    return recognizer.recognize([s for s in sentences if not s.is_boilerplate])


def analyze_article(sentences: list[Sentence], title: str | None = None) -> ArticleAnalysis:
    state = _load()
    lines = prepare_lines(sentences, title)
    mentions = _recognize(state.recognizer, lines, sentences)
    return ArticleAnalysis(
        topics=tag_topics(state.taxonomy, lines),
        mentions=tuple(mentions),
        quotations=extract_quotations(lines, mentions, state.speech),
        quantities=extract_quantities(lines, state.quantities),
    )
