import pytest

from bench.page_loads import PAGES, summary_row


@pytest.mark.parametrize(
    "seconds, expected",
    [
        ([5.123, 4.2, 4.31, 4.0], "| Overview | 5.12 | 4.20 | 4.31 |"),  # the first load apart, then median and max
        ([2.0], "| Overview | 2.00 | 2.00 | 2.00 |"),  # one load: it is also the later loads' figure
    ],
)
def test_a_pages_row_reports_the_first_load_apart(seconds, expected):
    assert summary_row("Overview", seconds) == expected


def test_every_page_of_the_dashboard_is_timed():
    # A new page in pages/ must be added to the benchmark, as "Topics" for pages/1_Topics.py.
    from pathlib import Path

    pages = sorted(p.stem.split("_", 1)[1] for p in (Path(__file__).resolve().parent.parent / "pages").glob("*.py"))
    timed = {path.split("?")[0].strip("/") for _, path in PAGES}
    assert [p for p in pages if p not in timed] == ["Ingest"]  # the Ingest page reads no store view
