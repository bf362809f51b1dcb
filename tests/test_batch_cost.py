"""bench/batch_cost.py: the table of a run, this code's medians as ratios to the baseline's of the same run."""

from __future__ import annotations

from bench import batch_cost


def _run(store: str, batch: str, code: str, wall: float, reanalysed: int) -> dict:
    return {
        "store": store, "batch": batch, "code": code, "wall": wall, "writer_cpu": wall / 2, "workers_cpu": 0.0,
        "ms_per_article": 10 * wall, "reanalysed": reanalysed, "reanalyse_cpu": reanalysed / 100, "copy_wall": 0.5,
    }


def test_the_table_gives_medians_and_ratios_to_the_baseline_by_store_and_batch_in_the_order_of_the_run():
    rows = [
        _run("100k", "1000", "baseline", 30.0, 900), _run("100k", "1000", "this", 24.0, 500),
        _run("10k", "100", "this", 4.0, 40), _run("10k", "100", "baseline", 8.0, 90),
        _run("10k", "100", "this", 6.0, 40), _run("10k", "100", "baseline", 10.0, 94),
    ]
    assert batch_cost.table(rows).splitlines() == [
        "| store | batch | code | wall s | writer CPU s | workers CPU s | CPU ms/article | re-analysed"
        " | re-analysis CPU s | copy s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        "| 100k | 1000 | baseline | 30.00 | 15.00 | 0.00 | 300.0 | 900 | 9.00 | 0.50 |",
        "| 100k | 1000 | this | 24.00 (0.80x) | 12.00 (0.80x) | 0.00 | 240.0 (0.80x) | 500 (0.56x) | 5.00 (0.56x)"
        " | 0.50 (1.00x) |",
        "| 10k | 100 | baseline | 9.00 | 4.50 | 0.00 | 90.0 | 92 | 0.92 | 0.50 |",
        "| 10k | 100 | this | 5.00 (0.56x) | 2.50 (0.56x) | 0.00 | 50.0 (0.56x) | 40 (0.43x) | 0.40 (0.43x)"
        " | 0.50 (1.00x) |",
    ]
