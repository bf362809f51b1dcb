"""The Entities page's co-occurrence network on a store: names shown, overlapping names, and the figure's cost.

    python -m bench.network_labels DB [--repeats 3]

For each Type (all, People, Organisations, Places) the network of the unfiltered view is built as the page builds
it; prints the CPU ms per figure (median), the nodes, the labelled nodes, the labelled hubs (HUB_DEGREE partners or
more) and the overlapping pairs of estimated label boxes on the plot at 900 and 1400 px (PLOT_PX, measured in
Chromium).
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import pandas as pd

from bench.app_side import timed_cpu
from basira import charts, network, store
from basira.filters import Filters
from basira.queries import read

TYPES = {"all": None, "People": "PER", "Organisations": "ORG", "Places": "LOC"}
# The network's plot area on the Entities page at these window widths, with the sidebar open.
PLOT_PX = {900: (420, 470), 1400: (920, 470)}


def network(db: Path, entity_type: str | None) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """The page's pairs, names and types (pages/2_Entities.py)."""
    with store.read_cursor(db) as cur:
        pairs = read.cooccurrence(cur, Filters(), 40, entity_type)
        found = read.entity_lookup(cur, sorted(set(pairs["source"]) | set(pairs["target"])))
    names = {r["entity_key"]: charts.entity_label(r) for r in found.to_dict("records")}
    return pairs, names, dict(zip(found["entity_key"], found["entity_type"], strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.network_labels", description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    widths = " | ".join(f"overlaps {w} px" for w in PLOT_PX)
    print(f"| type | CPU ms | nodes | labelled | hubs labelled | {widths} |")
    print("|---|" + "---:|" * (4 + len(PLOT_PX)))
    for label, entity_type in TYPES.items():
        edges, names, types = network(args.db, entity_type)
        runs = [timed_cpu(lambda: charts.network_figure(edges, names, types)) for _ in range(args.repeats)]  # noqa: B023
        fig = runs[-1][2]
        degree = pd.concat([edges["source"], edges["target"]]).value_counts()
        shown = {c[0] for t in fig.data if t.mode == "markers+text" for c, text in zip(t.customdata, t.text) if text}
        hubs = set(degree.index[degree >= charts.HUB_DEGREE])
        overlaps = " | ".join(str(network.overlapping_pairs(charts.network_label_boxes(fig, px))) for px in PLOT_PX.values())
        print(f"| {label} | {statistics.median(r[1] for r in runs):.0f} | {len(degree)} | {len(shown)} "
              f"| {len(shown & hubs)} of {len(hubs)} | {overlaps} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
