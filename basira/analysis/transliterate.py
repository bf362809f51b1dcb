"""A small rule-based Arabic-to-Latin transliterator for names the gazetteer does not know."""

from __future__ import annotations

import re
from functools import lru_cache

_LETTERS = {
    "\u0627": "a", "\u0628": "b", "\u062a": "t", "\u062b": "th", "\u062c": "j", "\u062d": "h", "\u062e": "kh",
    "\u062f": "d", "\u0630": "dh", "\u0631": "r", "\u0632": "z", "\u0633": "s", "\u0634": "sh", "\u0635": "s",
    "\u0636": "d", "\u0637": "t", "\u0638": "z", "\u0639": "'", "\u063a": "gh", "\u0641": "f", "\u0642": "q",
    "\u0643": "k", "\u0644": "l", "\u0645": "m", "\u0646": "n", "\u0647": "h", "\u0648": "w", "\u064a": "y",
    "\u0621": "'", "\u0629": "a", "\u0649": "a", "\u0622": "a", "\u0623": "a", "\u0625": "i", "\u0624": "'",
    "\u0626": "'",
}
_VOWELISH = set("aiu'")
_SUN = set("\u062a\u062b\u062f\u0630\u0631\u0632\u0633\u0634\u0635\u0636\u0637\u0638\u0644\u0646")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)  # given names and family names recur across articles
def _word(word: str) -> str:
    prefix = ""
    if word.startswith("\u0627\u0644") and len(word) > 3:
        prefix, word = "al-", word[2:]
    out: list[str] = []
    for i, ch in enumerate(word):
        last = i == len(word) - 1
        prev = out[-1][-1] if out and out[-1] else ""
        if ch == "\u0648" and i > 0 and prev not in _VOWELISH:
            out.append("u" if not last else "u")
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


def transliterate(name: str) -> str:
    """'أحمد الدالاتي' -> 'Ahmd al-Dalaty'-style: consonant skeleton with long vowels, readable not scholarly."""
    return " ".join(w for w in (_word(x) for x in name.split()) if w)


def slug(latin: str) -> str:
    return _NON_SLUG.sub("_", latin.lower().replace("'", "")).strip("_") or "x"
