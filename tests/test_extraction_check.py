"""The extraction checker scores each labelled set on its own (tuned vs the fresh sample judged before tuning)."""

from __future__ import annotations

from collections import Counter

import pytest

from basira.model import ArticleAnalysis, Quantity
from eval import extraction_check


def _count_label(line: int, surface: str, kind: str, set_name: str | None) -> dict:
    label = {"corpus": "c", "line": line, "seq": 0, "low": 5, "high": 5, "unit": "جندي", "kind": "killed",
             "surface": surface, "is_count": True, "gold_low": 5, "gold_high": 5, "unit_ok": True,
             "gold_kind": kind, "error": None, "note": ""}
    if set_name is not None:
        label["set"] = set_name
    return label


def test_labels_group_by_set_in_file_order() -> None:
    labels = [_count_label(1, "a", "killed", None), _count_label(2, "b", "killed", "fresh22"),
              _count_label(3, "c", "killed", None)]
    groups = extraction_check.by_set(labels)
    assert list(groups) == ["tuned", "fresh22"]
    assert [lab["line"] for lab in groups["tuned"]] == [1, 3]
    assert [lab["line"] for lab in groups["fresh22"]] == [2]


@pytest.mark.parametrize(("gold_kinds", "present", "fully", "dropped"), [
    (("killed", "killed"), (True, True), 2, 0),
    (("killed", "injured"), (True, True), 1, 0),
    (("killed", "killed"), (True, False), 1, 1),
])
def test_fully_right_counts_items_with_no_wrong_field(monkeypatch, gold_kinds, present, fully, dropped) -> None:
    stored = {line: ArticleAnalysis(quantities=(Quantity(5, 5, "جندي", "killed", "5 جنود", 0),) if here else ())
              for line, here in enumerate(present)}
    monkeypatch.setattr(extraction_check, "analysis_of", lambda corpus, line: stored[line])
    labels = [_count_label(line, "5 جنود", kind, "fresh22") for line, kind in enumerate(gold_kinds)]
    tally, errors = extraction_check.check(labels, ("count", "range", "unit", "kind"),
                                           extraction_check.score_quantity, show=False)
    assert (tally.fully_right, tally.total, tally.dropped) == (fully, 2, dropped)
    assert errors == (Counter({"new_error": 1}) if fully + dropped < 2 else Counter())


@pytest.mark.parametrize(("stored_surface", "found"), [
    ("300 شخص", True),  # the words labelled: found, and scored wrong
    ("7 الاف و 300 شخص", True),  # the whole count, named by gold_surface: found, and scored right
    ("و 300 شخص", False),
])
def test_a_count_is_found_again_by_its_right_surface(stored_surface: str, found: bool) -> None:
    label = {**_count_label(0, "300 شخص", "other", "fresh22"), "gold_low": 7300, "gold_high": 7300,
             "gold_surface": "7 الاف و 300 شخص"}
    value = 300 if stored_surface == "300 شخص" else 7300
    analysis = ArticleAnalysis(quantities=(Quantity(value, value, "جندي", "other", stored_surface, 0),))
    scores = extraction_check.score_quantity(label, analysis)
    if not found:
        assert scores is None
    else:
        assert scores == {"count": True, "range": value == 7300, "unit": True, "kind": True}


_DEVSET_TEXT = "قال المتحدث إن القوات دخلت البلدة بعد معارك استمرت ثلاثة أيام مع عناصر التنظيم في الريف الشرقي"
_OTHER_TEXT = "أعلنت الوزارة عن خطة جديدة لتنظيم حركة المرور في العاصمة خلال أيام العيد وما بعدها بأسبوع"


@pytest.mark.parametrize(("label", "found"), [
    # a fresh label on a devset article, by reference or by text (a copy under another line), is found
    (_count_label(2, "a", "killed", "fresh22"), True),
    (_count_label(7, "a", "killed", "fresh22"), True),
    # guards: another article; the tuned set is not a fresh sample
    (_count_label(9, "a", "killed", "fresh22"), False),
    (_count_label(2, "a", "killed", None), False),
])
def test_a_fresh_label_on_a_devset_article_is_found(label, found) -> None:
    texts = {2: _DEVSET_TEXT, 7: _DEVSET_TEXT, 9: _OTHER_TEXT}
    devset_keys = {extraction_check.article_key({"corpus": "c", "line": 2})}
    prints = [extraction_check.fingerprint(_DEVSET_TEXT)]
    got = extraction_check.on_devset([label], devset_keys, prints, lambda lab: extraction_check.fingerprint(
        texts[lab["line"]]))
    assert got == ([label] if found else [])


def test_the_checker_refuses_a_fresh_set_with_a_devset_article(monkeypatch, capsys) -> None:
    labels = [_count_label(1, "a", "killed", None), _count_label(2, "b", "killed", "fresh22")]
    monkeypatch.setattr(extraction_check, "available", lambda: True)
    monkeypatch.setattr(extraction_check, "load_labels", lambda path: labels)
    monkeypatch.setattr(extraction_check, "devset_articles", lambda: ({"c:2"}, []))
    monkeypatch.setattr(extraction_check, "label_print", lambda label: ("", set()))
    monkeypatch.setattr(extraction_check, "check", lambda *a: pytest.fail("a refused sample was scored"))
    assert extraction_check.main([]) == 2
    assert "devset article in set fresh22: c:2" in capsys.readouterr().err
