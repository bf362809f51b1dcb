"""The learned name tagger: decoding on hand-made weights, the weights file format, and the shipped model."""

from __future__ import annotations

from pathlib import Path

from basira.analysis.doc import Scanner, prepare_doc
from basira.analysis.entities import GazetteerRecognizer
from basira.analysis.tagger import NTAGS, Lexicon, Tagger, read_weights, self_features, stem
from basira.model import Sentence
from basira.normalize import normalize_text


def _vec(**tags: float) -> list[float]:
    names = ("O", "B_PER", "I_PER", "B_ORG", "I_ORG", "B_LOC", "I_LOC")
    return [tags.get(n, 0.0) for n in names]


def _doc(text: str):
    norm = normalize_text(text)
    doc = prepare_doc([Sentence(0, 0, 0, len(text), text, norm)])
    Scanner().scan(doc)
    return doc


# O by default; "كريستيانو" opens a person, a person continues into the next word, "ريال" opens a club.
WEIGHTS = {
    "bias": _vec(O=1.0),
    "w:كريستيانو": _vec(B_PER=3.0),
    "t:B-PER": _vec(I_PER=3.0),
    "w:ريال": _vec(B_ORG=2.0),
    "nw:مدريد": _vec(B_ORG=1.0),
    "pw:ريال": _vec(I_ORG=2.5),
}
LEX = Lexicon({"قال": 0, "ان": 1, "لاعب": 2})


def test_hand_made_weights_tag_a_person_and_a_club() -> None:
    doc = _doc("قال كريستيانو رونالدو ان لاعب ريال مدريد")
    tagger = Tagger(WEIGHTS, LEX)
    common = frozenset(LEX.ranks)
    assert doc.vocab - common - {""} == {"كريستيانو", "رونالدو", "ريال", "مدريد"}
    assert tagger.spans(doc, common) == [(1, 2, "PER"), (5, 6, "ORG")]
    # "رونالدو" and "مدريد" cannot open a name on their own (O wins by 1.0): only the others are scored.
    assert tagger.openers(doc, common) == {"كريستيانو", "ريال"}
    assert tagger.scores(doc.toks, 2, 1) == [1.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0]


def test_gate_and_types() -> None:
    doc = _doc("قال كريستيانو رونالدو ان لاعب ريال مدريد")
    common = frozenset(LEX.ranks)
    assert Tagger(WEIGHTS, LEX, gate=1.5).openers(doc, common) == {"كريستيانو", "رونالدو", "ريال", "مدريد"}
    assert Tagger(WEIGHTS, LEX, types=("ORG",)).spans(doc, common) == [(5, 6, "ORG")]
    assert Tagger(WEIGHTS, LEX, margin=2.5).spans(doc, common) == []
    assert not Tagger({}, LEX)


def test_features_and_weights_file(tmp_path: Path) -> None:
    assert stem("والبرازيلي") == "برازيلي"
    assert stem("ولد") == "ولد"
    assert self_features("لريال", Lexicon({"ريال": 5000})) == [
        "bias", "w:لريال", "s:ريال", "p2:لر", "p3:لري", "x2:ال", "x3:يال", "sp2:ري", "sx2:ال", "b:0", "sb:3", "L:4",
        "cl:ل"]
    path = tmp_path / "w.tsv"
    path.write_text("# header\nw:x\t100 -250 0 0 0 0 3\n", encoding="utf-8")
    got = read_weights(path)
    assert got == {"w:x": [1.0, -2.5, 0.0, 0.0, 0.0, 0.0, 0.03]}
    assert len(got["w:x"]) == NTAGS
    assert read_weights(tmp_path / "missing.tsv") == {}


def _found(recognizer: GazetteerRecognizer, text: str) -> list[tuple[str, str, str]]:
    ms = recognizer.recognize([Sentence(0, 0, 0, len(text), text, normalize_text(text))])
    return [(m.entity_type, m.surface, m.method) for m in ms]


def test_shipped_model_tags_fixed_sentences() -> None:
    recognizer = GazetteerRecognizer(use_tagger=True)
    assert recognizer.tagger is not None
    assert GazetteerRecognizer().tagger is None  # off by default
    assert _found(recognizer, "التقى هيلن بيكنسيل بالوفد") == [("PER", "هيلن بيكنسيل", "model:tagger")]
    assert _found(recognizer, "وقال رئيس إقليم كتالونيا كارلس بوتشدمون إن السلطات الإسبانية") == [
        ("LOC", "كتالونيا", "rule:place"), ("PER", "بوتشدمون", "model:tagger")]
    # an ambiguous given name alone ("حسن": good) and a name after a place head are not taken
    assert _found(recognizer, "وأوضح حسن أن الوضع بشكل حسن") == []
    assert _found(recognizer, "وزار محافظة صلاح الدين") == []
    assert _found(GazetteerRecognizer(), "التقى هيلن بيكنسيل بالوفد") == []
