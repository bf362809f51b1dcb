"""The list learned from ANERcorp train (eval/build_name_lists.py) and how the recogniser uses it."""

from pathlib import Path

from basira.analysis.entities import GazetteerRecognizer, load_resources, read_learned
from basira.model import Sentence
from basira.normalize import normalize_text
from eval.build_name_lists import Params, count, folds, select, spans


def sents(*texts: str) -> list[Sentence]:
    return [Sentence(i, 0, 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)]


def found(recognizer: GazetteerRecognizer, text: str) -> set[tuple[str, str, str]]:
    return {(m.entity_type, m.surface, m.method) for m in recognizer.recognize(sents(text))}


def tagged(text: str) -> list[tuple[str, str]]:
    """"word/TAG word ..." -> [(word, tag)], untagged words are O."""
    out = []
    for w in text.split():
        word, _, tag = w.partition("/")
        out.append((word, tag or "O"))
    return out


TRAIN = tagged(
    "قال بلير/B-PER إن بلير/B-PER وصل . وزار وبلير/B-PER لندن/B-LOC . "
    "رأى توني/B-PER بلير/I-PER بلير . زار توني/B-PER سنو/I-PER المكان ."
)


def test_spans_follow_conlleval_chunking():
    assert spans(tagged("أ/B-PER ب/I-PER ج د/I-ORG هـ/B-LOC")) == [(0, 1, "PER"), (3, 3, "ORG"), (4, 4, "LOC")]


def test_counts_merge_clitics_and_ignore_parts_of_longer_names():
    stats = count(TRAIN)
    # "بلير" is exactly a person 3 times (once as "وبلير"), once an untagged word; inside "توني بلير" it counts
    # for neither side.
    assert stats[("PER", ("بلير",))] == [3, 1]
    assert ("PER", ("وبلير",)) not in stats
    assert stats[("PER", ("توني", "بلير"))] == [1, 0]
    assert stats[("LOC", ("لندن",))] == [1, 0]
    # "توني" opens both two-word names and stands nowhere else.
    assert stats[("GIVEN", ("توني",))] == [2, 0]
    # the word before a name: "زار" stands once, before "توني سنو" ("وزار" is another token)
    assert stats[("CUE", (normalize_text("زار"),))] == [1, 0]


def test_select_applies_thresholds():
    params = Params()
    params.min_single = 3
    rows = select(count(TRAIN), params)
    assert ("PER", "بلير", 3, 1) in rows
    assert ("PER", "توني بلير", 1, 0) in rows
    assert not any(r[1] == "لندن" for r in rows)  # one word seen once: below min_single
    assert ("GIVEN", "توني", 2, 0) in rows
    params.min_single = 4
    assert not any(r[1] == "بلير" for r in select(count(TRAIN), params))


def test_folds_are_contiguous_and_end_at_full_stops():
    bounds = folds(TRAIN, 2)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(TRAIN)
    assert bounds[0][1] == bounds[1][0]
    assert TRAIN[bounds[0][1] - 1][0] == "."


def test_missing_learned_file_is_empty(tmp_path: Path):
    assert read_learned(tmp_path / "absent.tsv") == []


def test_learned_phrases_are_found_without_a_cue():
    text = "التقى كوستا ريبيرو بلاعبي بانفيلد سبورت أمس"
    assert found(GazetteerRecognizer(load_resources(learned=[])), text) == set()
    recognizer = GazetteerRecognizer(load_resources(learned=[("PER", "كوستا ريبيرو", 5, 0), ("ORG", "بانفيلد سبورت", 4, 0)]))
    assert found(recognizer, text) == {("PER", "كوستا ريبيرو", "learned"), ("ORG", "بانفيلد سبورت", "learned")}
    # later in the article the surname alone is the same person
    mentions = recognizer.recognize(sents("التقى كوستا ريبيرو الوفد", "ثم غادر ريبيرو المكان"))
    assert {(m.surface, m.entity_key, m.method) for m in mentions} == {
        ("كوستا ريبيرو", "per:kusta_ribiru", "learned"), ("ريبيرو", "per:kusta_ribiru", "alias:surname")}


def test_learned_person_after_a_place_head_is_not_a_person():
    recognizer = GazetteerRecognizer(load_resources(learned=[("PER", "محمد الخامس", 5, 0)]))
    assert not any(t == "PER" for t, _, _ in found(recognizer, "وصل الوفد إلى مطار محمد الخامس"))


def test_learned_given_name_opens_a_name():
    without = GazetteerRecognizer(load_resources(learned=[]))
    # "إيغناسيو", not "خافيير": the twelfth round made Javier a curated given name (first_names.tsv)
    with_given = GazetteerRecognizer(load_resources(learned=[("GIVEN", "ايغناسيو", 4, 0)]))
    text = "وصل إيغناسيو ميندوزا إلى المدينة"
    assert not any(t == "PER" for t, _, _ in found(without, text))
    assert found(with_given, text) == {("PER", "ايغناسيو ميندوزا", "rule:given_name")}


def _char_rows(*words: str) -> list[tuple[str, str, int, int]]:
    grams = set()
    for w in words:
        w = f"<{normalize_text(w)}>"
        grams |= {w[k : k + n] for n in (2, 3) for k in range(len(w) - n + 1)}
    return [("CHAR", "*", 100, 100)] + [("CHAR", g, 50, 1) for g in sorted(grams)]


def test_runs_of_rare_name_like_words_are_persons():
    rows = _char_rows("هيلن", "بيكنسيل", "وهيلن")
    assert found(GazetteerRecognizer(load_resources(learned=rows)), "التقى هيلن بيكنسيل بالوفد") == set()  # off by default
    recognizer = GazetteerRecognizer(load_resources(learned=rows), runs=True)
    assert found(recognizer, "التقى هيلن بيكنسيل بالوفد") == {("PER", "هيلن بيكنسيل", "rule:rare_run")}
    # a conjunction opens the next name ("بيكنسيل وهيلن" is two), and a lone word is not a run
    assert found(recognizer, "التقى بيكنسيل وهيلن بالوفد") == set()
    # without character statistics there are no runs
    assert found(GazetteerRecognizer(load_resources(learned=[]), runs=True), "التقى هيلن بيكنسيل بالوفد") == set()
