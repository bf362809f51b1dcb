"""Named entities (PER / ORG / LOC) from gazetteers plus title, speech-verb, given-name and head-noun rules.

Resolution rules inside one article:
* A gazetteer alias (canonical name, spelling variant) always resolves to its entity. Leading titles of a
  person alias ("الملك عبدالله الثاني") and descriptor heads / trailing nationality adjectives of an
  organisation alias ("قناة الجزيرة", "حزب الله اللبناني") stay outside the mention span.
* A *short* alias (a surname such as "خطاب", which is also an ordinary word) resolves only when the
  same article also has a full mention of that entity, or directly follows a title ("الوزير خطاب").
* A *role* alias ("وزير الداخلية السوري") resolves to the person only when the article also names
  that person; otherwise it is not reported, because the office holder depends on the date.
* A rule-found person (after a rank, title, nationality adjective or speech verb, from a known given name,
  or from "عبد"/"أبو") gets a key minted from its consonant skeleton and a Latin name in news spelling
  (transliterate.py); its last name token alone later in the article resolves to it, unless that token is
  the second half of a compound ("العبد الله", "أبو قصرة": "الله" alone is not the person; the compound written as
  one word, "العبدالله", is).
* One spelling per name: a minted or learned name is spelled the spaced way ("عبدالله" → "عبد الله", "ابوبكر" →
  "ابو بكر"), so both spellings are one key, and every curated alias matches both (transliterate.standard_spelling,
  joined_spelling).
* A rule-found or learned name is keyed and matched by its matching form, but named as the text writes it: hamza, taa
  marbuta and alef forms as written, without diacritics or tatweel, clitics stripped and compounds split as for the key
  ("لهيئة الدفاع" -> "هيئة الدفاع", not "هييه الدفاع"; _as_written). Articles may write one entity differently; the
  store shows the spelling most of its mentions have (write.respell_entities).
* Candidates are chosen greedily: gazetteer before rules, longer before shorter, earlier before later.
  A rule may only extend a gazetteer hit of its own type (with an adjective, or a person's other names);
  extended with the entity's own words ("قوات النظام السوري") it is still that entity. A short alias that
  cannot resolve takes no tokens from the rules.
* Words in quotation marks right after an organisation's name head ("صحيفة «الشرق الأوسط»", 'وكالة "الأناضول"')
  are that organisation, before the gazetteer (the paper, not the region); with its head a curated name
  ('تنظيم "الدولة"') they are the curated entity.
* A rule-found name that is a curated alias, or a person with the first and last words of a curated
  two-word name ("عادل بن احمد الجبير"), is the curated entity; names in not_names.tsv are no entity.
* A one-word person, or a given name alone ("بشار", "عبد الله", "أبو محمد"), is the article's one fuller
  person it starts or ends; a given name (or Arabic family name) alone that resolves to nobody stays a
  person mention flagged LONE_GIVEN, which the analysis does not store (it would be one entity for every
  Mohammed of the corpus; `listed`).
  It is that fuller person only where the text supports it: a title or speech verb before it, the full name just
  before it, the person named more than once in the article, or a list of given names that names again two people
  named before it ("أحمد وسامر" after "أحمد الخطيب وسامر العلي") (_resolve_lone).
* An organisation head written with the preposition that makes it the verbal noun ("بقيادة" led by, "لقيادة" to
  command), or followed by a rank or role and a name ("قيادة الضابط محمود"), heads no organisation, unless a word
  before it owns the body ("التابعة لقيادة القوات الخاصة") or only a body is what it heads ("لقيادة الأركان").
* A kunya after a place head or an armed unit's head ("قرية أبو رويل", "كتائب أبي عمارة"), or in the nominative
  after a preposition ("في أبو قير", "كأبو غريب"), names the place or the unit, not a person.

Whether an unknown token can be (part of) a name is decided by the frequent-word list
(common_words.tsv, built by eval/build_common_words.py): an ordinary word, or an ordinary word
behind clitics or before a pronoun suffix, is not a name; anything else may be.

Optionally (``use_tagger=True``, off by default: it costs ~1.3-1.6 ms more CPU per article, over the
budget, for +0.010 PER F1 cross-validated over the round-22 rules) a sequence model trained on ANERcorp train (tagger.py: structured perceptron, Viterbi over windows,
the lists' and rules' candidates and word clusters from unlabelled news as features) proposes person/organisation names over the rules (under the lists and the title
rule) and drops the rule-found persons it does not confirm.

Work is done on a Doc (doc.py) scanned once for all lexicons: Python runs only at the token positions
of lexicon keys, and per-token decisions are cached across articles.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from itertools import compress, count
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Protocol

from basira.analysis.doc import BREAK, NONWORD, Doc, Scanner, prepare_doc
from basira.analysis.morphology import Hit, Lexicon, hit_order as _hit_order, name_forms, prefixed
from basira.analysis.records import mention
from basira.analysis.tagger import (CLUSTERS_FILE, WEIGHTS_FILE, Lexicon as TaggerLexicon, Tagger, chunks,
                                    read_clusters, read_ranks, read_weights)
from basira.analysis.transliterate import joined_spelling, skeleton, slug, split_joined, standard_spelling, transliterate
from basira.model import EntityMention, Sentence
from basira.normalize import as_read, normalize_text

DATA = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_FILES = {"PER": "persons.tsv", "ORG": "organizations.tsv", "LOC": "locations.tsv"}
# Phrases and given names learned from ANERcorp train (eval/build_name_lists.py); optional.
LEARNED_FILE = "anercorp_names.tsv"
# Phrases the rules or the learned list find that are no entity ("التواصل الاجتماعي"); curated, optional.
NOT_NAMES_FILE = "not_names.tsv"
LearnedRow = tuple[str, str, int, int]  # (PER|LOC|ORG|GIVEN, normalised phrase, entity count, other count)
_ALEF_MAQSURA = "\u0649"
_ALA, _ALI = "\u0639\u0644\u0649", "\u0639\u0644\u064a"  # the preposition and the given name, as written
# Words a writer who types final ى as ي gives away (raw text): "حتي", "إلي", "الأخري", "الكبري", "الصغري", "مستوي", "أدني"
_YA_FOR_MAQSURA = re.compile(
    "(?<!\\S)[\u0648\u0641]?(?:\u062d\u062a\u064a|[\u0627\u0625]\u0644\u064a|\u0627\u0644[\u0627\u0623]\u062e\u0631\u064a"
    "|\u0627\u0644\u0643\u0628\u0631\u064a|\u0627\u0644\u0635\u063a\u0631\u064a"
    "|\u0645\u0633\u062a\u0648\u064a|[\u0627\u0623]\u062f\u0646\u064a)(?!\\S)")
# Words shaped like verbs (future/imperfect prefixes, plural past ending): not a name's first word after a
# title, nor part of an organisation name.
_VERB_SHAPE = re.compile("^(?:\u0633[\u064a\u062a\u0646]|[\u064a\u062a]\u062a)|\u0648\u0627$")
_PLURAL_END = re.compile("(?:\u0627\u062a|\u064a\u0646|\u0648\u0646)$")
_PRONOUN_END = re.compile("(?:\u0647|\u0647\u0627|\u0647\u0645)$")
AL = "\u0627\u0644"


class Recognizer(Protocol):
    """Anything that finds entity mentions in an article's sentences (a model could replace the rules)."""

    def recognize(self, sentences: list[Sentence]) -> list[EntityMention]: ...


@dataclass(frozen=True)
class Entity:
    key: str
    type: str
    canonical: str
    latin: str


@dataclass(frozen=True)
class AliasRef:
    entity: Entity
    kind: str  # "name" | "short" | "role" | "learned"
    lead: int = 0  # leading title words ("الملك عبدالله الثاني") left out of the mention span
    trail: int = 0  # a trailing nationality adjective ("حزب الله اللبناني") left out of it


@dataclass(frozen=True)
class Trigger:
    kind: str  # "title" | "role_head" | "org_head" | "place_head" | "speech"
    word: str


@dataclass(frozen=True)
class Resources:
    names: Lexicon
    triggers: Lexicon
    first_names: dict[str, bool]  # surface form (with clitics) -> ambiguous
    first_name_base: dict[str, str]
    ali_forms: frozenset[str]
    name_words: frozenset[str]
    person_words: frozenset[str]
    loc_words: frozenset[str]
    common: frozenset[str]
    stop: frozenset[str]
    verbs: frozenset[str]
    speech: frozenset[str]
    nationality: frozenset[str]
    particles: frozenset[str]
    modifiers: frozenset[str]
    connectors: frozenset[str]
    title_words: frozenset[str]
    heads: frozenset[str]
    org_name_heads: frozenset[str]
    org_descriptor_heads: frozenset[str]
    government_heads: frozenset[str]
    place_heads_kept: frozenset[str]
    # log-odds of a person-name token per character n-gram (learned list CHAR rows), and the prior
    char_weights: dict[str, float] = field(default_factory=dict)
    # A curated entity by the normalised text of its full aliases (canonical included): a rule that finds
    # "مجلس الامن الدولي" finds the gazetteer's Security Council, not a second entity.
    alias_entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    # A curated person by (first word, last word) of a two-word alias: "عادل بن احمد الجبير" is "عادل الجبير".
    person_ends: dict[tuple[str, str], Entity] = field(default_factory=dict)
    # The words of every alias of a curated entity: a rule extending one of its names with its own words
    # ("قوات النظام" + "السوري") names the same entity.
    entity_words: dict[str, frozenset[str]] = field(default_factory=dict)
    # Rule- or list-found names that are never entities (not_names.tsv): (type, normalised phrase).
    not_names: frozenset[tuple[str, str]] = frozenset()
    # Organisation heads whose nationality adjective is part of the name ("وكالة الصحافة الفرنسية").
    org_nationality_heads: frozenset[str] = frozenset()
    # Bare heads of organisations and places: a rule-found name keeps its head without a clitic.
    head_bases: frozenset[str] = frozenset()
    # Heads after which words in quotation marks name an organisation (_quoted_name)
    org_quoted_heads: frozenset[str] = frozenset()
    # Second words of compound given names ("نور الدين", "عبد الله"): such a pair alone is a given name.
    compound_ends: frozenset[str] = frozenset()
    # Honorifics that are also family names ("السيد" Mr. / al-Sayyed): after a title and a name, with no name after
    # them to introduce, they end that name ("العميد ماهر السيد إن").
    family_titles: frozenset[str] = frozenset()
    # One-word place names of the gazetteer ("الرياض", "السعوديه").
    loc_names: frozenset[str] = frozenset()
    # Organisation heads that are also verbal or common nouns ("حركة السير" traffic, "إدارة الأزمات" crisis
    # management, "موقع الحادث" the scene): one ordinary definite word after them is what moves, is managed or
    # is there, not a name (_trigger_candidate).
    org_verbal_heads: frozenset[str] = frozenset()
    # Heads written with the preposition that makes them the verbal noun ("بقيادة" led by, "لقيادة" to lead,
    # "بتنظيم" by organising), with a leading conjunction: no organisation's head (_trigger_candidate).
    org_verb_forms: frozenset[str] = frozenset()
    # ... unless what comes before makes it the body's name, a possessive "ل" ("التابعة لقيادة القوات الخاصة", "بيان
    # لإدارة الدفاع المدني": one or two words), or the noun after it is one that only a body is the command of
    # ("لقيادة الأركان التركية"): org_verb_form_owners, org_verb_form_bodies
    org_verb_form_owners: frozenset[str] = frozenset()
    org_verb_form_bodies: frozenset[str] = frozenset()
    # Rank and role titles (not the honorifics an institution is named after, "جامعة الملك سعود"): after an
    # organisation head with a name after them they open a person ("قيادة الضابط محمود", "مكتب النائب محمد").
    person_titles: frozenset[str] = frozenset()
    # Prepositions after which a kunya in the nominative ("في أبو قير", "إلى أبو حمام") is a place's name.
    kunya_place_leads: frozenset[str] = frozenset()
    # Place heads and the heads of armed units named after a kunya, with clitics: a kunya after them names the
    # place or the unit ("قرية أبو رويل", "كتائب أبي عمارة"); the unit heads alone (org_kunya_heads)
    kunya_heads: frozenset[str] = frozenset()
    org_kunya_heads: frozenset[str] = frozenset()
    # Institutions and units named after someone with an honorific ("جامعة الملك سعود", "لواء السلطان مراد"): the
    # heads (org_namesake_heads) and the honorifics (namesake_titles) after which the person's name is the body's.
    namesake_heads: frozenset[str] = frozenset()
    namesake_titles: frozenset[str] = frozenset()
    # Place heads and their plurals, with clitics: a person's surname alone right after them is the place's name
    # ("حي الشعار", "أحياء الشعار", an Aleppo quarter, in an article naming the minister محمد الشعار), not him; but
    # not after the heads that are also a term of office or a verb ("ولاية المالكي", "سجن حسن في سجن بوكا").
    place_words: frozenset[str] = frozenset()
    # Outlets by their name without the head ("الجزيرة", "الشرق الاوسط", "الوطن"), which alone is a place or an
    # ordinary word: the outlet only with a media cue (_media_name): in quotation marks, after a correspondent
    # (media_cues, with clitics), or with the preposition ل after a speech verb or noun (media_said: "قال للجزيرة").
    media_names: dict[str, Entity] = field(default_factory=dict)
    media_cues: frozenset[str] = frozenset()
    media_said: frozenset[str] = frozenset()
    # Roles that stand in apposition right after a name, bare ("وزير", "رئيس", "المدير"): a word between a given name
    # and one of them is the surname ("الدكتور سعيد راتب رئيس الهيئة"), even if it is also an ordinary word.
    appositive_roles: frozenset[str] = frozenset()
    # Military and police ranks with clitics ("اللواء", "للواء"): a strong cue, so a lone unknown word after one is a
    # name however it is spelled ("اللواء باقري"), unlike one after another title (_trigger_candidate)
    ranks: frozenset[str] = frozenset()


def _norm_all(words: Iterable[str]) -> list[str]:
    return [w for w in (normalize_text(x) for x in words) if w]


def _with_clitics(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        out |= prefixed(w)
    return frozenset(out)


def _adjective_forms(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        for form in (w, w + "\u0647", w + "\u0648\u0646", w + "\u064a\u0646"):
            out |= {form, "\u0648" + form}
            if form.startswith(AL):
                out.add(form[2:])
    return frozenset(out)


def read_gazetteer(path: Path, etype: str) -> list[tuple[Entity, list[str], list[str], list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 6)[:6]
        key, canonical, latin, aliases, short, roles = cols
        split = lambda s: [a.strip() for a in s.split("|") if a.strip()]  # noqa: E731
        rows.append((Entity(key, etype, canonical, latin), split(aliases), split(short), split(roles)))
    return rows


def curated_keys(data: Path = DATA) -> frozenset[str]:
    """The keys of the gazetteer's entities, named by the data files (every other entity by how the text writes it)."""
    return frozenset(entity.key for etype, filename in GAZETTEER_FILES.items()
                     for entity, *_ in read_gazetteer(data / "gazetteer" / filename, etype))


def _spellings(names: Iterable[str]) -> list[str]:
    """Normalised names, each with its other spellings ("عبد الله" / "عبدالله", "أبو قصرة" / "ابوقصرة"), in order,
    once each: a curated name matches however the text writes it, and names what a rule would mint from it."""
    out: dict[str, None] = {}
    for name in names:
        norm = normalize_text(name)
        out.update(dict.fromkeys((norm, standard_spelling(norm), joined_spelling(norm))))
    return list(out)


def read_not_names(path: Path) -> frozenset[tuple[str, str]]:
    """(type, normalised phrase) rows of the list of names that are never entities; a missing file is empty."""
    if not path.exists():
        return frozenset()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            etype, _, phrase = line.partition("\t")
            out.add((etype.strip(), normalize_text(phrase)))
    return frozenset(out)


def read_learned(path: Path) -> list[LearnedRow]:
    """Rows of the learned list; a missing file is an empty list (the list is optional)."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            etype, phrase, pos, neg = line.split("\t")
            rows.append((etype, phrase, int(pos), int(neg)))
    return rows


def load_resources(data: Path = DATA, learned: list[LearnedRow] | None = None) -> Resources:
    """Lexicons and word sets from the data files; `learned` replaces the learned list (for cross-validation)."""
    cfg = json.loads((data / "titles.json").read_text(encoding="utf-8"))
    common_all = frozenset(
        w for w in (data / "gazetteer" / "common_words.tsv").read_text(encoding="utf-8").split("\n")
        if w and not w.startswith("#"))
    leading_titles = frozenset(_norm_all(cfg["ranks"] + cfg["honorifics"] + cfg["roles"]))
    nationality = _adjective_forms(_norm_all(cfg["nationality_adjectives"]))
    names = Lexicon()
    name_words: set[str] = set()
    person_words: set[str] = set()
    loc_words: set[str] = set()
    nationality_heads = frozenset(_norm_all(cfg.get("org_nationality_heads", [])))
    # "جامعة الدول العربية", "صندوق النقد الدولي": an adjective of no one country ends the name, not describes it
    name_adjectives = _adjective_forms(_norm_all(cfg.get("org_name_adjectives", [])))
    alias_entities: dict[tuple[str, str], Entity | None] = {}
    media_heads = frozenset(_norm_all(cfg.get("media_heads", [])))
    # the name of a paper, channel or agency without its head ("الجزيرة" of "قناة الجزيرة"): a place or a word
    # alone, the outlet with a media cue (media_name below)
    media: dict[str, Entity | None] = {}
    full_names: dict[str, set[str]] = {}
    person_ends: dict[tuple[str, str], Entity | None] = {}
    entity_words: dict[str, set[str]] = {}

    def claim(table: dict, key: tuple[str, str], entity: Entity) -> None:
        # a text two entities claim ("وكالة الأنباء" of two agencies) names neither
        got = table.get(key, entity)
        table[key] = entity if got is not None and got.key == entity.key else None

    for etype, filename in GAZETTEER_FILES.items():
        for entity, aliases, short, roles in read_gazetteer(data / "gazetteer" / filename, etype):
            short = _spellings(short)
            short_norm = set(short)
            full = _spellings([entity.canonical, *aliases])
            own = entity_words.setdefault(entity.key, set())
            for alias in full:
                kind = "short" if normalize_text(alias) in short_norm else "name"
                words = normalize_text(alias).split()
                own.update(words)
                lead = 0
                if len(words) > 1 and etype == "PER" and words[0] in leading_titles:
                    lead = 1  # "الملك عبدالله الثاني": the title is not part of the name
                elif len(words) > 1 and etype == "ORG" and (words[0] in _DESCRIPTORS or (
                        words[0] in _PROPER_DESCRIPTORS and not words[1].startswith(AL))):
                    lead = 1  # "قناة الجزيرة", "حركة حماس": the head describes the name
                trail = 0
                if etype == "ORG" and len(words) - lead > 1 and words[-1] in nationality and not (
                        len(words) - lead == 2 and words[lead] in common_all) and words[lead] not in nationality_heads:
                    trail = 1  # "حزب الله اللبناني", "الكونغرس الأمريكي": the adjective is not the name
                # The name without its closing adjective still names the entity ("مجلس التعاون" is the GCC), but
                # an adjective of no one country stays in the mention ("مجلس التعاون الخليجي").
                bare = trail
                if trail and words[-1] in name_adjectives:
                    trail = 0
                names.add_name(alias, AliasRef(entity, kind, lead, trail), short_guard=etype != "LOC")
                full_names.setdefault(" ".join(words), set()).add(entity.key)
                if etype == "ORG" and kind == "name" and len(words) > 1 and words[0] in media_heads:
                    claim(media, " ".join(words[1:]), entity)
                if kind == "name":
                    claim(alias_entities, (etype, " ".join(words)), entity)
                    if lead or bare:
                        claim(alias_entities, (etype, " ".join(words[lead:len(words) - bare])), entity)
                    if etype == "PER" and len(words) - lead == 2:
                        claim(person_ends, (words[lead], words[-1]), entity)
                name_words.update(words)
                if etype == "LOC":
                    loc_words.update(words)
                if etype == "PER":
                    person_words.update(words)
            for alias in short:
                if normalize_text(alias) not in {normalize_text(a) for a in full}:
                    names.add_name(alias, AliasRef(entity, "short"), short_guard=etype != "LOC")
                name_words.update(normalize_text(alias).split())
                if etype == "PER":
                    person_words.update(normalize_text(alias).split())
            for role in roles:
                names.add_name(role, AliasRef(entity, "role"))

    first_names: dict[str, bool] = {}
    first_base: dict[str, str] = {}
    for line in (data / "gazetteer" / "first_names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, amb = line.partition("\t")
        name = normalize_text(name)
        for form in name_forms(name):
            if form != name and form in common_all and name in common_all:
                continue  # "و"+"ل"+"ايه" is "ولايه" (state), "وتامر" is "and conspired": not names with clitics
            # a given name that is also an ordinary word of our news ("نشات", "مانع") needs a name after it; one
            # that is frequent only as a name ("كريستوفر", "خديجة") is flagged 0 in the file and needs none
            first_names[form] = amb.strip() == "1" or (name in common_all and amb.strip() != "0")
            first_base[form] = name
        name_words.add(name)
        person_words.add(name)

    not_names = read_not_names(data / "gazetteer" / NOT_NAMES_FILE)
    char_counts: dict[str, tuple[int, int]] = {}
    cues: list[str] = []
    # A learned phrase the curated gazetteer already has would only add a losing candidate per occurrence.
    curated = {e.term for e in names.entries()}
    months = json.loads((data / "months.json").read_text(encoding="utf-8"))
    calendar = {normalize_text(w) for words in months["months"].values() for w in words}
    calendar |= {normalize_text(w) for w in months["weekdays"]}
    for etype, phrase, _pos, _neg in read_learned(data / "gazetteer" / LEARNED_FILE) if learned is None else learned:
        if etype == "CHAR":
            char_counts[phrase] = (_pos, _neg)
            continue
        if etype == "CUE":
            cues.append(phrase)
            continue
        if etype == "GIVEN":
            if phrase in common_all:
                continue  # an ordinary word of our news ("دام", "زين"): as a given name it would stop being one
            for form in name_forms(phrase):
                if form not in first_names and not (form != phrase and form in common_all):
                    first_names[form] = False
                    first_base[form] = phrase
            continue
        if phrase in curated or phrase in calendar or (etype == "PER" and phrase in first_base) or (
                " " not in phrase and phrase in common_all
                and (_pos < COMMON_PHRASE_MIN or _pos < COMMON_PHRASE_RATIO * (_pos + _neg))) or (
                (etype, phrase) in not_names):
            # "نيسان" is April in our news (Nissan in ANERcorp), a frequent word needs strong evidence (and
            # not_names.tsv lists the frequent words of our news that pass it: "الريف" the countryside), and a
            # lone given name is left to the given-name rule (it is mostly the start of a longer name).
            continue
        entity = _minted(etype, standard_spelling(phrase))
        words = phrase.split()
        # Clitics, but not where clitic + name is an ordinary word: "بليون" (billion) is not ب + "ليون".
        forms = {f for f in name_forms(words[0]) if f == words[0] or (f not in common_all and f not in first_base)}
        if len(words) == 1 and len(phrase) <= 3 and etype != "LOC":
            forms &= {phrase, "\u0648" + phrase}  # as Lexicon.add_name's short_guard: "كيا" is not in "فلكيا"
        names.add([forms] + [{w} for w in words[1:]], AliasRef(entity, "learned"), phrase)

    stop_words = set(_norm_all(cfg["stop_words"]))
    name_words = {w for w in name_words - stop_words if len(w) > 2}
    person_words = {w for w in person_words - stop_words if len(w) > 2}
    # Generic words of place and organisation names ("الامن", "الدوله") stay common: only person names are not.
    common = common_all - frozenset(person_words) - frozenset(first_base.values())
    generic = stop_words | set(_norm_all(cfg["place_heads"] + cfg["org_heads"]))
    # a kunya ("أبي" of "أبي غريب") is no word of a place's name on its own
    loc_words = {w for w in loc_words if w not in generic and len(w) > 2 and w not in _KUNYA}

    triggers = Lexicon()
    for kind, key in (("title", "ranks"), ("title", "honorifics"), ("title", "roles"), ("role_head", "role_heads"),
                      ("org_head", "org_heads"), ("place_head", "place_heads"), ("speech", "speech_verbs")):
        for word in cfg[key]:
            triggers.add_name(word, Trigger(kind, normalize_text(word)))
    known = triggers.keys()
    for word in cues:
        if word not in known:
            triggers.add_name(word, Trigger("title", word))
    media_names = {bare: e for bare, e in media.items()
                   if e is not None and e.key not in full_names.get(bare, ()) and len(bare) > 2}
    for bare in media_names:
        triggers.add_name(bare, Trigger("media_name", bare))
    # place heads after which a surname is still the person ("ولاية", "سجن"): left out of place_words
    not_before_surname = frozenset(_norm_all(cfg.get("place_heads_not_before_surname", [])))
    for word in _norm_all(cfg["nationality_adjectives"]):
        if word.startswith(AL):
            for form in (word, word + "\u0647"):
                triggers.add_name(form, Trigger("nationality", form))
    verbs = _norm_all(cfg["verbs"]) + _norm_all(cfg["speech_verbs"]) + _norm_all(cfg["speech_participles"])
    title_words = _norm_all(cfg["ranks"] + cfg["honorifics"] + cfg["roles"] + cfg["role_heads"])
    heads = _norm_all(cfg["org_heads"] + cfg["place_heads"])
    return Resources(
        names=names,
        triggers=triggers,
        first_names=first_names,
        first_name_base=first_base,
        ali_forms=frozenset(f for f, b in first_base.items() if b == "\u0639\u0644\u064a"),
        name_words=frozenset(name_words),
        person_words=frozenset(person_words),
        loc_words=frozenset(loc_words),
        common=common,
        stop=_with_clitics(_norm_all(cfg["stop_words"])),
        verbs=_with_clitics(verbs) | frozenset(v + "\u062a" for v in verbs),
        speech=_with_clitics(_norm_all(cfg["speech_verbs"])),
        nationality=_adjective_forms(_norm_all(cfg["nationality_adjectives"])),
        particles=frozenset(_norm_all(cfg["name_particles"])),
        modifiers=frozenset(_norm_all(cfg["rank_modifiers"])),
        connectors=frozenset(_norm_all(cfg["role_connectors"])),
        title_words=_with_clitics(w for t in title_words for w in t.split()[:1]),
        appositive_roles=frozenset(t.split()[0] for t in _norm_all(cfg["roles"] + cfg["role_heads"])),
        ranks=_with_clitics(t.split()[0] for t in _norm_all(cfg["ranks"])),
        heads=_with_clitics(w for t in heads for w in t.split()[:1]),
        org_name_heads=frozenset(_norm_all(cfg["org_name_heads"])),
        org_descriptor_heads=frozenset(_norm_all(cfg.get("org_descriptor_heads", []))),
        government_heads=frozenset(_norm_all(cfg["government_heads"])),
        place_heads_kept=frozenset(_norm_all(cfg["place_heads_kept"])),
        char_weights=_char_weights(char_counts),
        alias_entities={k: e for k, e in alias_entities.items() if e is not None},
        person_ends={k: e for k, e in person_ends.items() if e is not None},
        entity_words={k: frozenset(v) for k, v in entity_words.items()},
        not_names=not_names,
        org_nationality_heads=nationality_heads,
        head_bases=frozenset(w.split()[0] for w in heads),
        org_quoted_heads=frozenset(_norm_all(cfg["org_name_heads"] + cfg.get("org_quoted_heads", []))),
        compound_ends=frozenset(_norm_all(cfg.get("compound_name_ends", []))),
        family_titles=frozenset(_norm_all(cfg.get("family_name_titles", []))),
        loc_names=frozenset(t for etype, t in alias_entities if etype == "LOC" and " " not in t),
        org_verbal_heads=frozenset(_norm_all(cfg.get("org_verbal_heads", []))),
        org_verb_forms=frozenset(c + w for w in _norm_all(cfg.get("org_heads_read_as_verbs", []))
                                 for c in ("", "\u0648", "\u0641")),
        org_verb_form_owners=frozenset(f + " " + rest if rest else f for phrase in _norm_all(cfg.get("org_verb_form_owners", []))
                                       for first, _, rest in [phrase.partition(" ")] for f in prefixed(first)),
        org_verb_form_bodies=frozenset(_norm_all(cfg.get("org_verb_form_bodies", []))),
        person_titles=frozenset(w for t in _norm_all(cfg["ranks"] + cfg["honorifics"] + cfg["roles"])
                                for w in t.split()[:1]) - frozenset(_norm_all(cfg.get("namesake_titles", []))),
        kunya_place_leads=frozenset(_norm_all(cfg.get("kunya_place_prepositions", []))),
        kunya_heads=_with_clitics(w for t in _norm_all(cfg["place_heads"] + cfg.get("org_kunya_heads", []))
                                  for w in t.split()[:1]),
        org_kunya_heads=frozenset(_norm_all(cfg.get("org_kunya_heads", []))),
        namesake_heads=frozenset(_norm_all(cfg.get("org_namesake_heads", []))),
        namesake_titles=frozenset(_norm_all(cfg.get("namesake_titles", []))),
        media_names=media_names,
        media_cues=_with_clitics(_norm_all(cfg.get("media_cues", []))),
        media_said=_with_clitics(_norm_all(cfg["speech_verbs"] + cfg.get("media_said_nouns", []))),
        place_words=_with_clitics(w for t in _norm_all(cfg["place_heads"] + cfg.get("place_plural_heads", []))
                                  for w in t.split()[:1] if w not in not_before_surname),
    )


def _char_weights(counts: dict[str, tuple[int, int]]) -> dict[str, float]:
    """Naive-Bayes log-odds per n-gram from (person, other) token counts; "*" holds the token totals."""
    if "*" not in counts:
        return {}
    per, other = counts["*"]
    out = {g: math.log((a + 1) / (per + 2)) - math.log((b + 1) / (other + 2)) for g, (a, b) in counts.items() if g != "*"}
    out["*"] = math.log((per + 1) / (other + 1))
    return out


def tagger_lexicon(res: Resources, data: Path = DATA, clusters: Path | None = CLUSTERS_FILE) -> TaggerLexicon:
    """The tagger's word knowledge from curated files and unlabelled news only (never the list learned from
    ANERcorp, which would leak the training names into the features); `clusters` None: without word clusters."""
    first = [normalize_text(line.partition("\t")[0]) for line in
             (data / "gazetteer" / "first_names.tsv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return TaggerLexicon(read_ranks(data / "gazetteer" / "common_words.tsv"), {
        "first": first, "per": res.person_words, "loc": res.loc_words, "name": res.name_words,
        "title": res.title_words, "head": res.heads, "orgh": res.org_name_heads, "nat": res.nationality,
        "verb": res.verbs, "stop": res.stop, "speech": res.speech, "gov": res.government_heads},
        read_clusters(clusters) if clusters is not None else None)


_EMPTY: frozenset[int] = frozenset()
# Organisation heads left out of the name ("قناة الجزيرة" -> "الجزيرة"); the second set only before a bare
# proper name ("حركة حماس", "وكالة رويترز"), not before a genitive ("حركة المقاومة الإسلامية").
_DESCRIPTORS = frozenset(normalize_text(w) for w in "قناة فضائية صحيفة جريدة مجلة شركة نادي النادي".split())
_PROPER_DESCRIPTORS = frozenset(normalize_text(w) for w in "حركة وكالة منظمة".split())
# One-word organisation aliases that are also ordinary nouns: not before an adjective ("القاعدة العسكرية").
_GUARDED_ORG = frozenset(name_forms(normalize_text("القاعدة")))
_IMPERFECT = frozenset("\u064a\u062a\u0646")
_FUTURE_OR_IMPERFECT = frozenset("\u0633\u064a\u062a\u0646")
# A conjunction or the preposition lam before the article ("والحرب", "للتايكوندو") never opens a name.
_ARTICLE_LEAD = re.compile("^(?:[\u0648\u0641]\u0627\u0644|[\u0648\u0641]?\u0644\u0644)")
# A preposition before the article ("بالرياض", "للحوار", "كالعادة"): an adjunct, never a word of a name.
_PREPOSITION_ARTICLE = re.compile("^[\u0648\u0641]?(?:[\u0628\u0643]\u0627\u0644|\u0644\u0644)")
# Prefix strings stripped, longest first, before looking a token up in the common words.
_PREFIXES = tuple(sorted({c + p for c in ("", "\u0648", "\u0641")
                          for p in ("", "\u0628", "\u0644", "\u0643", "\u0633")} - {""}, key=len, reverse=True))
# Pronoun suffixes and the accusative alef on an ordinary word ("حلمه", "مرماه", "قضائيا").
_SUFFIX = re.compile(
    "(?:\u0647\u0645\u0627|\u0647\u0627|\u0647\u0645|\u0647\u0646|\u0643\u0645|\u0646\u0627|\u0647|\u0627)$")
_ORDINALS = frozenset(normalize_text(w) for w in (
    "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر".split()))
_OPENERS = frozenset(f for w in ("عبد", "أبو", "أبي") for f in name_forms(normalize_text(w)))
_IBN = frozenset(name_forms(normalize_text("بن")) | name_forms(normalize_text("ابن")))
_ABD = frozenset(name_forms(normalize_text("عبد")))
_NISBA = "\u064a\u0647"  # the feminine relative adjective "-ية", as normalised
_KUNYA = frozenset(normalize_text(w) for w in ("أبو", "أبي", "أم"))
_ABU, _ABI = normalize_text("أبو"), normalize_text("أبي")
_JOINABLE = frozenset((normalize_text("العبد"), _ABU))  # the first halves of family names written as one word
# "كأبو غريب": the preposition "like" before the nominative kunya (a person's would be "كأبي"): a frozen name
_LIKE_ABU = frozenset(c + "\u0643" + _ABU for c in ("", "\u0648", "\u0641"))
_CACHE_LIMIT = 200_000
NAMES, TRIGGERS, FIRST, SPEECH, OPENERS = "ner:names", "ner:triggers", "ner:first", "ner:speech", "ner:openers"
MODEL_OPENERS = "ner:model_openers"  # words the sequence model may open a name on (Tagger.judge), found by the scan
# Candidate tuples sort in resolution order: higher priority, then longer, then earlier, then found first.
# (-priority, start - end, start, order, first_tok, last_tok, type, method, entity, alias_kind)
Cand = tuple
_GAZ, _RULE_TITLE, _RULE = 3, 2, 1
# A learned one-word phrase that is a frequent word of our news needs this much evidence ("ريال" is Real
# Madrid in ANERcorp, 3 of 3 times, but mostly the riyal in Gulf news).
COMMON_PHRASE_RATIO = 0.8
COMMON_PHRASE_MIN = 5
RUN_SCORE = 0.1  # mean n-gram log-odds a rare word needs to join a run (cross-validated on train)
_RUN = 0  # a run of adjacent rare words: the weakest cue
_TAG = -1  # a name proposed by the learned tagger: only where no list or rule found anything
_MODEL = 1.5  # the sequence model over the rules, under the lists and the title rule
# See Tagger.gate: cross-validated on train with the word-cluster features, retrained over the round-22 rules
# (-8, -16, -24, -32: PER F1 0.769, 0.769, 0.771, 0.768; rules alone 0.759); a lower gate opens more windows,
# so it costs more (eval/RESULTS.md).
TAGGER_GATE = -16.0
# How the model's names combine with the candidates: "low" below every list and rule (the round-2 proposer),
# "over" above the rules (under the lists and the title rule), "veto" as "over" and a rule candidate of a
# MODEL_VETO type that the model does not find with the same bounds is dropped (cross-validated, RESULTS.md).
TAGGER_MODE = "veto"
# Rule candidates the model checks (decodes around, and may drop): not the generic government bodies
# (rule:org_gov), which ANERcorp does not annotate, so the model never learned them.
MODEL_CHECKS = frozenset(("rule:given_name", "rule:org", "rule:title", "rule:speech"))
# The types whose rule candidates the model may drop: persons only. Dropping organisations too scores better
# on ANERcorp (cross-validated ORG F1 0.611 -> 0.627) but on Syrian news it drops armed groups, parties and
# media the dashboard needs ("جيش الفتح", "وكالة الأنباء السورية"), about 2 in 5 of what it drops (RESULTS.md).
MODEL_VETO = ("PER",)
# Windows the model does not decode: "none"; "rules" = around a rule candidate that a list hit (gazetteer or
# learned) covers from its first to its last word (it loses to the list anyway); "all" = those and the openers
# inside a list hit.
TAGGER_SKIP = "none"
_LEARNED = 2  # learned phrases: after the curated gazetteer, with the title rule
# Words in quotation marks right after an organisation head name it, whatever the lists say of them alone
# ("صحيفة «الشرق الأوسط»" is the paper, not the region): before the gazetteer.
_QUOTED = 3.5
_QUOTES = frozenset("\"\u00ab\u00bb\u201c\u201d\u201e")
_COMMAS = frozenset(("\u060c", ","))
_LAM_LEADS = frozenset("\u0644\u0648\u0641")  # a name token opening with ل، ول، فل may carry the preposition
_THAT = frozenset(("\u0627\u0646", "\u0628\u0627\u0646", "\u0627\u0646\u0647", "\u0627\u0646\u0647\u0627"))  # ان، بان، انه، انها as normalised
_LISTED = (-_GAZ, -_LEARNED)
# What was said opens with a colon or an opening quotation mark right after its speaker ("قال عباس « ...").
_SAID_OPENERS = frozenset((":", "\u00ab", "\"", "\u201c"))
_STRONG_RULES = frozenset(("rule:title", "rule:given_name"))
_START = itemgetter(2)
_CAND_FEATURES = itemgetter(4, 5, 6, 7)  # (first, last, type, method): what the model reads of a candidate
_MENTION_ORDER = attrgetter("seq", "start")
_KEY = attrgetter("entity_key")
# A given name alone may stand for the one fuller person of its name named once, this many sentences before it
# (_resolve_lone)
NEAR_SENTENCES = 2
# At most this many characters between two names of a list: " ، " or " و " (the "و" of "وسامر" is in the mention)
_LIST_GAP = 3
# A one-word person awaiting resolution: (index in the mentions, its rule entity, surface, seq, start, end, whether
# the text singles it out: _cued)
_Lone = tuple[int, Entity, str, int, int, int, bool]


# The method of a given name alone ("محمد", "عبد الله", "أبو محمد") that names no fuller person of its article:
# a person in the text, but no entity the dashboard can tell apart from every other Mohammed, so `listed`
# leaves it out of the stored mentions (and so out of the entity lists, filters and summaries).
LONE_GIVEN = "rule:lone_given"


def listed(mentions: list[EntityMention]) -> list[EntityMention]:
    """The mentions that name an entity of the dashboard's lists: all but the lone given names."""
    return [m for m in mentions if m.method != LONE_GIVEN]


def _minted(etype: str, canonical: str) -> Entity:
    """An entity the gazetteer does not know, keyed by the consonant skeleton of its standard spelling."""
    return Entity(f"{etype.lower()}:{slug(skeleton(canonical))}", etype, canonical, transliterate(canonical))


@lru_cache(maxsize=1 << 16)  # a name recurs, written the same way, across articles
def written_name(span: str, text: str, name: str) -> str:
    """`name`, normalised words read off the normalised text `span` (clitics stripped, joined compounds split:
    "وعبدالله المحيسني" -> "عبد الله المحيسني"), in the letters of `text`, the same span as read (normalize.as_read):
    "عبد الله المحيسني". Each word is found inside the span's next token; a word the rule respelled ("أبي" -> "ابو")
    keeps the letters it shares with that token ("أبو"); a word that cannot be read off the text stays normalised."""
    out = []
    at = 0
    for word in name.split():
        while at < len(span) and span[at] == " ":
            at += 1
        stop = span.find(" ", at)
        if stop < 0:
            stop = len(span)
        pos = span.find(word, at, stop)
        if pos >= 0:
            piece, at = text[pos : pos + len(word)], pos + len(word)
        elif stop - at == len(word):
            piece = "".join(w if n == c else c for n, w, c in zip(span[at:stop], text[at:stop], word))
            at = stop
        else:
            piece, at = word, stop
        out.append(piece if piece == word or _matching_form(piece) == word else word)
    return " ".join(out)


# The same words recur across articles: normalize_text of each once (written_name checks every word it reads).
_matching_form = lru_cache(maxsize=1 << 16)(normalize_text)


def _lists_of_known(lone: list[_Lone], people: list[tuple[str, EntityMention]]) -> frozenset[int]:
    """Positions in `lone` of the given names that stand in one list ("أحمد وسامر ومحمود", "أحمد ، سامر": one
    sentence, nothing but "و", a comma or spaces between) with another given name, where at least two of the list
    start exactly one fuller person of the article each (`people`: normalised name, first mention), named before
    the list: the list names them again."""
    def known(item: _Lone) -> bool:
        head = item[1].canonical + " "
        starting = [m for text, m in people if text.startswith(head)]
        return len(starting) == 1 and (starting[0].seq, starting[0].start) < (item[3], item[4])  # named before

    out: set[int] = set()
    run = [0]
    for k in range(1, len(lone) + 1):
        if k < len(lone) and lone[k][3] == lone[k - 1][3] and lone[k][4] - lone[k - 1][5] <= _LIST_GAP:
            run.append(k)
            continue
        if len(run) > 1:
            members = [j for j in run if known(lone[j])]
            if len(members) > 1:
                out.update(members)
        run = [k]
    return frozenset(out)


class GazetteerRecognizer:
    """The default recogniser: gazetteer lookup plus rules (and optionally the sequence model), no downloads."""

    def __init__(self, resources: Resources | None = None, *, runs: bool = False, tagger: Tagger | None = None,
                 use_tagger: bool = False, tagger_mode: str = TAGGER_MODE, tagger_types: Iterable[str] = ("PER", "ORG"),
                 tagger_full: bool = False, tagger_checks: Iterable[str] = MODEL_CHECKS,
                 tagger_veto: Iterable[str] = MODEL_VETO, tagger_skip: str = TAGGER_SKIP,
                 lone_given_names: bool = False) -> None:
        self.res = resources or load_resources()
        self._name_particles = self.res.particles | _KUNYA
        # A given name alone ("محمد", "عبد الله", "أبو محمد") that names no fuller person of the article is a
        # person mention flagged LONE_GIVEN (ANERcorp annotates it; `listed` keeps it out of the dashboard's
        # entities, where it merged every Mohammed of the corpus: the top "person" was "محمد", 244 articles).
        # True makes it an entity of its own (the behaviour before the 2026-12-02 audit).
        self.lone_given_names = lone_given_names
        # The sequence model (tagger.py, _model_candidates); `tagger` replaces the shipped model (cross-validation),
        # the other tagger_* arguments are the settings cross-validated in eval/train_tagger.py. Off by default:
        # retrained over the round-22 rules it adds +0.010 PER F1 cross-validated (0.759 -> 0.769; round 4, over
        # weaker rules, +0.046), but costs ~1.3-1.6 ms of CPU per article (the recogniser ~1.6x slower), over the
        # speed budget; see eval/RESULTS.md.
        if tagger is None and use_tagger:
            tagger = Tagger(read_weights(WEIGHTS_FILE), tagger_lexicon(self.res), gate=TAGGER_GATE)
        self.tagger = tagger if use_tagger and tagger else None  # an empty model (no weights file) is no tagger
        self.tagger_mode = tagger_mode
        self.tagger_types = frozenset(tagger_types)
        self.tagger_full = tagger_full
        self.tagger_checks = frozenset(tagger_checks)
        self.tagger_veto = frozenset(tagger_veto)
        self.tagger_skip = tagger_skip
        # Runs of rare words (rule:rare_run) find cue-less foreign names (+0.02 PER F1 on ANERcorp train,
        # cross-validated) but cost ~8-18 % of analysis time (a lookup of every distinct token of an article in
        # a large set), over the speed budget, so they are off by default; see eval/RESULTS.md.
        self.runs = runs
        self._name_like: dict[str, bool] = {}
        self._follower: dict[str, bool] = {}
        self._surnames: dict[tuple[str, bool], str | None] = {}
        self._rule_entities: dict[tuple[str, str], Entity | None] = {}
        self._lone_cache: dict[str, int] = {}
        self._normalised: dict[str, str] = {}  # canonical names of persons, normalised (_resolve_lone)
        self.scanner = Scanner()
        self.register(self.scanner)
        self.run_score = RUN_SCORE
        self._person_score: dict[str, float] = {}
        self._runnable: set[str] = set()  # tokens that may be part of a run of rare words (cache)
        self._unfit: set[str] = set(self.res.common)  # ordinary words and tokens found unfit for a run (cache)

    def register(self, scanner: Scanner) -> None:
        """Add the token keys this recogniser needs to a Scanner (analysis scans all analysers at once)."""
        res = self.res
        scanner.add(NAMES, res.names.keys())
        scanner.add(TRIGGERS, res.triggers.keys())
        scanner.add(FIRST, res.first_names.keys())
        scanner.add(SPEECH, res.speech)
        scanner.add(OPENERS, _OPENERS)
        if self.tagger is not None and not self.tagger_full:
            self.tagger.use_common(res.common)
            scanner.add_live(MODEL_OPENERS, self.tagger.hopeful, self.tagger.judge)

    def recognize(self, sentences: list[Sentence]) -> list[EntityMention]:
        doc = prepare_doc(sentences)
        self.scanner.scan(doc)
        return self.recognize_doc(doc)

    def recognize_doc(self, doc: Doc) -> list[EntityMention]:
        """Mentions in a Doc already scanned with a Scanner this recogniser registered with."""
        if not doc.n:
            return []
        res, hits, ts = self.res, doc.hits, doc.ts
        cands: list[Cand] = []
        add = cands.append
        # Gazetteer hits tie-break on lexicon order (as the old first-word matcher did); rules come after.
        toks = doc.toks
        for e, first, last in res.names.match(doc, hits[NAMES]):
            ref: AliasRef = e.payload  # type: ignore[assignment]
            if first == last and toks[first] in _GUARDED_ORG and last + 1 < doc.n and toks[last + 1].startswith(AL):
                continue
            first += ref.lead
            last -= ref.trail
            start = ts[first]
            if ref.kind == "learned":
                if ref.entity.type == "PER" and first and toks[first - 1] in res.heads:
                    continue  # "مطار محمد الخامس": a place named after a person, as for given names
                if first == last and first and toks[first].startswith(AL) and self._adjective_slot(toks[first - 1]):
                    continue  # "المجتمع الأهلي" (civil society), not the club al-Ahly: a definite word after a noun
                add((-_LEARNED, start - ts[last + 1] + 1, start, e.order, first, last, ref.entity.type, "learned",
                     ref.entity, "learned"))
                continue
            add((-_GAZ, start - ts[last + 1] + 1, start, e.order, first, last, ref.entity.type, "gazetteer",
                 ref.entity, ref.kind))
        order = 1 << 30
        triggers = res.triggers.match(doc, hits[TRIGGERS])
        if len(triggers) > 1:
            triggers.sort(key=_hit_order)
        follower, n = self._follower, doc.n
        for h in triggers:
            if h[0].payload.kind == "media_name":
                if self._media_cued(doc, h[1], h[2], h[0].payload.word):
                    first, last = h[1], h[2]
                    outlet = res.media_names[h[0].payload.word]
                    if last + 1 < n and res.alias_entities.get(("ORG", h[0].payload.word + " " + toks[last + 1])) is outlet:
                        last += 1  # "موفد الجزيرة نت": the outlet's longer name
                    start = ts[first]
                    # "مراسل الجزيرة", "« الشرق الأوسط »", "قال للجزيرة": the outlet, over the place or the word
                    add((-_QUOTED, start - ts[last + 1] + 1, start, order, first, last, "ORG", "rule:media",
                         outlet, "name"))
                    order += 1
                continue
            # Fast reject, before the call: most titles and adjectives are followed by ordinary words.
            nxt = h[2] + 1
            if nxt >= n or toks[nxt] in NONWORD:
                trig = h[0].payload
                if nxt < n and toks[nxt] == "" and trig.kind == "org_head" and trig.word in res.org_quoted_heads:
                    span = self._quoted_name(doc, nxt)
                    if span is not None:
                        first, last = span
                        start = ts[first]
                        # 'تنظيم "الدولة"', 'قوات "سوريا الديمقراطية"': with its head, a curated name
                        known = res.alias_entities.get(("ORG", trig.word + " " + " ".join(toks[first : last + 1])))
                        add((-_QUOTED, start - ts[last + 1] + 1, start, order, first, last, "ORG", "rule:org_quoted",
                             known, "name"))
                        order += 1
                continue
            kind = h[0].payload.kind
            if (kind == "nationality" or kind == "title") and follower.get(toks[nxt]) is False:
                continue
            got = self._trigger_candidate(doc, h)
            if got is not None:
                prio, first, last, etype, method = got
                start = ts[first]
                add((-prio, start - ts[last + 1] + 1, start, order, first, last, etype, method, None, "name"))
                order += 1
        blocked = self._blocked_all(doc)
        # kunyas that name a place or body ("قرية أبو رويل", "في أبو قير"): no person, whichever loop finds them
        places = {i: got for i in hits[OPENERS] if (got := self._kunya_place(doc, i))}
        for i in hits[FIRST]:
            if i in blocked or (i and toks[i - 1] in res.heads) or i in places or i - 1 in places:
                continue  # "مطار محمد الخامس", "مستشفى سانت توماس": a place or body named after someone
            last = self._first_name_candidate(doc, i, blocked)
            if last >= 0:
                start = ts[i]
                add((-_RULE, start - ts[last + 1] + 1, start, order, i, last, "PER", "rule:given_name", None, "name"))
                order += 1
        for i in hits[OPENERS]:
            place = places.get(i)
            if place:
                if place == 2:  # "في أبو قير": the place the preposition governs; after a head its rule names it
                    last = self._place_name(doc, i)
                    if last > i:
                        start = ts[i]
                        add((-_RULE, start - ts[last + 1] + 1, start, order, i, last, "LOC", "rule:place", None,
                             "name"))
                        order += 1
                continue
            last = self._opener_candidate(doc, i)
            if last >= 0:
                start = ts[i]
                add((-_RULE, start - ts[last + 1] + 1, start, order, i, last, "PER", "rule:given_name", None, "name"))
                order += 1
        if self.runs and self.res.char_weights:
            for first, last in self._rare_runs(doc):
                start = ts[first]
                add((-_RUN, start - ts[last + 1] + 1, start, order, first, last, "PER", "rule:rare_run", None, "name"))
                order += 1
        for i in hits[SPEECH]:
            first = self._speech_candidate(doc, i)
            if first >= 0:
                start = ts[first]
                add((-_RULE, start - ts[i] + 1, start, order, first, i - 1, "PER", "rule:speech", None, "name"))
                order += 1
        if self.tagger is not None:
            self._model_candidates(doc, cands)
        return self._resolve(doc, cands) if cands else []

    def _model_candidates(self, doc: Doc, cands: list[Cand]) -> None:
        """Decode the sequence model around rare openers and rule-found persons/organisations, with the
        candidates as features; its names join the candidates (see TAGGER_MODE)."""
        tagger = self.tagger
        assert tagger is not None
        mode, types = self.tagger_mode, self.tagger_types
        if self.tagger_full:
            spans = tagger.decode_all(doc.toks, list(map(_CAND_FEATURES, cands)))
        else:
            checks = self.tagger_checks
            skip = self.tagger_skip
            listed_at: set[int] = set()
            if skip != "none":
                for c in cands:
                    if c[0] in _LISTED:
                        listed_at.update(range(c[4], c[5] + 1))
            # A candidate's window covers it and the word after it (does the name go on?).
            seeds = [(c[4], c[5] + 1) for c in cands if c[7] in checks
                     and not (c[4] in listed_at and c[5] in listed_at)]
            at = doc.hits.get(MODEL_OPENERS)
            if at is None:  # scanned by a Scanner this recogniser did not register with
                at = tagger.positions(doc, tagger.openers(doc, self.res.common))
            if skip == "all":
                seeds.extend((i, i) for i in at if i not in listed_at)
            else:
                seeds.extend((i, i) for i in at)
            if not seeds:
                return
            spans = tagger.decode_seeds(doc, seeds, list(map(_CAND_FEATURES, cands)))
        prio = -_TAG if mode == "low" else -_MODEL
        ts, toks = doc.ts, doc.toks
        order = 1 << 29
        found = set()
        kept: set[int] = set()  # positions of implausible model names: the rules keep their candidates there
        places = None
        for first, last, etype in spans:
            if etype not in types:
                continue
            if places is None:
                places = {k for c in cands if c[6] == "LOC" for k in range(c[4], c[5] + 1)}
            if not self._plausible(toks, first, last, etype, places):
                kept.update(range(first, last + 1))
                continue
            found.add((first, last, etype))
            start = ts[first]
            cands.append((prio, start - ts[last + 1] + 1, start, order, first, last, etype, "model:tagger", None,
                          "name"))
            order += 1
        if mode == "veto":
            # A rule candidate of a MODEL_VETO type that the model does not find with the same bounds is dropped.
            checks = self.tagger_checks
            veto = self.tagger_veto
            cands[:] = [c for c in cands if not (c[7] in checks and c[6] in veto and (c[4], c[5], c[6]) not in found
                                                  and c[4] not in kept and c[5] not in kept)]

    def _plausible(self, toks: list[str], first: int, last: int, etype: str, places: set[int]) -> bool:
        """Model names the dashboard should not get: on a place the lists or rules found (places are theirs:
        "ريف دمشق"), and persons after a place or body head ("شارع حسين حجازي"), starting with "بن" (the
        given name was left out: "محمد بن سلمان") or ending on "عبد"/"ابو"/"بن", or one ambiguous given name."""
        if first in places or last in places or toks[last] in self.res.heads:
            return False  # "ريف درعا": a place head is no name on its own
        if etype != "PER":
            return True
        if first and toks[first - 1] in self.res.heads:
            return False
        if toks[last] in _OPENERS or toks[last] in _IBN or toks[first] in _IBN:
            return False
        return first != last or not self.res.first_names.get(toks[first], False)

    def _rare_runs(self, doc: Doc) -> list[tuple[int, int]]:
        """Runs of two or more adjacent words that are neither ordinary words nor definite ("توني سنو",
        "سيب بلاتر"): foreign names carry no cue but are rarely two unknown words in a row by chance."""
        # Set algebra (C-level) over the article's distinct tokens: one difference with the ordinary words plus
        # the tokens already found unfit (one set, so one pass), then the test runs once per new token string.
        runnable, unfit = self._runnable, self._unfit
        if len(runnable) + len(unfit) > _CACHE_LIMIT + len(self.res.common):
            runnable.clear()
            self._unfit = unfit = set(self.res.common)
        rare = doc.vocab.difference(unfit)
        fresh = rare.difference(runnable)
        if fresh:
            for t in fresh:
                (runnable if self._can_run(t) else unfit).add(t)
            rare &= runnable
        if len(rare) < 2:
            return []
        toks = doc.toks
        out = []
        prev, start = -2, -1
        for i in compress(count(), map(rare.__contains__, toks)):
            if i != prev + 1 or toks[i][0] == "\u0648":  # "بوش وبلير": the conjunction opens the next name
                if start >= 0 and prev > start:
                    out.append((start, prev))
                start = i
            prev = i
        if start >= 0 and prev > start:
            out.append((start, prev))
        return out

    def _can_run(self, t: str) -> bool:
        res = self.res
        return (t not in NONWORD and not t.startswith(AL) and t not in res.first_name_base and self.name_like(t)
                and not self._verbish(t) and self.person_score(t) >= self.run_score)

    def _spelled_unlike_name(self, tok: str) -> bool:
        """Whether the learned letter n-grams say `tok` is not spelled like a name; never when none are loaded."""
        return bool(self.res.char_weights) and self.person_score(tok) < self.run_score

    def person_score(self, tok: str) -> float:
        """Mean character n-gram log-odds that an unknown token belongs to a person's name. Cached."""
        got = self._person_score.get(tok)
        if got is None:
            weights = self.res.char_weights
            w = f"<{tok}>"
            grams = {w[k : k + n] for n in (2, 3) for k in range(len(w) - n + 1)}
            got = sum(weights.get(g, 0.0) for g in grams) / len(grams) if grams else 0.0
            if len(self._person_score) > _CACHE_LIMIT:
                self._person_score.clear()
            self._person_score[tok] = got
        return got

    # -- token tests -----------------------------------------------------------------------------
    def _is_blocker(self, tok: str) -> bool:
        res = self.res
        return (tok in res.stop or tok in res.verbs or tok in res.title_words or tok in res.heads
                or tok in res.nationality)

    def name_like(self, tok: str) -> bool:
        """Could this token be part of a person's (or place's) name? Cached per token string."""
        got = self._name_like.get(tok)
        if got is None:
            if len(self._name_like) > _CACHE_LIMIT:
                self._name_like.clear()
            got = self._name_like[tok] = self._compute_name_like(tok)
        return got

    def _compute_name_like(self, tok: str) -> bool:
        res = self.res
        if tok in res.first_name_base and (tok not in res.stop or tok in res.ali_forms):
            return True
        if not tok or self._is_blocker(tok) or tok.isdigit() or len(tok) < 2 or tok.isascii():
            return False
        if tok in res.person_words:
            return True
        common = res.common
        if tok in common or _ARTICLE_LEAD.match(tok):
            return False
        # Verb shapes: an ordinary stem after an imperfect prefix ("يخلص") or before the feminine past
        # ending ("داهمت"); the future prefix is handled with the clitics below.
        if len(tok) > 3 and ((tok[0] in _IMPERFECT and tok[1:] in common)
                             or (tok[-1] == "\u062a" and tok[:-1] in common)):
            return False
        # An ordinary word behind clitics or the future prefix ("بالمحافظة", "سيتابع", "للامم"), or before a
        # pronoun suffix or the accusative alef ("حلمه", "قضائيا"), is not a name. Unknown stems stay
        # name-like, so foreign names that merely look prefixed ("كالديرون", "سنو") survive.
        m = _SUFFIX.search(tok)
        stem = tok[: m.start()] if m and m.start() > 1 else None
        if stem is not None and stem in common:
            return False
        for p in _PREFIXES:
            if tok.startswith(p) and len(tok) - len(p) > 1:
                rest = tok[len(p):]
                if rest in common or rest in res.stop or (p[-1] == "\u0644" and AL + rest[1:] in common):
                    return False
                if stem is not None and len(stem) - len(p) > 1 and stem[len(p):] in common:
                    return False  # "بتغلبه"
        return True

    def _title_follower(self, tok: str) -> bool:
        """Cheap first test after a title: can this token open the name or precede it (nationality,
        rank modifier)? Cached per token string; most title-like words are followed by ordinary words."""
        got = self._follower.get(tok)
        if got is None:
            res = self.res
            if len(self._follower) > _CACHE_LIMIT:
                self._follower.clear()
            got = self._follower[tok] = (
                tok in res.nationality or tok in res.modifiers or tok in res.first_name_base or tok in res.particles
                or (not (tok.startswith(AL) and tok not in res.person_words) and self.name_like(tok)))
        return got

    def _given_name_tail(self, tok: str) -> bool:
        """A word accepted right after a known given name even if it looks like an ordinary word or an inflected
        one: a common word ("محمد جمال", never "أحمد الله" or a verb) or an unknown one ("جاك بوت", "توماس
        بوت", "لويس ساها"), whose endings need not be a pronoun or a plural."""
        res = self.res
        if not tok.isalpha() or tok.isascii() or tok.startswith(AL) or len(tok) < 3 or self._is_blocker(tok):
            return False
        if tok in res.common:
            return not (_PRONOUN_END.search(tok) or _PLURAL_END.search(tok) or self._verbish(tok))
        if tok[-1] == "\u0647" and tok[:-1] in res.title_words:
            return False  # "بثينة شعبان مستشارة"
        # not a clitic on a longer ordinary word ("كمحاولة", "بالحصار", "للتسويات") or a verb with a pronoun
        # ("يحفظه"); a remainder of four letters or fewer is no evidence: foreign surnames often read as one
        # ("فلين" as ف + "لين", "كيلي", "لوبان"), and the real store names Flynn, Kelly and Le Pen 52 times
        stem = _SUFFIX.sub("", tok)
        return not (self._verbish(tok) or _ARTICLE_LEAD.match(tok)
                    or self._clitic_on_word(tok)
                    or (tok[0] in _IMPERFECT and stem[1:] in res.common)
                    # a pronoun on an ordinary word ("كتبهم"), or on a verb of the form "أفعل" ("أبلغه"); a bare
                    # final ه is also the feminine ending of names ("طعمة"), so it counts only on such a verb
                    or (stem != tok and stem in res.common and (tok[-1] != "\u0647" or tok[0] == "\u0627")))

    def _family_name(self, tok: str) -> bool:
        """A definite word that may end a name right after an unambiguous given name: a relative adjective
        ("عبد الكريم الخطابي", "فيصل السويدي") or a word of no ordinary use; not a verbal noun ("ورفض جوزيه
        الإفصاح"), title, head, verb, stop word, nationality ("فيصل الجامايكي" describes), ordinal, plural
        ("المسلمين") or place word (the place's own list hit would take the tokens)."""
        res = self.res
        return (tok.startswith(AL) and len(tok) > 4 and (tok[-1] == "\u064a" or tok not in res.common)
                and not self._is_blocker(tok) and tok not in _ORDINALS
                and tok not in res.loc_words and not _PLURAL_END.search(tok) and not _PRONOUN_END.search(tok[2:]))

    def _abd_pair(self, toks: list[str], k: int) -> bool:
        """Is toks[k] the definite second half of a compound after "عبد" ("عبد الكريم")?"""
        return k < len(toks) and toks[k].startswith(AL) and len(toks[k]) > 3 and not self._is_blocker(toks[k])

    def _verbish(self, tok: str) -> bool:
        """An ordinary stem with a future/imperfect prefix or a past-tense ending ("سيتابع", "يخلص", "قالوا",
        "داهمت"); foreign names that merely start like one ("سيلفا") are not."""
        common = self.res.common
        return ((tok[0] in _FUTURE_OR_IMPERFECT and (tok[1:] in common or tok[2:] in common))
                or (tok.endswith("\u0648\u0627") and tok[:-2] in common)
                or (tok[-1] == "\u062a" and tok[:-1] in common))

    # -- readers ---------------------------------------------------------------------------------
    def read_name(self, doc: Doc, i: int, *, max_len: int = 4, first_known: bool = False,
                  blocked: frozenset[int] = _EMPTY, ambiguous: bool = False, family: bool = False) -> tuple[int, int]:
        """The person name starting at word i: (name words read, index of its last token or -1).

        After a known unambiguous given name (or with `family`, after a compound opened by "عبد"), a definite
        ordinary word may end the name as its family name ("أحمد التوفيق", "عبد الكريم الخطابي").

        Words must be adjacent (punctuation ends a name); "بن"/"أبو"/"آل" take the next word along and
        do not count ("عبد" does, after a first name: "صالح عبد المنعم"); a regnal ordinal ("الثاني") ends the
        name, and so does a definite word after its first word (but for the second half of a compound, "نور
        الدين"): "محمد مقلد المريخي أمين السر"; so does a plural past verb of an ordinary stem; a word opening
        with the conjunction و starts the next name ("فيصل ملكاوي وغيث الطراونة")."""
        res, toks, n = self.res, doc.toks, doc.n
        particles, bases = res.particles, res.first_name_base
        j, cnt, last = i, 0, -1
        while cnt < max_len and j < n and j - i < 8:
            tok = toks[j]
            if tok in NONWORD or j in blocked:
                break
            if tok in particles:
                nxt = toks[j + 1] if j + 1 < n else ""
                # "محمد بن عبد الكريم": "عبد" and its definite noun after "بن" are one word of the name
                # and so after a kunya: "أبو عبد الله التركي", not the given name "عبد الله" alone
                abd = (tok in _IBN or tok in _KUNYA) and nxt in _ABD and self._abd_pair(toks, j + 2)
                if not abd and (nxt in NONWORD or nxt in res.stop or nxt in res.verbs):
                    break
                last = j + 1
                j += 2
                cnt += cnt == 0 or tok in _ABD  # "صالح عبد الغفور": two names, though "صالح" alone is a word
                if abd:
                    last = j
                    j += 1
                continue
            if cnt:
                if tok in _ORDINALS:
                    return cnt + 1, j
                if tok[0] == "\u0648" and bases.get(tok) != tok and tok not in res.person_words:
                    break
                prev = toks[j - 1]
                if (j - 1 > i and prev.startswith(AL) and not tok.startswith(AL) and prev not in res.compound_ends
                        and prev not in bases and toks[j - 2] not in particles and toks[j - 2] not in _ABD):
                    break  # "محمد مقلد المريخي أمين السر": a definite family name ends the name
                if tok.endswith("\u0648\u0627") and tok[:-2] in res.common and tok not in res.person_words:
                    break  # "شيراك استنكروا": a plural past verb of an ordinary stem (not "جاك دوبوا")
                if cnt > 1 and tok in res.appositive_roles and j + 1 < n and toks[j + 1].startswith(AL):
                    break  # "ديفد فرانكلين أمين المتحف": a role in construct after a full name (not "بيار أمين الجميل")
            if not (cnt == 0 and first_known) and not self.name_like(tok):
                if not (cnt == 1 and first_known and not ambiguous and self._given_name_tail(tok)):
                    if cnt == 1 and (family or first_known and not ambiguous) and self._family_name(tok):
                        return cnt + 1, j  # "أحمد التوفيق", "حامد الشريف": a definite family name ends the name
                    if cnt == 1 and first_known and self._appositive_surname(doc, j):
                        return cnt + 1, j  # "سعيد راتب رئيس الهيئة": the role after it makes the word a surname
                    break
            cnt += 1
            last = j
            j += 1
        return cnt, last

    def _appositive_surname(self, doc: Doc, k: int) -> bool:
        """Is toks[k], right after a given name, its surname because a role follows in apposition ("الدكتور ماجد
        نجم رئيس قسم السياحة", "وقال نبيل فرحات المدير التنفيذي")? An ordinary or definite word ("نجم", "التوفيق")
        only when a title opens the name; never an accusative, a verb, stop word, title, head, place or nationality
        word, a word opening with the conjunction, or one with a possessive pronoun ("كتابها")."""
        toks, res = doc.toks, self.res
        if k + 1 >= doc.n or toks[k + 1] not in res.appositive_roles or toks[k - 1] in res.connectors:
            return False  # "المتحدث باسم الرئاسة السفير": باسم connects the role, it is not the name Basem
        tok = toks[k]
        if not (k > 1 and toks[k - 2] in res.title_words) and (tok in res.common or tok.startswith(AL)):
            # an ordinary or definite word is a surname only with a title before the name: "بعيد إعلان الرئيس",
            # "المتحدث باسم الرئاسة السفير" (the given name is a word, the next word its object)
            return False
        if tok[-1] == "\u0627" and tok[:-1] in res.common:
            return False  # an accusative adjective ("حسن ممثلا المدير العام")
        return (tok.isalpha() and not tok.isascii() and len(tok) > 2 and tok[0] != "\u0648"
                and not self._is_blocker(tok) and tok not in res.nationality and tok not in res.loc_words
                and tok not in res.loc_names and tok not in res.appositive_roles and not self._verb_shape(tok)
                and not self._clitic_on_word(tok)
                and not tok.endswith(("\u0647\u0627", "\u0647\u0645")))  # "ها"/"هم": a pronoun, not "طعمة"

    def _clitic_on_word(self, tok: str) -> bool:
        """A clitic on a longer ordinary word ("كمحاولة", "بالحصار", "للتحميل" = ل + التحميل, "للحصول")? A remainder of
        four letters or fewer is no evidence: foreign surnames often read as one ("كيلي" as ك + "يلي", "فلين")."""
        common = self.res.common
        return any(len(tok) - len(p) > 4 and tok.startswith(p) and (
            tok[len(p):] in common or (tok[len(p)] == "\u0644" and tok[len(p) + 1:] in common)) for p in _PREFIXES)

    def _verb_shape(self, tok: str) -> bool:
        """A stricter `_verbish` for a word a role vouches for: the imperfect prefix only before an ordinary stem of
        three letters or more ("يسلم", not "نجم" as ن + "جم") and not on a given name, the past ending ت not in the
        plural "ات" ("فرحات")."""
        common = self.res.common
        return ((len(tok) > 3 and tok[0] in _FUTURE_OR_IMPERFECT and tok[1:] in common
                 and tok not in self.res.first_name_base)
                or (tok.endswith("\u0648\u0627") and tok[:-2] in common)
                or (tok[-1] == "\u062a" and tok[-2] != "\u0627" and tok[:-1] in common))

    def _no_name_at(self, doc: Doc, k: int) -> bool:
        """Does no name start at token k (the end of the text or sentence, a verb, an ordinary word)?"""
        if k >= doc.n or doc.toks[k] in NONWORD:
            return True
        tok, res = doc.toks[k], self.res
        return not (tok in res.first_name_base or tok in res.particles or tok in _OPENERS or self.name_like(tok))

    def _skip_chain(self, doc: Doc, i: int, limit: int = 5) -> int:
        """Skip the genitive chain of a role ("وزير الخارجية الروسي", "المتحدث باسم الوزارة"): the token
        where it stops."""
        res, toks, n = self.res, doc.toks, doc.n
        j = i
        while j < n and j - i < limit:
            tok = toks[j]
            if (tok in res.connectors or tok in res.nationality or tok in res.loc_words
                    or (tok.startswith(AL) and tok not in res.person_words and tok not in res.stop)
                    or (j > i and tok.startswith("\u0648" + AL) and tok not in res.stop)
                    or tok in res.modifiers):
                j += 1
            else:
                break
        return j

    def _namesake(self, doc: Doc, i: int, head: str) -> int:
        """Last token of the name of the person a body is named after, right after its head and an honorific
        ("جامعة الملك سعود", "لواء السلطان مراد", "كتائب الشهيد أحمد العبدو"), or -1."""
        res, toks = self.res, doc.toks
        if head not in res.namesake_heads or toks[i] not in res.namesake_titles or i + 1 >= doc.n:
            return -1
        nxt = toks[i + 1]
        if nxt not in res.first_name_base and nxt not in _OPENERS and (nxt.startswith(AL) or not self.name_like(nxt)):
            return -1  # ("مركز الملك عبد العزيز" as "عبدالعزيز")
        cnt, last = self.read_name(doc, i + 1, max_len=3, blocked=self._blocked_all(doc),
                                   first_known=nxt in res.first_name_base)
        if not cnt:
            return -1
        for k in range(i + 2, last + 1):
            tok = toks[k]
            if _PREPOSITION_ARTICLE.match(tok) or not (
                    tok.startswith(AL) or tok in res.particles or tok in res.first_name_base or self.name_like(tok)):
                # "جامعة الملك سعود بالرياض", "مركز الملك عبدالله للحوار", "كتائب الإمام علي أحد": where it is, what
                # it does, the sentence going on
                return k - 1
        return last

    def _org_chain(self, doc: Doc, i: int, head: str) -> int:
        """Index of the last token of an organisation name after its head noun (i - 1 if none)."""
        res, toks, n = self.res, doc.toks, doc.n
        name_head = head in res.org_name_heads
        kunya_head = head in res.org_kunya_heads
        j = i
        while j < n and j - i < 4:
            tok = toks[j]
            if j == i and (tok == _ABU or tok == _ABI) and kunya_head and j + 1 < n and toks[j + 1] not in NONWORD:
                j += 2  # "كتائب أبي عمارة", "لواء أبو موسى الأشعري": named after a kunya
                continue
            if tok in NONWORD or tok in res.stop or tok in res.verbs or _VERB_SHAPE.search(tok):
                break
            if (tok.startswith(AL) or tok in res.nationality or tok in res.loc_words
                    or (name_head and j > i and tok.startswith("\u0648" + AL))
                    or (name_head and j - i < 2 and self.name_like(tok) and tok not in res.first_name_base)):
                j += 1
            else:
                break
        last = j - 1
        if (name_head or head in res.org_descriptor_heads) and head not in res.org_nationality_heads:
            # "نادي أرسنال الإنجليزي", "حزب الله اللبناني": the nationality describes, it is not the name
            # (but "وكالة الصحافة الفرنسية" is AFP).
            while last > i and toks[last] in res.nationality:
                last -= 1
        return last

    def _place_name(self, doc: Doc, i: int) -> int:
        """Index of the last token of a place name after a place head (i - 1 if none)."""
        res, toks, n = self.res, doc.toks, doc.n
        tok = toks[i]
        if tok in _KUNYA or tok in _LIKE_ABU:
            # "قرية أبو رويل", "في أبو قير", "كأبو غريب": the kunya and its noun are the place's name
            nxt = toks[i + 1] if i + 1 < n else BREAK
            return i + 1 if nxt not in NONWORD and not self._is_blocker(nxt) and (
                nxt.startswith(AL) or self.name_like(nxt)) else i - 1
        if tok not in res.loc_words and (not self.name_like(tok) or len(tok) < 3 or tok in res.first_name_base
                                         or tok[0] == "\u0648" or tok.endswith(_NISBA)):
            return i - 1  # "منطقة حدودية": an indefinite adjective after the head names no place
        if tok in res.nationality:
            return i - 1  # "العاصمة الأردنية عمان": the adjective is not the name (the list finds "عمان")
        j = i + 1
        if j < n:
            nxt = toks[j]
            if nxt in res.nationality or (tok in res.loc_names and nxt in res.loc_names):
                return i  # "الرقة السورية" is Raqqa; "العاصمة السعودية الرياض" is two places, not one name
            if nxt in res.loc_words or (nxt.startswith(AL) and len(nxt) > 4 and self.name_like(nxt)
                                        and nxt not in res.first_name_base):
                return j
        return i

    # -- candidates: (priority, first token, last token, type, method) ---------------------------
    def _blocked_all(self, doc: Doc) -> frozenset[int]:
        """Given-name tokens ("علي") that were written with alef maqsura in the raw text, i.e. the
        preposition "على" folded by normalisation; computed once per article."""
        got = doc.cache.get("blocked")
        if got is None:
            ali, toks = self.res.ali_forms, doc.toks
            by_line: dict[int, list[int]] = {}
            for k in doc.hits.get(FIRST, ()):
                if toks[k] in ali:
                    by_line.setdefault(doc.line_of(k), []).append(k)
            out: set[int] = set()
            for line, ks in by_line.items():
                out.update(self._maqsura_tokens(doc, line, ks))
            if len(out) < sum(map(len, by_line.values())) and any(_YA_FOR_MAQSURA.search(r) for r in doc.raws if r):
                # a text that writes final ى as ي ("حتي", "الأخري") writes the preposition "علي" too: before a
                # word no name has ("علي الهضبة", "علي بعد15") it is the preposition, not Ali
                out.update(k for ks in by_line.values() for k in ks if k not in out and self._no_name_after_ali(doc, k))
            got = doc.cache["blocked"] = frozenset(out)
        return got  # type: ignore[return-value]

    def _no_name_after_ali(self, doc: Doc, k: int) -> bool:
        """Is the word after "علي" at k no part of a name: not a given name, particle or name word, a definite word
        only if a relative adjective ("علي الحسيني", not "علي الهضبة"), else not name-like ("علي مقاومتها",
        "علي بعد15") or not spelled like a name ("علي حدود")?"""
        if k + 1 >= doc.n:
            return False
        tok, res = doc.toks[k + 1], self.res
        if tok in NONWORD:
            return False
        if tok in res.first_name_base or tok in res.particles or tok in res.person_words:
            return False
        if tok.startswith(AL):
            # a relative adjective is a family name ("علي الحسيني"); another definite word is what "on" governs
            return tok[-1] != "\u064a" or self._is_blocker(tok)
        # an unknown word must also be spelled like a name (the learned letter n-grams): "علي حدود", "علي بساط"
        return not self.name_like(tok) or self._spelled_unlike_name(tok)

    def _maqsura_tokens(self, doc: Doc, line: int, ks: list[int]) -> Iterable[int]:
        """Which of the "علي" tokens ks of a sentence stand for "على" in its raw text."""
        raw = doc.raws[line]
        if not raw or _ALEF_MAQSURA not in raw:
            return ()
        if _ALA in raw and _ALI not in raw:
            return ks  # the usual case: the preposition is everywhere, the name nowhere
        norm = doc.norms[line]
        raw_words, norm_words = raw.split(), norm.split()
        if len(raw_words) != len(norm_words):
            return ()
        toks, ts, base = doc.toks, doc.ts, doc.line_char[line]
        wanted = {ts[k] - base: k for k in ks}
        out, pos = [], 0
        for w, rw in zip(norm_words, raw_words):
            pos = norm.find(w, pos)
            k = wanted.get(pos)
            if k is not None and _ALEF_MAQSURA in rw:
                out.append(k)
            pos += len(w)
        return out

    def _trigger_candidate(self, doc: Doc, hit: Hit) -> tuple[int, int, int, str, str] | None:
        res, toks = self.res, doc.toks
        entry, hit_first, hit_last = hit
        i = hit_last + 1
        if i >= doc.n or toks[i] in NONWORD:
            return None
        trig: Trigger = entry.payload  # type: ignore[assignment]
        kind = trig.kind
        if kind == "title" or kind == "role_head" or kind == "nationality":
            n = doc.n
            if kind != "role_head" and not self._title_follower(toks[i]):
                return None
            if kind == "role_head":
                j = self._skip_chain(doc, i)
            else:
                j = i
                while j < n and j - i < 2 and toks[j] in res.nationality:
                    j += 1
            while j < n and toks[j] in res.modifiers:
                j += 1
            if j >= n:
                return None
            tok = toks[j]
            if tok in NONWORD or tok in res.connectors or (tok.startswith(AL) and tok not in res.person_words):
                return None  # "المتحدث باسم الجيش": باسم connects the role, it is not the name Basem
            if tok in _ORDINALS:
                return None  # "الرهينة الياباني الثاني": an ordinal after a title or adjective is no name
            first_known = tok in res.first_name_base
            if not first_known and tok not in res.particles and not self.name_like(tok):
                return None
            blocked = self._blocked_all(doc)
            ambiguous = first_known and res.first_names.get(tok, False)
            if not first_known and _VERB_SHAPE.search(tok):
                return None
            cnt, last = self.read_name(doc, j, max_len=4, blocked=blocked, first_known=first_known and j not in blocked,
                                       ambiguous=ambiguous)
            if not cnt:
                return None
            if kind == "title" and cnt < 4 and last + 1 < n and toks[last + 1] in res.family_titles and (
                    self._no_name_at(doc, last + 2)):
                cnt, last = cnt + 1, last + 1  # "العميد ماهر السيد إن": the family name, no title of another name
            if cnt == 1 and ((ambiguous and kind != "title")
                             or (kind == "nationality" and tok not in res.person_words)):
                return None  # "الصحف العراقية علي صدر صفحاتها": an adjective is a weak cue for a lone word
            if (cnt == 1 and not first_known and tok not in res.person_words and tok not in res.particles
                    and toks[hit_last] not in res.ranks and self._spelled_unlike_name(tok)):
                return None  # "الوزير متحمس", "الحارس ركنية": a lone unknown word not spelled like a name
            return (_RULE_TITLE, j, last, "PER", "rule:title")
        if kind == "org_head":
            if toks[hit_first] in res.org_verb_forms and not self._owned_body(doc, hit_first, i):
                return None  # "بقيادة الضابط": led by the officer; "لقيادة الجيش": to command the army
            if toks[i] in res.person_titles and self._title_opens_name(doc, i):
                return None  # "قيادة الضابط محمود", "الفرقة العقيد سهيل": the title opens a person's name
            head = trig.word.split()[0]
            named = self._namesake(doc, i, head)
            if named >= 0:
                # "جامعة الملك سعود", "مركز الملك عبدالله": the body, over the person (the gazetteer's king)
                return (_QUOTED, hit_first, named, "ORG", "rule:org")
            last = self._org_chain(doc, i, head)
            if last < i:
                return None
            if (last == i and head in res.org_verbal_heads and self._verbal_object(doc, i)
                    and ("ORG", trig.word + " " + toks[i]) not in res.alias_entities):
                return None  # "حركة النزوح", "حركة السير": movement of something, no movement's name
            descriptor = head in res.org_descriptor_heads or (
                head in _PROPER_DESCRIPTORS and not toks[i].startswith(AL))
            if descriptor and last == i and self._indefinite_adjective(toks[i]):
                return None  # "صحيفة عربية", "شركة روسية", "موقع إلكتروني": a kind of paper, no paper's name
            first = i if descriptor else hit_first
            return (_RULE, first, last, "ORG", "rule:org_gov" if head in res.government_heads else "rule:org")
        if kind == "place_head":
            last = self._place_name(doc, i)
            if last < i:
                return None
            return (_RULE, hit_first if trig.word in res.place_heads_kept else i, last, "LOC", "rule:place")
        if kind == "speech":
            # "وقال بلير", "وأضاف فارس": the subject right after a speech verb. A lone unknown word is
            # taken only when it is not an ordinary word (the common-word list is large).
            tok = toks[i]
            if res.first_names.get(tok) and tok not in res.stop and self._complement_after(doc, i):
                # "وقال رمضان إن", "وأكد غريب أن": a given name that is also a word, as the whole subject of the
                # verb before what was said; alone it is a lone given name (not stored) unless the article names him
                return (_RULE, i, i, "PER", "rule:speech")
            if tok in res.first_names or tok in res.particles:
                return None
            if not self.name_like(tok):
                if self._said_by_one_word(doc, i):
                    return (_RULE, i, i, "PER", "rule:speech")  # "وقال بوين إنه": not ب + "وين" (where)
                return None
            if tok.startswith(AL) and tok not in res.person_words:
                return None
            cnt, last = self.read_name(doc, i, max_len=3, blocked=self._blocked_all(doc))
            if cnt == 1 and tok not in res.person_words and self._spelled_unlike_name(tok):
                return None  # as after a title: a lone unknown word must be spelled like a name
            return (_RULE, i, last, "PER", "rule:speech") if cnt else None
        return None

    def _media_cued(self, doc: Doc, first: int, last: int, bare: str) -> bool:
        """Is the outlet's bare name at first..last cued as an outlet: right after a correspondent ("مراسل
        الجزيرة"), alone in quotation marks ("« الشرق الأوسط »"), or with the preposition ل right after a speech
        verb or noun ("قال للجزيرة", "في تصريحات للجزيرة")? Most hits are the ordinary word or the place, so the
        cheapest tests come first."""
        res, toks = self.res, doc.toks
        before = toks[first - 1] if first else ""
        if before in res.media_cues:
            return True
        tok = toks[first]
        if before in res.media_said and tok[0] in _LAM_LEADS:
            word = bare.partition(" ")[0]
            # the clitics in front of the name: "ل" of "للجزيره" (ل + الجزيره) or "لرويترز"
            lead = tok[: len(tok) - len(word)] if tok.endswith(word) else tok[: len(tok) - len(word) + 2]
            if lead[-1:] == "\u0644" and (bare not in res.common or last + 1 >= doc.n or toks[last + 1] in NONWORD
                                          or toks[last + 1] in _THAT):
                return True  # "قال للجزيرة", "حديث للميادين إن"; not "قال للسفير الأمريكي" (to the ambassador)
        full, start = doc.full, doc.ts[first]
        if full[start - 1 : start] not in _QUOTES and full[start - 2 : start - 1] not in _QUOTES:
            return False
        end = doc.end(last)
        if full[end : end + 1] not in _QUOTES and full[end + 1 : end + 2] not in _QUOTES:
            return False
        # a word in quotation marks may be a label ('" الحياة " و " الفن "', '" العربية "'): the outlet only
        # after "لـ", a speech verb or a correspondent
        k = doc.prev_word(first)
        return bare not in res.common or (k >= 0 and (toks[k] == "\u0644" or toks[k] in res.media_said
                                                       or toks[k] in res.media_cues))

    def _said_by_one_word(self, doc: Doc, i: int) -> bool:
        """Is toks[i], right after a speech verb and right before what was said ("وقال بوين إنه", "وقال بادان :"), the
        whole subject although `name_like` reads it as a clitic on an ordinary word? Only a word that is no ordinary
        word itself, spelled like a name (the learned letter n-grams), not a verb shape, and not opening with
        the conjunction or with ل ("وقال لرويترز إن": told Reuters), nor ف/ب on an imperfect verb ("فيدعي :")."""
        tok, res = doc.toks[i], self.res
        if len(tok) > 4 and tok[0] in "\u0641\u0628" and tok[1] in _IMPERFECT and tok[2:] in res.common:
            return False
        return (len(tok) > 2 and tok.isalpha() and not tok.isascii() and tok[0] not in "\u0648\u0644"
                and tok not in res.common and not tok.startswith(AL) and not self._is_blocker(tok)
                and not self._verb_shape(tok) and bool(res.char_weights) and not self._spelled_unlike_name(tok)
                and self._complement_after(doc, i))

    def _complement_after(self, doc: Doc, i: int) -> bool:
        """Does what was said open right after token i: "إن"/"أن" (with a pronoun or ب), a colon or an opening quote?"""
        k = i + 1
        if k < doc.n and doc.toks[k] in _THAT:
            return True
        return doc.full[doc.end(i) : doc.end(i) + 2].lstrip()[:1] in _SAID_OPENERS

    def _owned_body(self, doc: Doc, head: int, i: int) -> bool:
        """Is the verbal-noun form of a head at toks[head] ("لقيادة") still a body's name: after a word that owns it
        ("التابعة لقيادة القوات الخاصة", "المدير العام لإدارة الطوارئ") or before a noun only a body commands
        ("لقيادة الأركان")?"""
        res, toks = self.res, doc.toks
        if toks[i] in res.org_verb_form_bodies:
            return True
        p = doc.prev_word(head)
        if p < 0:
            return False
        if toks[p] in res.org_verb_form_owners:
            return True
        q = doc.prev_word(p)
        return q >= 0 and f"{toks[q]} {toks[p]}" in res.org_verb_form_owners

    def _title_opens_name(self, doc: Doc, i: int) -> bool:
        """Does a person's name follow the title toks[i] (past nationality adjectives and rank modifiers)?"""
        res, toks, n = self.res, doc.toks, doc.n
        j = i + 1
        while j < n and j - i < 4 and (toks[j] in res.nationality or toks[j] in res.modifiers):
            j += 1
        if j >= n or toks[j] in NONWORD:
            return False
        tok = toks[j]
        return (tok in res.first_name_base or tok in res.particles
                or (not (tok.startswith(AL) and tok not in res.person_words) and self.name_like(tok)))

    def _kunya_place(self, doc: Doc, i: int) -> int:
        """Is the kunya at toks[i] ("أبو", "أبي", "أم") a place's or body's name rather than a person's? 1 after a
        place head or the head of an armed unit (org_kunya_heads: "قرية أبو رويل", "كتيبة أبو دجانة": the head's rule
        names it; not after "مكتب" or "مجموعة", whose kunya is the person they belong to); 2 in the nominative
        after a preposition that governs the genitive, where a person's kunya would read "أبي" ("في أبو قير", "إلى
        أبو حمام", "كأبو غريب": like Abu Ghraib), unless its noun is a given name: the place's frozen name; else 0."""
        toks, res = doc.toks, self.res
        tok = toks[i]
        if not i or not (tok in _KUNYA or tok in _LIKE_ABU):
            return 0  # "كتائب عبد الله عزام": named after a person, whom the rules still find
        prev = toks[i - 1]
        if prev in res.kunya_heads:
            return 1
        if (tok == _ABU and prev in res.kunya_place_leads) or tok in _LIKE_ABU:
            # but a kunya of a given name is a person's, whatever the grammar ("في أبو جهاد", "إلى أبو سليمان")
            return 0 if i + 1 < doc.n and toks[i + 1] in res.first_name_base else 2
        return 0

    def _indefinite_adjective(self, tok: str) -> bool:
        """An indefinite nationality or relative adjective that is an ordinary word ("عربية", "إلكتروني")."""
        res = self.res
        return not tok.startswith(AL) and (tok in res.nationality or (
            tok in res.common and (tok.endswith(_NISBA) or tok[-1] == "\u064a")))

    def _verbal_object(self, doc: Doc, i: int) -> bool:
        """Is toks[i], the one word after a verbal-noun head ("حركة", "إدارة"), an ordinary definite word that is
        not followed by a nationality adjective ("حركة النجباء العراقية" is a name), no relative adjective
        ("حركة الحوثي") and no curated organisation's name ("موقع الجزيرة" is Al Jazeera's site)?"""
        res, toks = self.res, doc.toks
        tok = toks[i]
        return (tok.startswith(AL) and tok in res.common and tok[-1] != "\u064a"
                and not (i + 1 < doc.n and toks[i + 1] in res.nationality) and ("ORG", tok) not in res.alias_entities)

    def _quoted_name(self, doc: Doc, k: int) -> tuple[int, int] | None:
        """(first, last) token of the one to four words in quotation marks that open at token k, right after an
        organisation head ("صحيفة «الشرق الأوسط»", "شركة "أمريكان إكسبريس"", "جماعة "أنصار الشريعة""), or None."""
        toks, full, ts, n = doc.toks, doc.full, doc.ts, doc.n
        head_end = ts[k - 1] + len(toks[k - 1])
        while k < n and toks[k] == "":
            k += 1
        if k >= n or toks[k] == BREAK:
            return None
        opening = full[head_end : ts[k]].strip()
        if len(opening) != 1 or opening not in _QUOTES:
            return None
        first = k
        while k < n and toks[k] not in NONWORD:
            k += 1
        last = k - 1
        if last - first > 3:
            return None
        while k < n and toks[k] == "":
            k += 1
        closing = full[ts[last] + len(toks[last]) : ts[k] if k < n else len(full)].lstrip()
        if not closing or closing[0] not in _QUOTES:
            return None
        if all(t.isdigit() or t in self.res.stop for t in toks[first : last + 1]):
            return None
        word = toks[first]
        if first == last and word.endswith(_NISBA) and not word.startswith(AL) and word in self.res.common:
            return None  # 'منظمة "إرهابية"': an adjective in quotation marks is a label, not a name
        return first, last

    def _first_name_candidate(self, doc: Doc, i: int, blocked: frozenset[int]) -> int:
        """Last token of a name opened by a known given name, or -1. A given name that is also an
        ordinary word ("علي", "أمل") needs a name-like word after it."""
        ambiguous = self.res.first_names[doc.toks[i]]
        cnt, last = self.read_name(doc, i, first_known=True, blocked=blocked, ambiguous=ambiguous)
        if cnt < 2 and ambiguous:
            return -1
        return last

    def _opener_candidate(self, doc: Doc, i: int) -> int:
        """Last token of a name opened by "عبد" or "أبو" ("عبد الله قاسم", "أبو بكر", "أبو حمزة المصري"), or -1.
        A kunya may end with a nisba ("المصري"), which after other names is an adjective."""
        res, toks, n = self.res, doc.toks, doc.n
        j = i + 1
        if j >= n:
            return -1
        nxt = toks[j]
        if nxt in NONWORD or nxt.isdigit() or (nxt not in res.particles and (
                nxt in res.stop or self._is_blocker(nxt) or not (nxt.startswith(AL) or self.name_like(nxt)))):
            return -1
        cnt, last = self.read_name(doc, i, max_len=4, blocked=self._blocked_all(doc), family=toks[i] in _ABD)
        if last < j:
            return -1
        if toks[i] not in _ABD and last + 1 < n and toks[last + 1] in res.nationality and toks[last + 1].startswith(AL):
            last += 1
        return last

    def _speech_candidate(self, doc: Doc, idx: int) -> int:
        """First token of a short name opening a clause right before a speech verb ("خطاب أكد ..."), or -1."""
        toks = doc.toks
        if toks[idx][0] in "\u0648\u0641":
            return -1
        j = idx
        while idx - j < 3 and j > 0:
            t = toks[j - 1]
            if t in NONWORD or t.startswith(AL) or not self.name_like(t):
                break
            j -= 1
        if j == idx or (j > 0 and toks[j - 1] not in NONWORD):
            return -1
        return j

    # -- resolution ------------------------------------------------------------------------------
    def _resolve(self, doc: Doc, cands: list[Cand]) -> list[EntityMention]:
        """Greedy choice, in candidate order, of non-overlapping mentions; then alias rules."""
        res = self.res
        if any(c[9] == "short" for c in cands):
            # A short alias that will not resolve (no full mention, no title before it) takes no tokens from
            # the rules: "العقيد صلاح الدين حسن" is a person, whatever the province "صلاح الدين" would be.
            full = {c[8].key for c in cands if c[9] == "name" and c[8] is not None}
            cands = [c for c in cands if c[9] != "short" or (
                (c[8].key in full or self._after_title(doc, c[4], c[6]))
                and not (c[6] == "PER" and self._after_place_head(doc, c[4])))]
        cands.sort()
        occupied: dict[int, Cand] = {}
        for c in cands:
            first, last = c[4], c[5]
            if first == last:
                clash = occupied.get(first)
                if clash is None:
                    occupied[first] = c
                    continue
                clashes = [clash]
            else:
                clashes = [occupied[t] for t in range(first, last + 1) if t in occupied]
                if not clashes:
                    for k in range(first, last + 1):
                        occupied[k] = c
                    continue
            # A rule may extend a gazetteer hit of its own type with genitive words or adjectives
            # ("وزارة الداخلية العراقية"), not with whatever follows it ("حزب الله ينال").
            if c[0] == -_GAZ or not all(t[0] in _LISTED and t[0] < c[0] and t[6] == c[6] and c[2] <= t[2] and t[2] - t[1] <= c[2] - c[1]
                                        and c[1] < t[1] and self._extends(doc, c, t) for t in clashes):
                continue
            for t in clashes:
                for k in range(t[4], t[5] + 1):
                    occupied.pop(k, None)
            if len(clashes) == 1 and clashes[0][9] == "name" and self._own_words(doc, c, clashes[0]):
                c = c[:8] + (clashes[0][8], "name")  # "قوات النظام السوري": still the army "قوات النظام" names
            for k in range(first, last + 1):
                occupied[k] = c
        chosen = sorted({id(c): c for c in occupied.values()}.values(), key=_START)
        if any(c[6] == "PER" for c in chosen):
            extra = self._coordinated(doc, chosen, occupied)
            if extra:
                chosen = sorted(chosen + extra, key=_START)
        named = {c[8].key for c in chosen if c[9] == "name" and c[8] is not None}
        curated = res.entity_words
        short_to_entity: dict[str, Entity] = {}
        mentions: list[EntityMention] = []
        lone: list[_Lone] = []  # one-word persons: given names, surnames
        full, seqs, line_char = doc.full, doc.seqs, doc.line_char
        nlines = len(line_char)
        line = 0
        for c in chosen:
            start = c[2]
            end = start - c[1]
            surface = full[start:end]
            while line + 1 < nlines and line_char[line + 1] <= start:
                line += 1  # chosen is sorted by start: walk the sentences along
            entity = c[8]
            if entity is not None:
                kind = c[9]
                if kind == "name":
                    method = "gazetteer"
                elif kind == "learned":
                    method = "learned"
                    if entity.type == "PER":
                        if self._lone(entity.canonical):
                            lone.append((len(mentions), entity, surface, seqs[line], start - line_char[line],
                                         end - line_char[line], self._cued(doc, c[4], c[5])))
                        surname = self._surname(entity, method)
                        if surname is not None:
                            short_to_entity[surname] = entity
                else:
                    if entity.key not in named and (kind == "role" or not self._after_title(doc, c[4], c[6])):
                        continue
                    method = "alias:" + kind
            else:
                entity = self._resolve_rule_surface(surface, c[6])
                if entity is None:
                    continue
                method = c[7]
                if entity.type == "PER" and entity.key not in curated:
                    if self._lone(entity.canonical):
                        lone.append((len(mentions), entity, surface, seqs[line], start - line_char[line],
                                     end - line_char[line], self._cued(doc, c[4], c[5])))
                    surname = self._surname(entity, method)
                    if surname is not None:
                        short_to_entity[surname] = entity
            base = line_char[line]
            mentions.append(mention(entity.key, entity.type, entity.canonical, entity.latin, surface,
                                    seqs[line], start - base, end - base, method))
        extra = self._surname_mentions(doc, occupied, short_to_entity) if short_to_entity else []
        if lone:
            self._resolve_lone(mentions, lone, extra)
        if extra:
            mentions.extend(extra)
            mentions.sort(key=_MENTION_ORDER)
        self._as_written(doc, mentions)
        return mentions

    def _as_written(self, doc: Doc, mentions: list[EntityMention]) -> None:
        """Name a rule-found or learned entity as the text writes it ("هيئة الدفاع", not the matching form "هييه
        الدفاع"): each mention that spans the name is named by its own letters; a surname or given name standing
        for it, by the first such mention of the article. The key stays the matching form's; the store shows the
        spelling most of an entity's mentions have (write.store_entities)."""
        curated = self.res.entity_words
        minted = [k for k, m in enumerate(mentions) if m.entity_key not in curated]
        if not minted:
            return
        lines: dict[int, int] | None = None
        plain: dict[int, str | None] = {}
        named: dict[str, tuple[str, str]] = {}
        aliases = []
        for k in minted:
            m = mentions[k]
            if m.method.startswith("alias:"):
                aliases.append(k)
                continue
            if lines is None:
                lines = {seq: i for i, seq in enumerate(doc.seqs)}
            line = lines[m.seq]
            if line not in plain:
                plain[line] = as_read(doc.raws[line], doc.norms[line])
            text = plain[line]
            name = m.canonical if text is None else written_name(doc.norms[line][m.start : m.end], text[m.start : m.end],
                                                                   m.canonical)
            if name != m.canonical:
                mentions[k] = mention(m.entity_key, m.entity_type, name, transliterate(name), m.surface, m.seq,
                                      m.start, m.end, m.method)
            named.setdefault(m.entity_key, (name, mentions[k].latin))
        for k in aliases:
            m = mentions[k]
            got = named.get(m.entity_key)
            if got is not None and got[0] != m.canonical:
                mentions[k] = mention(m.entity_key, m.entity_type, got[0], got[1], m.surface, m.seq, m.start, m.end,
                                      m.method)

    def _coordinated(self, doc: Doc, chosen: list[Cand], occupied: dict[int, Cand]) -> list[Cand]:
        """Names joined by the conjunction to a person ("كانافارو وإيمرسون", "محمد مرسي ، وعلي الحجار"): an
        unknown word opening with "و" right after a chosen person (or after a comma behind one) is the next
        person of the list; the conjunction stays out of the mention. Found names chain along the list."""
        res, toks, ts, n, full = self.res, doc.toks, doc.ts, doc.n, doc.full
        out: list[Cand] = []
        # A one-word rule-found person may be the first half of a name that goes on with "و" ("بونغي ويلفريد")
        ends = [c[5] for c in chosen if c[6] == "PER" and (c[8] is not None or c[5] > c[4])]
        while ends:
            k = ends.pop() + 1
            if k < n and toks[k] == "" and full[ts[k - 1] + len(toks[k - 1]) : ts[k + 1] if k + 1 < n else len(full)
                                               ].strip() in _COMMAS:
                k += 1
            if k >= n or k in occupied or not self._coordinate(toks[k]):
                continue
            _, last = self.read_name(doc, k, max_len=3, blocked=self._blocked_all(doc))
            if last < k or any(t in occupied for t in range(k + 1, last + 1)):
                continue
            start = ts[k] + 1
            c = (-_RULE, start - ts[last + 1] + 1, start, 1 << 28, k, last, "PER", "rule:coordinated", None, "name")
            for t in range(k, last + 1):
                occupied[t] = c
            out.append(c)
            ends.append(last)
        return out

    def _coordinate(self, tok: str) -> bool:
        """Can this token be "و" + the first word of a person's name in a list of names? Not an ordinary word,
        and (with the learned letter n-grams) spelled like a name rather than a noun or verb ("وعصابته", "وأخذن")."""
        rest = tok[1:]
        res = self.res
        return (len(rest) > 2 and tok[0] == "\u0648" and rest not in res.common and rest not in res.stop
                and res.first_name_base.get(tok) != tok  # "وهيب", "وليد": a given name that starts with و
                and (not rest.startswith(AL) or rest in res.person_words)
                and self.name_like(tok) and not self._verbish(rest)
                and not self._spelled_unlike_name(rest))

    def _lone(self, canonical: str) -> int:
        """0 unless a rule-found person name is one word or a given name alone: 1 for a surname-like word
        ("بيسكوف"), 2 for a given name ("محمد", "عبد الله", "نور الدين", "امنه"), which alone names nobody in
        particular."""
        got = self._lone_cache.get(canonical)
        if got is None:
            words = canonical.split()
            bases = self.res.first_name_base
            if len(words) == 1:
                # a given name, or an Arabic family name alone ("الحسن", "الحسين"): both are shared by many
                got = 2 if words[0] in bases or words[0].startswith(AL) else 1
            else:
                # "عبد الرحمن", "نور الدين", and a kunya of a given name ("ابو محمد", "ابو عبد الله"): generic alone
                if words[0] in _KUNYA and len(words) > 2:
                    words = words[1:]
                got = 2 if len(words) == 2 and ((words[0] in _ABD and words[1].startswith(AL))
                                                or words[1] in self.res.compound_ends
                                                or (words[0] in _KUNYA and words[1] in bases)) else 0
            if len(self._lone_cache) > _CACHE_LIMIT:
                self._lone_cache.clear()
            self._lone_cache[canonical] = got
        return got

    def _resolve_lone(self, mentions: list[EntityMention], lone: list[_Lone], surnames: list[EntityMention]) -> None:
        """A one-word person or a lone given name is the article's fuller person that starts ("بشار" ->
        "بشار الاسد") or ends ("بيسكوف" -> "ديمتري بيسكوف") with it, when exactly one does; a lone given name
        that names no such person stays a mention of a person, flagged LONE_GIVEN: as an entity it would merge every
        Mohammed of the corpus into one (the analysis keeps it out of the stored entities, see `listed`).

        A given name alone stands for the fuller person only where the text supports it: right after a title ("الملك
        فهد", "الأمير محمد") or a speech verb ("يقول حسام :"; `_cued`), within NEAR_SENTENCES after the full name, or
        in an article that names the person more than once (full name or surname: the person it is about). A person
        named once elsewhere in a long article does not make every later "يوسف" or "محمد" his ("يوسف (عليه السلام)"
        the prophet, 31 sentences after one mention of Yusuf al-Qaradawi). A list of given names that names again two
        or more of the article's people ("اعتقل أحمد الخطيب وسامر العلي ... وأفرج عن أحمد وسامر") supports each of
        them (`_lists_of_known`)."""
        full: dict[str, EntityMention] = {}  # one mention per fuller person of the article, by key
        for m in mentions:
            if m.entity_type == "PER" and m.entity_key not in full and " " in m.canonical and not self._lone(m.canonical):
                full[m.entity_key] = m
        # with their names as matched: a curated canonical is written with hamzas ("أحمد الشرع"), a given name is not
        people = [(self._normal(m.canonical), m) for m in full.values()]
        named: Counter[str] | None = None  # how often the article names each person (lone names aside)
        drop: set[int] = set()
        listed_again = _lists_of_known(lone, people) if len(lone) > 1 else frozenset()
        for k, (idx, entity, surface, seq, start, end, cued) in enumerate(lone):
            name = entity.canonical
            head, tail = name + " ", " " + name
            starts = [m for text, m in people if text.startswith(head)]
            # a one-word name or a kunya ("أبو يعقوب" of "يونس أبو يعقوب"), not the noun of a kunya or of "بن":
            # "محمد" alone is not "ماهر فروانة أبو محمد"
            ends = [m for text, m in people if text.endswith(tail)
                    and text[: -len(tail)].rpartition(" ")[2] not in self._name_particles
                    ] if " " not in name or name.partition(" ")[0] in _KUNYA else []
            if len(starts) == 1 and not ends and not cued and self._lone(name) == 2:
                if named is None:
                    named = Counter(map(_KEY, mentions))
                    named.update(map(_KEY, surnames))
                    named.subtract(mentions[k[0]].entity_key for k in lone)  # some may be linked already
                target = starts[0]
                if named[target.entity_key] < 2 and k not in listed_again and not (
                        0 <= seq - target.seq <= NEAR_SENTENCES and (target.seq, target.start) < (seq, start)):
                    starts = []  # named once, not just before, and no cue on this given name: no evidence
            if len(starts) + len(ends) == 1:
                target, how = (starts[0], "alias:given") if starts else (ends[0], "alias:surname")
                mentions[idx] = mention(target.entity_key, "PER", target.canonical, target.latin, surface, seq, start,
                                        end, how)
            elif self._lone(name) == 2 and not self.lone_given_names:
                if surface in self.res.common:
                    drop.add(idx)
                    continue
                m = mentions[idx]
                mentions[idx] = mention(m.entity_key, "PER", m.canonical, m.latin, surface, seq, start, end, LONE_GIVEN)
        if drop:
            mentions[:] = [m for k, m in enumerate(mentions) if k not in drop]

    def _normal(self, canonical: str) -> str:
        got = self._normalised.get(canonical)
        if got is None:
            if len(self._normalised) > _CACHE_LIMIT:
                self._normalised.clear()
            got = self._normalised[canonical] = normalize_text(canonical)
        return got

    def _adjective_slot(self, prev: str) -> bool:
        """Is a definite word after `prev` an adjective? After an ordinary definite noun it is ("المجتمع
        الأهلي"); after a head, title or name-like word it may be a name."""
        res = self.res
        return prev.startswith(AL) and prev in res.common and prev not in res.heads and prev not in res.title_words

    def _own_words(self, doc: Doc, rule: Cand, gaz: Cand) -> bool:
        """Does a rule candidate extend a curated name only with words of that entity's own aliases?"""
        entity = gaz[8]
        words = self.res.entity_words.get(entity.key) if entity is not None else None
        if not words:
            return False
        toks = doc.toks
        for k in (*range(rule[4], gaz[4]), *range(gaz[5] + 1, rule[5] + 1)):
            tok = toks[k]
            if tok not in words and not (k == rule[4] and any(
                    tok.startswith(p) and tok[len(p):] in words for p in _PREFIXES)):
                return False  # only the first word may carry a clitic ("لقوات النظام السوري")
        return True

    def _surname(self, entity: Entity, method: str) -> str | None:
        """The last word of a rule-found person's name, if it may stand for the person on its own later."""
        key = (entity.canonical, method in _STRONG_RULES)
        try:
            return self._surnames[key]
        except KeyError:
            pass
        res = self.res
        rest, _, surname_word = entity.canonical.rpartition(" ")
        before = rest.rpartition(" ")[2]
        joined = joined_spelling(before + " " + surname_word) if before in _JOINABLE else ""
        if joined and " " not in joined and " " in rest:
            # "خالد العبد الله", "يونس أبو يعقوب", also written "العبدالله", "ابويعقوب": that one word alone is the
            # person, as it was before spellings were folded ("الله", "يعقوب" alone are not)
            rest, surname_word = rest.rpartition(" ")[0], joined
            before = rest.rpartition(" ")[2]
        surname: str | None = surname_word
        if before in res.particles or (before.startswith(AL) and before[2:] in res.particles) or (
                surname_word in res.compound_ends) or ("PER", surname_word) in res.not_names:
            surname = None  # "أبو قصرة", "صلاح الدين", "علي أكبر": the last word alone is not the person
        # An ordinary word as surname ("حداد") only for a name found after a title or a known given name.
        if surname is not None and not (surname != entity.canonical and len(surname) > 2 and surname not in _ORDINALS
                and surname not in res.stop and surname not in res.ali_forms
                and (self.name_like(surname)
                     or (key[1] and not surname.startswith(AL) and not self._is_blocker(surname)
                         and not res.first_names.get(entity.canonical.split(" ", 1)[0], False)))):
            surname = None
        if len(self._surnames) > _CACHE_LIMIT:
            self._surnames.clear()
        self._surnames[key] = surname
        return surname

    def _extends(self, doc: Doc, rule: Cand, gaz: Cand) -> bool:
        toks, res = doc.toks, self.res
        extra = [*range(rule[4], gaz[4]), *range(gaz[5] + 1, rule[5] + 1)]
        if rule[6] == "PER":
            # a longer name around a known one: "جيرهارد شرودر", "أحمد علي عبد الله صالح" (his son)
            return all(toks[k] in res.particles or (self.name_like(toks[k]) and toks[k] not in res.nationality)
                       for k in extra)
        return all(toks[k] in res.nationality or toks[k] in res.loc_words
                   or ((toks[k].startswith(AL) or toks[k].startswith("\u0648" + AL)) and toks[k] not in res.common)
                   for k in extra)

    def _cued(self, doc: Doc, first: int, last: int) -> bool:
        """Does the text single out a one-word person as someone known: right after a title ("الملك فهد"), or as the
        whole subject of a speech verb ("وقال نيجيرفان ،", "يقول حسام :"; not "وقال ياسر العمده", another name)?"""
        if self._after_title(doc, first):
            return True
        p = doc.prev_word(first)
        if p < 0 or doc.toks[p] not in self.res.speech:
            return False
        nxt = doc.toks[last + 1] if last + 1 < doc.n else BREAK
        return nxt in NONWORD or nxt in self.res.stop

    def _after_title(self, doc: Doc, first: int, etype: str = "PER") -> bool:
        """Right after a title ("الوزير خطاب"), or for a place right after a place head ("مدينة حديثة")."""
        p = doc.prev_word(first)
        return p >= 0 and doc.toks[p] in (self.res.heads if etype == "LOC" else self.res.title_words)

    def _after_place_head(self, doc: Doc, first: int) -> bool:
        """Right after a place head or its plural ("حي الشعار", "أحياء الشعار"): a surname there names the place."""
        p = doc.prev_word(first)
        return p >= 0 and doc.toks[p] in self.res.place_words

    def _resolve_rule_surface(self, surface: str, etype: str) -> Entity | None:
        key = (surface, etype)
        try:
            return self._rule_entities[key]
        except KeyError:
            if len(self._rule_entities) > _CACHE_LIMIT:
                self._rule_entities.clear()
            got = self._rule_entities[key] = self._make_rule_entity(surface, etype)
            return got

    def _make_rule_entity(self, surface: str, etype: str) -> Entity | None:
        res = self.res
        words = surface.split()
        if not words:
            return None
        base = res.first_name_base.get(words[0])
        if base is not None:
            words[0] = base
        elif etype != "ORG" and len(words[0]) > 3 and words[0][0] == "\u0648" and words[0][1:] in res.name_words:
            words[0] = words[0][1:]
        elif etype != "PER" and words[0] not in res.head_bases:
            # "لوكاله الصحافه الفرنسيه": the head keeps no clitic, or one organisation has two names; nor does the
            # kunya of a place ("كأبو قباب")
            for p in _PREFIXES:
                if words[0].startswith(p) and (words[0][len(p):] in res.head_bases or words[0][len(p):] in _KUNYA):
                    words[0] = words[0][len(p):]
                    break
        # one spelling per name: "عبدالله المحيسني" is "عبد الله المحيسني", "مركز الملك عبدالله" is "مركز الملك عبد
        # الله", and a person's "أبي بكر" (genitive) is "أبو بكر"
        words = [w for word in words for w in split_joined(word)]
        if etype == "PER" and words[0] == _ABI:
            words[0] = _ABU
        canonical = " ".join(words)
        if (etype, canonical) in res.not_names:
            return None
        if etype == "ORG" and len(words) > 1 and not words[1].startswith(AL) and all(
                w in res.nationality for w in words[1:]):
            return None  # "تحالف دولي": a head with an indefinite adjective describes, it names nothing
        known = res.alias_entities.get((etype, canonical))
        if known is None and etype == "PER" and len(words) > 2:
            known = res.person_ends.get((words[0], words[-1]))  # the same person with his middle names
        if known is not None:
            return known
        return _minted(etype, canonical)

    def _surname_mentions(self, doc: Doc, covered: dict[int, Cand],
                          short_to_entity: dict[str, Entity]) -> list[EntityMention]:
        present = doc.vocab.intersection(short_to_entity)
        if not present:
            return []
        clean, ts, seqs, line_char = doc.clean, doc.ts, doc.seqs, doc.line_char
        out = []
        for tok in present:
            entity = short_to_entity[tok]
            size = len(tok)
            at = clean.find(tok)
            while at != -1:
                end = at + size
                # a whole token: clean has spaces (and the "\n" between sentences) around every token
                if (at == 0 or clean[at - 1] in " \n") and (end == len(clean) or clean[end] in " \n"):
                    i = bisect_left(ts, at)
                    if i not in covered and not (entity.type == "PER" and self._after_place_head(doc, i)):
                        line = doc.line_of_char(at)
                        start = at - line_char[line]
                        out.append(mention(entity.key, entity.type, entity.canonical, entity.latin, tok,
                                           seqs[line], start, start + size, "alias:surname"))
                at = clean.find(tok, end)
        return out
