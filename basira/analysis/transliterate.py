"""Arabic-to-Latin forms of names the gazetteer does not know.

Two forms, for two jobs:
* ``transliterate`` is what an analyst reads: conventional news spellings for known name words
  ("خالد العبد الله" -> "Khaled al-Abdullah"), a consonant skeleton for the rest.
* ``skeleton`` is the consonant skeleton alone ("Khald al-Bd al-Lh"). Entity keys are minted from it, so a
  better spelling table never re-keys an entity that stores and shared links already name.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from basira.normalize import normalize_text

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
SPELLINGS_FILE = GAZETTEER / "name_spellings.tsv"
PERSONS_FILE = GAZETTEER / "persons.tsv"

_LETTERS = {
    "\u0627": "a", "\u0628": "b", "\u062a": "t", "\u062b": "th", "\u062c": "j", "\u062d": "h", "\u062e": "kh",
    "\u062f": "d", "\u0630": "dh", "\u0631": "r", "\u0632": "z", "\u0633": "s", "\u0634": "sh", "\u0635": "s",
    "\u0636": "d", "\u0637": "t", "\u0638": "z", "\u0639": "'", "\u063a": "gh", "\u0641": "f", "\u0642": "q",
    "\u0643": "k", "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u0647": "h", "\u0648": "w", "\u064a": "y",
    "\u0621": "'", "\u0629": "a", "\u0649": "a", "\u0622": "a", "\u0623": "a", "\u0625": "i", "\u0624": "'",
    "\u0626": "'",
}
_VOWELISH = set("aiu'")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_AL = "\u0627\u0644"
_ABD = "\u0639\u0628\u062f"
# Name particles with a settled Latin form; "بن" between names is "bin" as in "Osama bin Laden".
# Names written as one word that are two: "عبدالله" / "العبدالله" (عبد + a definite divine name) and a joined kunya
# "ابوبكر". Minted entities are spelled the spaced way, the standard one, so both spellings are one entity.
_ABD_JOINED = re.compile("^((?:\u0627\u0644)?\u0639\u0628\u062f)(\u0627\u0644..+)$")
_ABU_JOINED = re.compile("^(\u0627\u0628\u0648)(...+)$")
_PARTICLES = {
    "\u0627\u0628\u0648": "Abu", "\u0627\u0628\u064a": "Abi", "\u0628\u0646": "bin", "\u0627\u0628\u0646": "ibn",
    "\u0627\u0645": "Umm", "\u0628\u0646\u062a": "bint",
}


@lru_cache(maxsize=1 << 16)  # given names and family names recur across articles
def _skeleton_word(word: str) -> str:
    prefix = ""
    if word.startswith(_AL) and len(word) > 3:
        prefix, word = "al-", word[2:]
    out: list[str] = []
    for i, ch in enumerate(word):
        last = i == len(word) - 1
        prev = out[-1][-1] if out and out[-1] else ""
        if ch == "\u0648" and i > 0 and prev not in _VOWELISH:
            out.append("u")
        elif ch == "\u064a" and i > 0 and prev not in _VOWELISH and not (i + 1 < len(word) and word[i + 1] == "\u0627"):
            out.append("i")
        elif ch == "\u0647" and last and i > 1:
            out.append("a")
        elif ch == "\u0627" and i == 0:
            out.append("a")
        else:
            out.append(_LETTERS.get(ch, ch if ch.isascii() else ""))
    latin = "".join(out).lstrip("'")
    return prefix + latin[:1].upper() + latin[1:] if prefix else latin[:1].upper() + latin[1:]


def skeleton(name: str) -> str:
    """'أحمد الدالاتي' -> 'Ahmd al-Dalaty'-style: consonants and long vowels; the stable source of entity keys."""
    return " ".join(w for w in (_skeleton_word(x) for x in name.split()) if w)


def split_joined(word: str) -> tuple[str, ...]:
    """'عبدالله' -> ('عبد', 'الله'), 'العبدالرحمن' -> ('العبد', 'الرحمن'), 'ابوبكر' -> ('ابو', 'بكر'); else (word,).
    Normalised words."""
    m = _ABD_JOINED.match(word) or _ABU_JOINED.match(word)
    return (m.group(1), m.group(2)) if m else (word,)


def standard_spelling(name: str) -> str:
    """A normalised name with its joined compounds written apart: 'محمد بن عبدالله' -> 'محمد بن عبد الله'."""
    if "\u0639\u0628\u062f\u0627\u0644" not in name and "\u0627\u0628\u0648" not in name:
        return name  # most names: no compound to split
    return " ".join(w for word in name.split() for w in split_joined(word))


_ABD_SPACED = re.compile("(^| )((?:\u0627\u0644)?\u0639\u0628\u062f) (\u0627\u0644\\S\\S)")
_ABU_SPACED = re.compile("(^| )\u0627\u0628\u0648 (\\S{3})")


def joined_spelling(name: str) -> str:
    """The other common way to write a normalised name: 'عبد الله' -> 'عبدالله', 'ابو بكر' -> 'ابوبكر'."""
    return _ABU_SPACED.sub("\\1\u0627\u0628\u0648\\2", _ABD_SPACED.sub("\\1\\2\\3", name))


def spelling_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            arabic, latin = line.split("\t")[:2]
            rows.append((normalize_text(arabic), latin.strip()))
    return rows


def _gazetteer_words(path: Path) -> dict[str, str]:
    """Word spellings read off the curated persons ("أحمد الشرع" / "Ahmed al-Sharaa"), where words pair one to one."""
    votes: dict[str, Counter[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, latin = line.split("\t")[1:3]
        arabic_words, latin_words = normalize_text(canonical).split(), latin.split()
        if len(arabic_words) != len(latin_words):
            continue
        for arabic, spelled in zip(arabic_words, latin_words):
            # "Abdul Halim Khaddam" pairs "عبد" with "Abdul": a particle is not a name word
            # and "الحبيب بورقيبة" / "Habib Bourguiba" drops an article the Latin of another name would need
            if (arabic not in _PARTICLES and arabic != _ABD and spelled.replace("-", "").replace("'", "").isalpha()
                    and arabic.startswith(_AL) == spelled.lower().startswith(("al-", "el-"))):
                votes.setdefault(arabic, Counter())[spelled] += 1
    return {word: counts.most_common(1)[0][0] for word, counts in votes.items()}


@lru_cache(maxsize=1)
def spellings() -> dict[str, str]:
    """Normalised name word (or two-word compound such as "عبد الله") -> conventional Latin spelling."""
    table = _gazetteer_words(PERSONS_FILE)
    table.update(spelling_rows(SPELLINGS_FILE))  # the hand-kept table wins over spellings read off the gazetteer
    return table


def _spell(word: str, table: dict[str, str], written: str) -> str:
    known = table.get(word)
    if known is not None:
        return known
    if word.startswith(_AL) and len(word) > 3:
        bare = table.get(word[2:])
        if bare is not None and not bare.startswith("al-"):
            return "al-" + bare  # "الأحمد" from "أحمد": family names made of a given name
    return _skeleton_word(written)


@lru_cache(maxsize=1 << 16)
def transliterate(name: str) -> str:
    """'خالد العبد الله' -> 'Khaled al-Abdullah': news spellings where known, the skeleton elsewhere.

    The name may be written as in the text ("إدارة الإنشاءات"): known spellings are looked up by the matching form
    ("أحمد" is "Ahmed"), and the skeleton of an unknown word is read off its letters as written, where hamza and
    taa marbuta say more than their folds ("Idara al-Insha'at", not "Adara al-Ansha'at")."""
    table = spellings()
    written = name.split()
    words = normalize_text(name).split()
    if len(words) != len(written):
        written = words
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in table:
            out.append(table[pair])
            i += 2
            continue
        if word == _ABD and i + 1 < len(words) and words[i + 1].startswith(_AL):
            # an unknown "عبد ال…" compound: one name, "Abd al-Ghafur"-style
            out.append("Abd " + _skeleton_word(written[i + 1]))
            i += 2
            continue
        out.append(_PARTICLES.get(word) or _spell(word, table, written[i]))
        i += 1
    return " ".join(w for w in out if w)


def slug(latin: str) -> str:
    return _NON_SLUG.sub("_", latin.lower().replace("'", "")).strip("_") or "x"
