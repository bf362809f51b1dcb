"""Article analysis: topics, entities, quotations and counts, each tied to its evidence sentence.

Offsets in every result are into the sentence's `text_norm` (the title, seq -1, into normalize_text(title));
map them to raw text with basira.normalize.raw_span.

An article is tokenised once (doc.prepare_doc) and scanned once for the keys of every analyser
(doc.Scanner); each analyser then works only at its own hit positions.
"""

from __future__ import annotations

import gc
import hashlib
import json
import threading
from dataclasses import dataclass

from basira.analysis import built, topics
from basira.analysis.doc import Doc, Scanner, prepare_doc
from basira.analysis.entities import DATA, GazetteerRecognizer, Recognizer, curated_keys, listed, read_gazetteer
from basira.analysis.morphology import CONJUNCTIONS
from basira.analysis.quantities import QuantityLexicon, build_lexicon, extract_quantities
from basira.analysis.quotations import SpeechWords, extract_quotations
from basira.analysis.topics import Taxonomy, load_taxonomy, tag_topics
from basira.model import ArticleAnalysis, EntityMention, Sentence
from basira.normalize import normalize_text

__all__ = ["Recognizer", "analyze_article", "reload", "set_recognizer", "taxonomy", "taxonomy_version"]


# Bump when a change to the entity, quotation or count rules' code changes what analysis stores; their data files
# (the gazetteer, titles.json, months.json) are hashed into the version as well. Ingest and retag compare the
# version with the store's, so a store analysed by older rules says so until `retag`, as after a taxonomy edit.
RULES_VERSION = "14"
_RULE_FILES = ("titles.json", "months.json")


@dataclass(frozen=True)
class _Analyzers:
    taxonomy: Taxonomy
    rules_version: str
    recognizer: Recognizer
    quantities: QuantityLexicon
    speech: SpeechWords
    scanner: Scanner  # one pass over an article finds the keys of every analyser
    curated: frozenset[str]  # the gazetteer's entity keys (entities.curated_keys)


_lock = threading.Lock()
_state: _Analyzers | None = None
_custom_recognizer: Recognizer | None = None


def outlet_keys(cfg: dict) -> frozenset[str]:
    """The gazetteer's outlets: organisations one of whose names starts with a media head ("وكالة رويترز"), unless
    a name shows another trade ("وكالة الطاقة الدولية", "وكالة المخابرات المركزية": outlet_not_words), and those
    listed by key (`outlets`): outlets, monitors and platforms named without a media head ("عنب بلدي", "المرصد
    السوري", "تويتر"), to whom a source speaks ("وقال مصدر عسكري للمرصد السوري")."""
    heads = frozenset(normalize_text(w) for w in cfg["media_heads"])
    not_media = frozenset(normalize_text(w) for w in cfg["outlet_not_words"])
    out = set()
    for entity, aliases, *_ in read_gazetteer(DATA / "gazetteer" / "organizations.tsv", "ORG"):
        names = [normalize_text(n).split() for n in (entity.canonical, *aliases) if n]
        if any(n[0] in heads for n in names) and not any(not_media.intersection(n) for n in names):
            out.add(entity.key)
    return frozenset(out | set(cfg["outlets"]))


def _speech_words(cfg: dict) -> SpeechWords:
    def forms(words: list[str]) -> frozenset[str]:
        # A verb or participle takes a conjunction ("وقال", "فأكد") and an imperfect verb the "ل" of purpose
        # ("ليقول", "ليؤكد"), never ب or ك, nor "ل" on a perfect: those forms were names and nouns ("كيري" Kerry
        # read as "ك + يري", "بيري" Barrie, "كرد" Kurds, "باقر", "بحذر"), and the quote after "قال جون كيري :" was
        # lost or given to the previous speaker.
        out: set[str] = set()
        for w in words:
            n = normalize_text(w)
            for c in CONJUNCTIONS:
                out.add(c + n)
                if n[:1] in ("\u064a", "\u062a"):
                    out.add(c + "\u0644" + n)
        return frozenset(out)

    # A name's head is matched as the quote's first word, where it takes no clitic.
    heads = frozenset(normalize_text(w) for w in cfg["org_heads"] + cfg["quoted_name_heads"] if " " not in w)
    def plain(words: list[str]) -> frozenset[str]:
        return frozenset(normalize_text(w) for w in words)

    return SpeechWords(
        forms(cfg["speech_verbs"]), forms(cfg["speech_participles"]), heads,
        subject_nouns=plain(cfg["speaker_nouns"] + cfg["role_heads"]),
        not_subjects=plain(cfg["speaker_not_subjects"]), phrase_stops=plain(cfg["speaker_phrase_stops"]),
        phrase_media=plain(cfg["speaker_phrase_media"]),
        role_stops=plain(cfg["speaker_role_stops"]), not_speaker_after=plain(cfg["speaker_not_after"]),
        office_prepositions=plain(cfg["speaker_office_prepositions"]),
        source_before_about=forms(cfg["speaker_source_before_about"]), source_after=plain(cfg["speaker_source_after"]),
        object_verbs=forms(cfg["speech_verbs_with_object"]),
        nested_intros=plain(cfg["nested_quote_intros"] + cfg["org_name_heads"]),
        not_verbs_after=plain(cfg["speech_verbs_not_after"]),
        office_heads=frozenset(w.split()[0].removeprefix("\u0627\u0644")
                               for w in plain(cfg["role_heads"] + cfg["roles"])),
        office_qualifiers=plain(cfg["nationality_adjectives"]),
        office_titles=plain(cfg["ranks"] + cfg["honorifics"]),
        office_synonyms={normalize_text(k): tuple(normalize_text(v).split()) for k, v in cfg["role_synonyms"].items()},
        outlets=outlet_keys(cfg))


@dataclass(frozen=True)
class _Lexicons:
    """What the data files build (the slow part of a load, and what the cache keeps). The scanner is left out:
    it is derived from these in a twentieth of a second, half what unpickling it would cost."""

    taxonomy: Taxonomy
    rules_version: str
    recognizer: Recognizer
    quantities: QuantityLexicon
    speech: SpeechWords
    curated: frozenset[str]


def _lexicons() -> _Lexicons:
    cfg = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))
    taxonomy, quantities, speech = load_taxonomy(), build_lexicon(cfg), _speech_words(cfg)
    recognizer = _custom_recognizer or GazetteerRecognizer()
    return _Lexicons(taxonomy, _rules_version(), recognizer, quantities, speech, curated_keys())


def _scanning(lex: _Lexicons) -> _Analyzers:
    """The analysers with one scanner for all their keys. Registering prepares the recogniser's tagger too, so
    this runs once on lexicons fresh from the build or the cache, never twice on the same ones."""
    scanner = Scanner()
    lex.taxonomy.register(scanner)
    lex.quantities.register(scanner)
    lex.speech.register(scanner)
    register = getattr(lex.recognizer, "register", None)
    if register is not None:
        register(scanner)
    scanner.build()
    return _Analyzers(lex.taxonomy, lex.rules_version, lex.recognizer, lex.quantities, lex.speech, scanner,
                      lex.curated)


def _build() -> _Analyzers:
    return _scanning(_lexicons())


def _cache_key() -> str | None:
    """The built lexicons' cache key: every file of the package (code and data), the data directory read here
    (tests point it elsewhere) and the versions a test or a patch may set without editing a file. None when the
    package's files are no longer those this process imported (see built.IMPORTED)."""
    package = built.files_digest(built.package_files())
    if package != built.IMPORTED:
        return None
    elsewhere = "" if DATA.resolve().is_relative_to(built.PACKAGE) else built.files_digest(built.package_files(DATA))
    return built.build_key((package, elsewhere, str(DATA.resolve()), RULES_VERSION, topics.MATCHER_VERSION))


def _build_or_read() -> _Analyzers:
    """The analysers from the lexicons the last process with the same code and data built, else built (and
    kept for the next one, unless a file changed while they were built)."""
    directory = built.cache_dir() if _custom_recognizer is None else None
    key = _cache_key() if directory is not None else None
    if directory is None or key is None:
        return _build()
    path = built.file_for(directory, key)
    lex = built.read(path, key)
    if not isinstance(lex, _Lexicons):
        lex = _lexicons()
        if _cache_key() == key:
            built.write(path, key, lex)
    return _scanning(lex)


def _rules_version() -> str:
    files = sorted((DATA / "gazetteer").glob("*.tsv")) + [DATA / name for name in _RULE_FILES]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return f"entities-{RULES_VERSION}+{digest.hexdigest()[:8]}"


def _load() -> _Analyzers:
    global _state
    state = _state
    if state is None:
        with _lock:
            if _state is None:
                # The lexicons are large containers of strings that live as long as the process. Cyclic GC
                # passes over them while they are built only cost time (about a quarter of the load), and the
                # first young-generation pass after it would walk all of them (~70 ms). So: build with GC off,
                # then move what is alive straight to the oldest generation (freeze + unfreeze: no walk), where
                # only the rare full collections look at it.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    _state = _build_or_read()
                    gc.freeze()
                    gc.unfreeze()
                finally:
                    if collecting:
                        gc.enable()
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


def curated_entity_keys() -> frozenset[str]:
    """Keys of the entities the gazetteer names; the store names every other one by its commonest spelling."""
    return _load().curated


def taxonomy() -> Taxonomy:
    return _load().taxonomy


def taxonomy_version() -> str:
    """The version of everything analysis stores: the taxonomy's (declared version and file hash) and the entity
    rules' (RULES_VERSION and their data files' hash), e.g. "topics-2026.12.7+1a2b3c4d entities-2+5e6f7a8b"."""
    state = _load()
    return f"{state.taxonomy.version} {state.rules_version}"


def _recognize(recognizer: Recognizer, doc: Doc, sentences: list[Sentence]) -> list[EntityMention]:
    fast = getattr(recognizer, "recognize_doc", None)
    if fast is not None and getattr(recognizer, "register", None) is not None:
        return listed(fast(doc))  # a lone given name ("محمد") is a person but no entity the store can tell apart
    return listed(recognizer.recognize([s for s in sentences if not s.is_boilerplate]))


def analyze_article(sentences: list[Sentence], title: str | None = None) -> ArticleAnalysis:
    state = _load()
    doc = prepare_doc(sentences, title)
    state.scanner.scan(doc)
    mentions = _recognize(state.recognizer, doc, sentences)
    return ArticleAnalysis(
        topics=tag_topics(state.taxonomy, doc),
        mentions=tuple(mentions),
        quotations=extract_quotations(doc, mentions, state.speech),
        quantities=extract_quantities(doc, state.quantities),
    )
