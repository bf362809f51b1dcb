"""Direct quotations with their speaker: «...», "...", “...” after a speech verb or participle."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from basira.analysis.doc import BREAK, NONWORD, Doc, Scanner
from basira.model import EntityMention, Quotation
from basira.normalize import as_read, normalize_text

# Every quotation mark; quote_spans pairs them (ASCII '"' marks open and close alike, see _ascii_close).
_MARK = re.compile('[\u00ab\u00bb\u201c\u201d"]')
# Pairs marks with no nesting: all a sentence needs when it holds too few marks to nest (most do), at C speed. Two
# ASCII marks nest only when the second opens ('شبكة " سي .', the sentence cut inside the quote).
_FLAT_QUOTE = re.compile(r'\u00ab([^\u00bb]*)(?:\u00bb|$)|\u201c([^\u201d]*)(?:\u201d|$)|"([^"]*)(?:"|$)')
_CLOSING = {"\u00ab": "\u00bb", "\u201c": "\u201d"}
# One-letter clitics written glued to an opening mark ('و"قوات'): the mark opens a quote.
_CLITICS = frozenset("\u0648\u0641\u0628\u0644\u0643")
# Letters, digits, diacritics and tatweel: what a mark glued to a word touches (raw text keeps diacritics).
_WORD_CHAR = re.compile(r"[^\W_]|[\u0640\u064b-\u065f\u0670]")
MIN_QUOTE_WORDS = 3
# A quote more than this many characters after its speech verb is not attributed to it.
MAX_VERB_GAP = 120
# A speaker the gazetteer does not know is stored as the words after the verb ("مصدر أمني", "الجيش الروسي"), at most
# this many.
MAX_ROLE_WORDS = 5
VERBS, PARTICIPLES = "quotations:verbs", "quotations:participles"
# A quote this short may be a name in quotation marks ('حزب "العدالة والتنمية"', «مجموعة الأزمات الدولية»), not
# something said: the sample's commonest kind of false quotation (6 of 60).
NAME_QUOTE_MAX_WORDS = 5
# ... and is one when names cover this share of its characters.
NAME_QUOTE_COVERED = 0.6


@dataclass(frozen=True)
class SpeechWords:
    verbs: frozenset[str]  # finite speech verbs with clitics ("قال", "وأكد")
    participles: frozenset[str]  # "مؤكدا", "مشيرا": continue the current speaker
    # First words of a name that is written in quotes: organisation heads ("حزب", "مجموعة", "حركة") and
    # "دولة" (a proclaimed state: «دولة العراق الإسلامية»). Not "عملية": «عملية التطهير مستمرة» is said.
    name_heads: frozenset[str] = frozenset()
    # A speech verb followed by one of these names its own speaker, one the gazetteer does not know ("أعلن الجيش
    # الروسي", "ورأى اللقاء", "وقال مصدر آخر", "وقال وزير الطاقة"): neither a name just before the verb nor the last
    # speaker said it. Definite words after the verb are subjects too, except `not_subjects`: the time words that
    # often sit there ("وقال الأربعاء") and "إلى", which folds to a word starting with the article ("وأشار إلى «...»").
    subject_nouns: frozenset[str] = frozenset()
    not_subjects: frozenset[str] = frozenset()
    # The speaker's words end before these ("مصدر أمني لـ«الشرق الأوسط» إن", "مسؤول، طلب عدم ذكر اسمه"), and before
    # "في"/"ل" + a medium ("الجيش في بيان", "لوكالة رويترز").
    phrase_stops: frozenset[str] = frozenset()
    phrase_media: frozenset[str] = frozenset()
    # ... and the words shown end before these (and `not_subjects`: "وأكد الجيش الأحد") too, which may sit inside a
    # subject that names someone ("أشار وزير الخارجية الكندي إلى أن" but "المبعوث الروسي إلى أستانة ألكسندر لافرنتييف").
    role_stops: frozenset[str] = frozenset()
    # Verbs whose next word is their object, not their subject ("دعا الأطراف", "أبلغ بوتين"): no speaker from it.
    object_verbs: frozenset[str] = frozenset()
    # Inside a quote, an ASCII mark after one of these opens a quoted name ('شعار " تركيا ليست إيران "', 'شبكة " سي
    # إن إن "', 'و " قوات سوريا الديمقراطية "') instead of closing the quote.
    nested_intros: frozenset[str] = frozenset()
    # A speech verb right after one of these is a noun: "طلب عدم ذكر اسمه" names no speaker.
    not_verbs_after: frozenset[str] = frozenset()
    # A role speaker is the person the article itself names with that role (role_holder): the heads of offices
    # without the article ("وزير", "رئيس", "متحدث"), the adjectives that qualify an office ("السوري", "السابق"), the
    # ranks and honorifics between an office and a name ("رئيس الجمهورية العماد ميشال عون"), and the offices written
    # two ways ("رئيس الجمهورية" is "الرئيس").
    office_heads: frozenset[str] = frozenset()
    office_qualifiers: frozenset[str] = frozenset()
    office_titles: frozenset[str] = frozenset()
    office_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A name right after one of these prepositions is what is spoken about, to or through, never who speaks ("قال عن
    # كوسا", "في تغريدة على «تويتر» يقول", "نقلا من قناة العربية ... وتقول"); "كل من" lists speakers, so "من" after
    # "كل" does not count. "مع" governs a person too: "وفي مقابلة مع X قال" has X speak, but over the corpora (round
    # 22) letting a person after "مع" speak changed 3 sentences, 1 right ("لقاء للصحيفة مع إدوارد جونسون ... قال")
    # and 2 wrong ("الاشتراك مع المالكي ... قال", "لقائه مع أحمد الجربا ... قال فيها").
    not_speaker_after: frozenset[str] = frozenset()
    office_prepositions: frozenset[str] = frozenset()
    # ... but "عن" names the source after "نقل" ("نقلا عن عثمان بن صالح") or before "قوله" ("عن أردوغان قوله").
    source_before_about: frozenset[str] = frozenset()
    source_after: frozenset[str] = frozenset()
    # Outlets (entity keys): a glued "ل" before one names whom the words were said to even after an office's words
    # ("وقال المسؤول لرويترز"), see _glued_office_body.
    outlets: frozenset[str] = frozenset()

    def register(self, scanner: Scanner) -> None:
        scanner.add(VERBS, self.verbs)
        scanner.add(PARTICIPLES, self.participles)


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _WORD_CHAR.match(text, i) is not None


def _word_before(text: str, at: int) -> str:
    """The word ending before offset `at`, across spaces, as written."""
    end = at
    while end > 0 and text[end - 1] == " ":
        end -= 1
    return text[text.rfind(" ", 0, end) + 1 : end]


# The folds of normalize_text that the words _opens looks up need (tatweel, diacritics, alef/teh marbuta/alef maqsura),
# as one C-level translate: normalize_text on every word before a mark of a raw sentence cost more than the pairing.
_LIGHT_FOLD = str.maketrans({"\u0640": None, "\u0670": None, **{chr(c): None for c in range(0x064B, 0x0660)},
                             "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0629": "\u0647",
                             "\u0649": "\u064a", "\u0626": "\u064a", "\u0624": "\u0648"})


def _in(word: str, words: frozenset[str], raw: bool) -> bool:
    """Is `word` one of the normalised `words`? A raw text's word is folded first."""
    return word in words or (raw and word.translate(_LIGHT_FOLD) in words)


def _opens(text: str, at: int, intros: frozenset[str], raw: bool) -> bool:
    """Does the ASCII mark at `at`, inside a quote, open a quote within it? It does when glued to the word after it
    and not the word before ('لمحاربة "الارهاب'), when a lone clitic is glued before it ('و"قوات'), or, spaced
    on both sides, after a word that introduces a name or a slogan ('شبكة " سي'); glued to the word before it
    ('الوحيد" ،') it closes."""
    before, after = _is_word_char(text, at - 1), _is_word_char(text, at + 1)
    if before:
        return after and _in(_word_before(text, at), _CLITICS, raw)
    if after and text[at - 1 : at] in ("", " "):
        return True
    return not after and _in(_word_before(text, at), intros, raw)


def _ascii_close(text: str, marks: list[int], i: int, intros: frozenset[str], raw: bool) -> tuple[int, int, bool]:
    """The quote opened by the ASCII mark marks[i]: (index of the next mark left, end offset, closed?). A mark that
    opens a quoted name inside it (see _opens) pairs with the mark after it. When the marks run out with the quote
    still open, a quoted name's closing mark followed by punctuation or the end closes the quote too
    ('"دعمها مبادرة بوتين لمحاربة "الارهاب "، بعد'); otherwise the quote runs to the end."""
    inner_at, last_inner_close = -1, -1
    j = i + 1
    while j < len(marks):
        at = marks[j]
        j += 1
        if text[at] != '"':
            continue
        if inner_at >= 0:
            inner_at, last_inner_close = -1, at
        elif _opens(text, at, intros, raw):
            inner_at, last_inner_close = at, -1
        else:
            return j, at + 1, True
    if last_inner_close >= 0 and not _is_word_char(text, _next_non_space(text, last_inner_close + 1)):
        return j, last_inner_close + 1, True
    return j, len(text), False


def _next_non_space(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at


def _paired_close(text: str, marks: list[int], i: int) -> tuple[int, int, bool]:
    """The quote opened by the guillemet or curly mark marks[i]: nested pairs of the same marks are counted
    («... «...» ...»); with the marks run out, the quote ends at its last closing mark, or runs to the end."""
    open_mark = text[marks[i]]
    close_mark = _CLOSING[open_mark]
    depth, last_close, j = 1, -1, i + 1
    while j < len(marks):
        ch = text[marks[j]]
        j += 1
        if ch == open_mark:
            depth += 1
        elif ch == close_mark:
            depth -= 1
            last_close = marks[j - 1]
            if depth == 0:
                return j, last_close + 1, True
    if last_close >= 0:
        return bisect_left(marks, last_close) + 1, last_close + 1, True
    return j, len(text), False


def _flat_quote_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _FLAT_QUOTE.finditer(text):
        inner = (m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if len(inner.split(None, MIN_QUOTE_WORDS - 1)) >= MIN_QUOTE_WORDS:
            out.append((m.start(), m.end(), inner))
    return out


def quote_spans(text: str, intros: frozenset[str] = frozenset(), raw: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every quotation in a sentence (normalised unless `raw`), unclosed quotes running
    to the end. A quote may hold a quoted name («... “...” ...», "... "X" ...": see _ascii_close for the marks the
    normalised words `intros` decide)."""
    ascii_marks = text.count('"')
    if (text.count("\u00ab") < 2 and text.count("\u201c") < 2
            and (ascii_marks < 2 or (ascii_marks == 2 and not _opens(text, text.rindex('"'), intros, raw)))):
        return _flat_quote_spans(text)
    marks = [m.start() for m in _MARK.finditer(text)]
    out = []
    i = 0
    while i < len(marks):
        start = marks[i]
        ch = text[start]
        if ch == '"':
            i, end, closed = _ascii_close(text, marks, i, intros, raw)
        elif ch in _CLOSING:
            i, end, closed = _paired_close(text, marks, i)
        else:  # a closing mark with nothing open
            i += 1
            continue
        inner = text[start + 1 : end - closed].strip()
        if len(inner.split(None, MIN_QUOTE_WORDS - 1)) >= MIN_QUOTE_WORDS:  # stops splitting once there are enough
            out.append((start, end, inner))
    return out


def is_quoted_name(inner: str, start: int, end: int, mentions: list[EntityMention], heads: frozenset[str]) -> bool:
    """Is the quote `inner` (normalised), at [start, end) of its sentence, a name in quotation marks rather than a
    quotation: a few words that start with a name's head word, or that the sentence's entity mentions mostly cover?"""
    words = inner.split()
    if len(words) > NAME_QUOTE_MAX_WORDS:
        return False
    if words and words[0] in heads:
        return True
    covered = sum(max(0, min(m.end, end) - max(m.start, start)) for m in mentions)
    return covered >= NAME_QUOTE_COVERED * len(inner)


def _last_trigger(doc: Doc, line: int, before: int, name: str, not_after: frozenset[str] = frozenset()) -> int | None:
    """Start (in the sentence) of the last scanned word of list `name` that ends before `before` (an offset
    in the sentence), within MAX_VERB_GAP characters, and not right after a word of `not_after`."""
    base, ts, toks = doc.line_char[line], doc.ts, doc.toks
    hits = doc.hits.get(name, ())
    best = None
    # hits are token indices in order: start at the first one in this sentence
    for k in range(bisect_left(hits, doc.line_first_tok(line)), len(hits)):
        i = hits[k]
        start = ts[i] - base
        end = start + len(toks[i])
        if end > before:
            break
        if before - end <= MAX_VERB_GAP and (i == 0 or toks[i - 1] not in not_after):
            best = start
    return best


def _verb_token(doc: Doc, line: int, verb_at: int) -> int:
    return bisect_left(doc.ts, doc.line_char[line] + verb_at)


def _unnamed_subject(doc: Doc, line: int, verb_at: int, words: SpeechWords) -> bool:
    """Is the word right after the speech verb at `verb_at` (an offset in the sentence) a subject of its own?"""
    i = _verb_token(doc, line, verb_at) + 1
    word = doc.toks[i] if i < doc.n else ""
    return word in words.subject_nouns or (word.startswith("\u0627\u0644") and word not in words.not_subjects)


def _ends_subject(toks: list[str], j: int, words: SpeechWords, name_here: bool = False) -> bool:
    """Does the word toks[j] end the speech verb's subject: "في"/"ل" + a medium ("في بيان", "لوكالة", "لـ«الشرق»"; not
    "لل" in general: "المدير العام للشركة"), or, unless a name starts there (`name_here`: "بان كي مون" is no "بأن"),
    a complementiser or relative ("إن", "الذي") or a participle ("طالبا")?"""
    word = toks[j]
    if word == "\u0641\u064a":  # "في بيان"
        return j + 1 < len(toks) and toks[j + 1] in words.phrase_media
    if word[:1] == "\u0644" and word[1:] in words.phrase_media:  # the outlet even when named ("لوكالة الأناضول")
        return True
    return not name_here and (word in words.phrase_stops or word in words.participles)


def subject_end(doc: Doc, line: int, verb_at: int, quote_at: int, words: SpeechWords,
                name_starts: frozenset[int] = frozenset(), person_starts: frozenset[int] = frozenset()) -> int:
    """Where (in the sentence) the subject of the speech verb at `verb_at` can end at the latest: at the first word
    after the verb that ends a subject (_ends_subject; `name_starts`: where the sentence's names start), else at the
    quote. Punctuation does not end it: a name follows its title after a comma ("قال وزير الدفاع
    التركي , نور الدين جانيكلي :"). A lone "لـ" ends it unless a person (`person_starts`) is named before the next
    word that does: "مصدر أمني لـ«الشرق الأوسط» إن" but "رئيس المكتب السياسي لـ«حماس» موسى أبو مرزوق"."""
    toks, ts, base = doc.toks, doc.ts, doc.line_char[line]
    j = _verb_token(doc, line, verb_at) + 1
    pending = -1  # where a lone "لـ" stood, while no person has followed it
    while j < doc.n and ts[j] - base < quote_at and toks[j] != BREAK:
        at = ts[j] - base
        if pending >= 0 and at in person_starts:
            pending = -1
        if toks[j] and _ends_subject(toks, j, words, at in name_starts):
            if pending >= 0 or toks[j] != "\u0644":
                return pending if pending >= 0 else at
            pending = at
        j += 1
    return pending if pending >= 0 else quote_at


def role_words(doc: Doc, line: int, verb_at: int, quote_at: int, words: SpeechWords) -> list[str]:
    """The speaker as the normalised words after the speech verb at `verb_at`, up to the quote, punctuation or a
    word that ends a subject; none after a verb whose next word is its object."""
    i = _verb_token(doc, line, verb_at)
    toks, ts, n = doc.toks, doc.ts, doc.n
    if i >= n or toks[i] in words.object_verbs:
        return []
    limit = doc.line_char[line] + quote_at
    out: list[str] = []
    j = i + 1
    while j < n and len(out) < MAX_ROLE_WORDS and ts[j] < limit and toks[j] not in NONWORD:
        if _ends_subject(toks, j, words) or toks[j] in words.role_stops or toks[j] in words.not_subjects:
            break
        out.append(toks[j])
        j += 1
    return out


def role_text(doc: Doc, line: int, verb_at: int, quote_at: int, words: SpeechWords) -> str:
    """role_words as the sentence writes them ("وقال مصدر أمني لـ«الشرق الأوسط» إن" -> "مصدر أمني": shown, like a
    name, with its hamza and taa marbuta); "" when there are none."""
    out = role_words(doc, line, verb_at, quote_at, words)
    if not out:
        return ""
    ts, toks = doc.ts, doc.toks
    i = _verb_token(doc, line, verb_at)
    j = i + 1 + len(out)
    base = doc.line_char[line]
    read = as_read(doc.raws[line], doc.norms[line]) if doc.raws[line] else None
    if read is None:
        return " ".join(out)
    return " ".join(read[ts[i + 1] - base : ts[j - 1] - base + len(toks[j - 1])].split())


def _with_qualifiers(doc: Doc, line: int, verb_at: int, quote_at: int, words: SpeechWords) -> list[str]:
    """role_words and the qualifiers right after them that end the shown words ("الوزير السابق": a former minister
    is not the minister the article names)."""
    out = role_words(doc, line, verb_at, quote_at, words)
    j = _verb_token(doc, line, verb_at) + 1 + len(out)
    while out and j < doc.n and doc.toks[j] in words.office_qualifiers:
        out.append(doc.toks[j])
        j += 1
    return out


def _office(phrase: list[str], words: SpeechWords) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """(office, qualifiers) of a role phrase, or None when it names no office: "وزير الداخلية السوري" ->
    (("وزير", "الداخليه"), {"السوري"}); "الرئيس التركي" -> (("رئيس",), {"التركي"}); "رئيس الجمهورية" -> (("رئيس",),
    {}). The head loses its clitics and article; ranks and honorifics are dropped ("رئيس الجمهورية العماد")."""
    head = _head(phrase[0], words) if phrase else ""
    if not head:
        return None
    office, qualifiers = [head], set()
    for w in phrase[1:]:
        if w in words.office_titles:
            continue
        if _is_qualifier(w, words):
            qualifiers.add(w.removesuffix("\u0647"))
        else:
            office.append(w)
    key = words.office_synonyms.get(" ".join(office), tuple(office))
    return key, frozenset(qualifiers)


def _is_qualifier(word: str, words: SpeechWords) -> bool:
    """Is `word` an office qualifier ("السوري", "السابق"), also as it agrees with a feminine office ("الجمهورية
    اللبنانية": the normalised "اللبنانيه")?"""
    return word in words.office_qualifiers or word.removesuffix("\u0647") in words.office_qualifiers


def _head(word: str, words: SpeechWords) -> str:
    """An office head without its conjunction and article ("والوزير" -> "وزير"), else ""."""
    for w in (word, word[1:] if word[:1] in ("\u0648", "\u0641") else ""):
        bare = w.removeprefix("\u0627\u0644")
        if bare in words.office_heads:
            return bare
    return ""


def _titles_before(doc: Doc, line: int, start: int, words: SpeechWords) -> list[str]:
    """The office that titles the name at offset `start` of sentence `line` ("وقال وزير الخارجية التركي مولود جاوش
    أوغلو" -> "وزير الخارجية التركي"), or none: the words back to the one office head before the name, within
    MAX_ROLE_WORDS and punctuation, each of them definite, a qualifier or a title, or an indefinite noun a definite
    one follows ("رئيس وفد الحكومة السورية"). None for a name joined by "و" to the one before ("باسل الأمين وأحمد
    أمهز": the title is the other man's), nor for an office of an office ("مستشار رئيس الوزراء حيدر العبادي": the
    adviser or the prime minister)."""
    toks, at = doc.toks, doc.line_char[line] + start
    i = bisect_left(doc.ts, at)
    if i > 0 and (toks[i - 1] == "\u0648" or (doc.ts[i - 1] + len(toks[i - 1]) > at and toks[i - 1][:1] == "\u0648")):
        return []  # "وأحمد أمهز": the name starts inside the token, after its conjunction
    if i > 0 and doc.ts[i - 1] + len(toks[i - 1]) > at:
        i -= 1  # a name inside a token with another clitic ("لبشار"): the words before that token
    out: list[str] = []
    while i > 0 and len(out) < MAX_ROLE_WORDS and toks[i - 1] not in NONWORD:
        i -= 1
        out.append(toks[i])
    out.reverse()
    heads = [k for k, w in enumerate(out) if _head(w, words)]
    if len(heads) != 1:
        return []
    phrase = out[heads[0]:]
    for k, w in enumerate(phrase[1:], 1):
        if not (w.startswith("\u0627\u0644") or w.startswith("\u0644\u0644") or w in words.office_titles
                or _is_qualifier(w, words) or (k + 1 < len(phrase) and phrase[k + 1].startswith("\u0627\u0644"))):
            return []
    return phrase


def role_holder(doc: Doc, line: int, verb_at: int, role: list[str], mentions: list[EntityMention],
                words: SpeechWords) -> EntityMention | None:
    """The person the article names earlier with the office `role` names (a role speaker: "وقال وزير الداخلية"), when
    it names exactly one: "وزير الداخلية السوري أنس خطاب" (the words before a name), or the gazetteer's role alias
    the entity rules resolved ("وزير الداخلية السوري" in an article naming him). The role may leave out the
    qualifiers ("وزير الداخلية", "رئيس الجمهورية" for "الرئيس السوري بشار الأسد") but not add others ("الرئيس
    التركي" is no "الرئيس الروسي"), and a bare head ("الوزير") is the one person titled with an office of that
    head, when no one holds the bare office itself and the head is no office alone (a synonym's value: "الرئيس" is the
    president, not "رئيس الوزراء"). Nothing outside the article: an office held by different
    people over time is not resolved from a list."""
    wanted = _office(role, words)
    if wanted is None:
        return None
    office, qualifiers = wanted
    seq = doc.seqs[line]
    lines = {s: k for k, s in enumerate(doc.seqs)}
    exact: dict[str, EntityMention] = {}
    by_head: dict[str, EntityMention] = {}
    for m in mentions:
        if m.entity_type != "PER" or m.seq > seq or (m.seq == seq and m.start >= verb_at) or m.seq not in lines:
            continue
        if m.surface[:1] == "\u0648" and normalize_text(m.canonical)[:1] != "\u0648":
            continue  # "باسل الأمين وأحمد أمهز": a name joined by "و" (kept in the mention) has no title of its own
        phrase = m.surface.split() if m.method == "alias:role" else _titles_before(doc, lines[m.seq], m.start, words)
        got = _office(phrase, words)
        if got is None or not qualifiers <= got[1]:
            continue
        if got[0] == office:
            exact.setdefault(m.entity_key, m)
        elif len(office) == 1 and got[0][0] == office[0] and office not in words.office_synonyms.values():
            # "الوزير" is the minister named; "الرئيس", an office of its own (the president), is not "رئيس الوزراء"
            by_head.setdefault(m.entity_key, m)
    found = exact or by_head
    return next(iter(found.values())) if len(found) == 1 else None


_EVERY = "\u0643\u0644"  # "كل"
_FROM = "\u0645\u0646"  # "من"
_ABOUT = "\u0639\u0646"  # "عن"
_GLUED_PREPOSITIONS = "\u0628\u0644\u0643"  # ب ل ك
_TO = "\u0644"  # "ل"


def _glued_preposition(word: str, m: EntityMention) -> bool:
    """Is `word` (the mention's first word, or the word before a mention that starts inside its name) a preposition
    glued to the first word of the mention's name: "بوزاره المعارف", "للجيش الحر", "لوزاره" before "الدفاع الروسيه"?
    Only a listed name's spelling tells: a name the rules found was cut from the same letters, right or wrong
    ("كيارا مونتالدو" was read as "ك + يارا")."""
    if m.method.startswith(("rule", "learned")):
        return False
    word = word.removeprefix("\u0648") if len(word) > 3 else word
    name = normalize_text(m.canonical).split(" ", 1)[0]
    if word[:1] not in _GLUED_PREPOSITIONS or word == name:
        return False
    return word[1:] == name or (word.startswith("\u0644\u0644") and "\u0627" + word[1:] == name)


def _reports_from(doc: Doc, about: int, m: EntityMention, line: int, words: SpeechWords) -> bool:
    """Does "عن" at token `about` name the source of what is reported: after "نقل" or before "قوله"?"""
    before = doc.prev_word(about)
    if before >= 0 and doc.toks[before] in words.source_before_about:
        return True
    after = bisect_left(doc.ts, doc.line_char[line] + m.end)
    while after < doc.n and doc.toks[after] == "":
        after += 1
    return after < doc.n and doc.toks[after] in words.source_after


def _glued_office_body(doc: Doc, line: int, glued: int, verb_at: int, m: EntityMention, words: SpeechWords) -> bool:
    """Does the "ل/لل" glued to token `glued` tie an office named after the speech verb to its body ("وقال الأمين
    العام لحزب الله", as "في" does in "وقال مسؤول في حزب الله")? Right after the verb, or before an outlet, it names
    whom the words were said to ("وقال لحزب الله", "وقال المسؤول لرويترز"); and an office's body is an organisation
    ("لا يرى دورا لبشار الأسد" is no office of Assad's)."""
    if m.entity_type != "ORG" or m.entity_key in words.outlets:
        return False
    word = doc.toks[glued]
    word = word.removeprefix("\u0648") if len(word) > 3 else word
    before = glued - 1
    return (word.startswith(_TO) and before >= doc.line_first_tok(line) and doc.toks[before] != ""
            and doc.ts[before] - doc.line_char[line] > verb_at)


def governed_by_preposition(doc: Doc, line: int, m: EntityMention, verb_at: int, words: SpeechWords) -> bool:
    """Is the mention the object of a preposition (the word before it, across punctuation and quote marks, or
    one glued to it; a medium's noun may stand between: "من قناة العربية"), and so no speaker? After the speech
    verb "في/من/لدى" do not count: they tie a speaker's office to its body ("وقال مسؤول في حزب الله"), and the
    body is the nearest to a speaker the sentence names."""
    i = bisect_left(doc.ts, doc.line_char[line] + m.start) - 1
    first = doc.line_first_tok(line)
    if _glued_preposition(m.surface.split(" ", 1)[0], m):
        return not _glued_office_body(doc, line, i + 1, verb_at, m, words)
    if i >= first and _glued_preposition(doc.toks[i], m):
        return not _glued_office_body(doc, line, i, verb_at, m, words)
    while i >= first and doc.toks[i] == "":
        i -= 1
    if i > first and doc.toks[i] in words.phrase_media:  # "من قناة العربية", "على موقع تويتر"
        i -= 1
        while i >= first and doc.toks[i] == "":
            i -= 1
    if i < first or doc.toks[i] not in words.not_speaker_after:
        return False
    if m.start > verb_at and doc.toks[i] in words.office_prepositions:
        return False
    if doc.toks[i] == _ABOUT and (_reports_from(doc, i, m, line, words)):
        return False
    return not (doc.toks[i] == _FROM and i > first and doc.toks[i - 1] == _EVERY)


def _speaker_near(mentions: list[EntityMention], verb_at: int, subject_end: int, subject_after: bool) -> EntityMention | None:
    """The subject of the speech verb: a PER/ORG mention between the verb and where its subject ends (VSO; not the
    outlet spoken to, nor a name in what the subject said) or, unless another subject follows the verb
    (`subject_after`), just before the verb. `mentions` hold no name a preposition governs."""
    after = [m for m in mentions if verb_at <= m.start < subject_end and m.entity_type in ("PER", "ORG")]
    if after:
        people = [m for m in after if m.entity_type == "PER"]
        return (people or after)[0]
    if subject_after:
        return None
    before = [m for m in mentions if m.end <= verb_at and verb_at - m.end <= 30 and m.entity_type in ("PER", "ORG")]
    return before[-1] if before else None


def extract_quotations(doc: Doc, mentions: list[EntityMention], words: SpeechWords) -> tuple[Quotation, ...]:
    """Quotations in a Doc already scanned with a Scanner `words` registered with."""
    full = doc.full
    if '"' not in full and "\u00ab" not in full and "\u201c" not in full:
        return ()
    by_seq: dict[int, list[EntityMention]] = {}
    for m in mentions:
        by_seq.setdefault(m.seq, []).append(m)
    out: list[Quotation] = []
    current: tuple[str | None, str, int, int] | None = None  # key (None: a role), surface, paragraph, seq
    for line, norm in enumerate(doc.norms):
        seq, paragraph = doc.seqs[line], doc.paragraphs[line]
        if current is not None and (paragraph != current[2] and seq - current[3] > 2):
            current = None
        if '"' not in norm and "\u00ab" not in norm and "\u201c" not in norm:
            continue
        norm_quotes = quote_spans(norm, words.nested_intros)
        if not norm_quotes:
            continue
        raw_quotes: list[tuple[int, int, str]] | None = None  # read from the raw text once a quote is kept
        starts: tuple[frozenset[int], frozenset[int]] | None = None  # where names and persons start, once needed
        for k, (qs, qe, inner_norm) in enumerate(norm_quotes):
            verb_at = _last_trigger(doc, line, qs, VERBS, words.not_verbs_after)
            speaker: EntityMention | None = None
            role = ""
            said_as = ""  # the role words a speaker the article names was called by
            if verb_at is not None:
                subject_after = _unnamed_subject(doc, line, verb_at, words)
                said = by_seq.get(seq, [])
                if starts is None:
                    starts = (frozenset(m.start for m in said), frozenset(m.start for m in said if m.entity_type == "PER"))
                end = subject_end(doc, line, verb_at, qs, words, *starts)
                free = [m for m in said if not governed_by_preposition(doc, line, m, verb_at, words)]
                speaker = _speaker_near(free, verb_at, end, subject_after)
                if speaker is None and subject_after:
                    # someone the store cannot name speaks: stored by the words that name them, with no entity,
                    # unless the article names who holds that office
                    role = role_text(doc, line, verb_at, qs, words)
                    if not role:
                        current = None
                        continue
                    holder = role_holder(doc, line, verb_at, _with_qualifiers(doc, line, verb_at, qs, words),
                                         mentions, words)
                    if holder is not None:
                        speaker, said_as, role = holder, role, ""
            if speaker is not None:
                current = (speaker.entity_key, said_as or speaker.surface, paragraph, seq)
            elif role:
                current = (None, role, paragraph, seq)
            elif current is not None and (verb_at is not None or _last_trigger(doc, line, qs, PARTICIPLES) is not None):
                current = (current[0], current[1], paragraph, seq)  # the speaker goes on
            else:
                continue
            if is_quoted_name(inner_norm, qs, qe, by_seq.get(seq, []), words.name_heads):
                # A name in quotes is no quotation, but the sentence still reports its speaker ('وأكد أردوغان أن
                # "وحدات حماية الشعب" ...'), who goes on speaking in the next ("وأضاف : «...»").
                continue
            if raw_quotes is None:
                raw = doc.raws[line]
                raw_quotes = quote_spans(raw, words.nested_intros, raw=True) if raw else []
            quote_text = raw_quotes[k][2] if k < len(raw_quotes) else inner_norm
            out.append(Quotation(current[0], current[1], quote_text, seq))
    return tuple(out)
