"""Fast constructors for the frozen result records of basira.model.

A frozen dataclass's generated __init__ sets each field through object.__setattr__, which costs more
than the rest of the work for a typical mention (~100 per article). These helpers build the same
objects by filling the instance dict directly; equality, hashing, repr and pickling are unchanged.
They fall back to the normal constructor if the record ever stops being a plain dict-backed dataclass.
"""

from __future__ import annotations

import dataclasses

from basira.model import EntityMention, TopicEvidence

_new = object.__new__


def _plain(cls: type, names: tuple[str, ...]) -> bool:
    fields = tuple(f.name for f in dataclasses.fields(cls))
    return (fields == names and "__dict__" in cls.__dict__ and not hasattr(cls, "__post_init__")
            and all(f.init for f in dataclasses.fields(cls)))


_MENTION_FIELDS = ("entity_key", "entity_type", "canonical", "latin", "surface", "seq", "start", "end", "method")
_EVIDENCE_FIELDS = ("topic", "seq", "term", "start", "end")
_FAST_MENTION = _plain(EntityMention, _MENTION_FIELDS)
_FAST_EVIDENCE = _plain(TopicEvidence, _EVIDENCE_FIELDS)
# The instance-dict descriptor of each class: assigning a ready dict is cheaper than updating one.
_set_mention_dict = EntityMention.__dict__["__dict__"].__set__ if _FAST_MENTION else None
_set_evidence_dict = TopicEvidence.__dict__["__dict__"].__set__ if _FAST_EVIDENCE else None


def mention(entity_key: str, entity_type: str, canonical: str, latin: str, surface: str, seq: int, start: int,
            end: int, method: str) -> EntityMention:
    if not _FAST_MENTION:
        return EntityMention(entity_key, entity_type, canonical, latin, surface, seq, start, end, method)
    m = _new(EntityMention)
    _set_mention_dict(m, {"entity_key": entity_key, "entity_type": entity_type, "canonical": canonical, "latin": latin,
                          "surface": surface, "seq": seq, "start": start, "end": end, "method": method})
    return m


def evidence(topic: str, seq: int, term: str, start: int, end: int) -> TopicEvidence:
    if not _FAST_EVIDENCE:
        return TopicEvidence(topic, seq, term, start, end)
    e = _new(TopicEvidence)
    _set_evidence_dict(e, {"topic": topic, "seq": seq, "term": term, "start": start, "end": end})
    return e
