"""The co-occurrence network: a deterministic layout, names placed where they clear each other, every mark clickable."""

from __future__ import annotations

import pandas as pd
import pytest

from basira import charts, network

PLOT = network.NETWORK_PLOT_PX
HUB = [("hub", f"s{i:02d}", 1 + i % 4) for i in range(30)]
THREE = [("a", "b", 5), ("b", "c", 2), ("a", "c", 1), ("d", "e", 3), ("f", "g", 1), ("f", "h", 1), ("f", "i", 4)]
GRAPHS = pytest.mark.parametrize("pairs", [HUB, THREE], ids=["hub and 30 spokes", "three components"])


def _network(pairs: list[tuple[str, str, int]]) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    edges = pd.DataFrame(pairs, columns=["source", "target", "sentences"]).assign(articles=1)
    nodes = sorted(set(edges["source"]) | set(edges["target"]))
    names = {n: f"الاسم {n} · Person {n}" for n in nodes}
    types = {n: ("PER", "ORG", "LOC")[i % 3] for i, n in enumerate(nodes)}
    return edges, names, types


def _nodes(fig) -> dict[str, tuple[float, float, float, str, str, str]]:
    """Each node's x, y, marker size, label, label position and hover text."""
    return {c[0]: (x, y, size, text, where, hover) for t in fig.data if t.mode == "markers+text"
            for x, y, size, text, where, hover, c in zip(t.x, t.y, t.marker.size, t.text, t.textposition, t.hovertext,
                                                         t.customdata, strict=True)}


def _marker_box(x: float, y: float, size: float) -> network.Box:
    px, py = network.to_pixels(x, y, PLOT)
    return px - size / 2, py - size / 2, px + size / 2, py + size / 2


@GRAPHS
def test_network_layout_is_deterministic(pairs):
    nodes = sorted({n for p in pairs for n in p[:2]})
    assert network.packed_layout(nodes, pairs) == network.packed_layout(nodes, pairs)
    assert charts.network_figure(*_network(pairs)).to_json() == charts.network_figure(*_network(pairs)).to_json()


@GRAPHS
def test_placed_names_clear_each_other_and_the_other_markers(pairs):
    fig = charts.network_figure(*_network(pairs))
    nodes = _nodes(fig)
    boxes = charts.network_label_boxes(fig)
    assert len(boxes) == sum(bool(v[3]) for v in nodes.values()) > 0
    assert network.overlapping_pairs(boxes) == 0
    for key, (x, y, size, text, where, _) in nodes.items():
        if text:
            box = network.label_box(network.to_pixels(x, y, PLOT), text, where, size)
            assert 0 <= box[0] and 0 <= box[1] and box[2] <= PLOT[0] and box[3] <= PLOT[1]
            others = [_marker_box(*v[:3]) for k, v in nodes.items() if k != key]
            assert not any(network.boxes_overlap(box, m) for m in others), key


def test_the_hub_is_named_first():
    assert _nodes(charts.network_figure(*_network(HUB)))["hub"][3] == "الاسم hub<br>Person hub"


def test_components_are_packed_in_rows():
    layout = network.packed_layout(sorted({n for p in THREE for n in p[:2]}), THREE, 420 / 470)
    spans = [(min(layout[n][0] for n in part), max(layout[n][0] for n in part),
              min(layout[n][1] for n in part), max(layout[n][1] for n in part))
             for part in (["a", "b", "c"], ["f", "g", "h", "i"], ["d", "e"])]
    assert all(-1 <= v <= 1 for xy in layout.values() for v in xy)
    # On a plot narrower than tall, the rows hold one component each, largest at the top.
    (_, _, abc_low, abc_high), (_, _, f_low, _), (_, _, _, de_high) = spans
    assert de_high < abc_low and abc_high < f_low


def test_components_largest_first():
    assert network.components(["a", "b", "c", "d", "e", "f", "g", "h", "i"], THREE) == [
        ["f", "g", "h", "i"], ["a", "b", "c"], ["d", "e"]]


@GRAPHS
def test_every_node_and_every_pair_stays_clickable(pairs):
    edges, names, types = _network(pairs)
    fig = charts.network_figure(edges, names, types)
    marks = next(t for t in fig.data if t.name == "pairs")
    assert [list(c) for c in marks.customdata] == [[a, b] for a, b, _ in pairs]
    assert marks.marker.symbol == "diamond"
    nodes = _nodes(fig)
    assert {k: v[5] for k, v in nodes.items()} == names
    assert {t.name: t.marker.color for t in fig.data if t.mode == "markers+text"} == {
        charts.ENTITY_TYPE_NAMES[k]: colour for k, colour in charts.ENTITY_COLOURS.items()}
    assert {t.hovertemplate for t in fig.data if t.mode == "markers+text"} == {
        "%{hovertext}<extra>%{fullData.name} · click to filter</extra>"}


@pytest.mark.parametrize(
    ("position", "box"),
    [
        ("top center", (88.4, 61.0, 111.6, 95.0)),
        ("bottom center", (88.4, 105.0, 111.6, 139.0)),
        ("middle right", (105.0, 83.0, 128.2, 117.0)),
        ("middle left", (71.8, 83.0, 95.0, 117.0)),
        ("top right", (105.0, 61.0, 128.2, 95.0)),
        ("bottom left", (71.8, 105.0, 95.0, 139.0)),
    ],
)
def test_label_box_beside_the_marker(position, box):
    # Two lines, the longer of three Latin characters (6.4 px each), padded by 2 px; the marker is 10 px.
    assert network.label_box((100.0, 100.0), "ab<br>abc", position, 10) == pytest.approx(box)


@pytest.mark.parametrize(("line", "px"), [("سجن", 3 * 4.6), ("Adra", 4 * 6.4), ("سجن Adra", 3 * 4.6 + 5 * 6.4)])
def test_text_px_by_script(line, px):
    assert network.text_px(line) == pytest.approx(px)


@pytest.mark.parametrize(
    ("boxes", "pairs"),
    [
        ([(0, 0, 10, 10), (10, 0, 20, 10)], 0),
        ([(0, 0, 10, 10), (9, 9, 20, 20), (5, 5, 6, 6)], 2),
        ([(0, 0, 10, 10)] * 3, 3),
        ([], 0),
    ],
)
def test_overlapping_pairs(boxes, pairs):
    assert network.overlapping_pairs(boxes) == pairs


@pytest.mark.parametrize(
    ("xy", "pixels"),
    [((-1.12, 1.12), (0.0, 0.0)), ((1.12, -1.12), (420.0, 470.0)), ((0.0, 0.0), (210.0, 235.0))],
)
def test_to_pixels_from_the_top_left(xy, pixels):
    assert network.to_pixels(*xy, (420, 470), 1.12) == pytest.approx(pixels)


def test_place_labels_moves_a_name_shortens_it_then_leaves_it_to_hover():
    # a at the plot's centre (210, 235 px), b 30 px to its right: b's name cannot go above too, so it goes below.
    pos = {"a": (0.0, 0.0), "b": (30 / 420 * 2.24, 0.0), "c": (0.0, 0.8), "d": (-0.8, -0.8)}
    texts = {"a": ["abcdefghij"], "b": ["abcdefghij"], "c": ["abcdefghij"], "d": ["long<br>abcdefghijklmnopqrstuvwxyz", "short"]}
    markers = {"a": 10, "b": 10, "c": 10, "d": 10}
    # A wall along the top (pair markers, say), and walls beside d (at 60, 403 px): its long name fits nowhere.
    wall = [(0.0, 0.0, 420.0, 150.0), (0.0, 300.0, 0.5, 470.0), (200.0, 300.0, 420.0, 470.0)]
    assert network.place_labels(["a", "b", "c", "d"], pos, texts, markers, wall) == {
        "a": ("abcdefghij", "top center"), "b": ("abcdefghij", "bottom center"), "d": ("short", "top center")}
    # A hub's name may lie over the pair markers (the wall here) that would hide anyone else's.
    assert network.place_labels(["a", "b", "c"], pos, texts, markers, wall, hubs={"c"}) == {
        "a": ("abcdefghij", "top center"), "b": ("abcdefghij", "bottom center"), "c": ("abcdefghij", "top center")}


def test_a_name_that_does_not_fit_on_two_lines_shows_in_arabic():
    # 30 spokes round one hub: each node shows its own name, on two lines where they fit, else the Arabic line alone,
    # else nothing (hover). The counts pin this graph's placement.
    shown = [{f"الاسم {k}<br>Person {k}": "two lines", f"الاسم {k}": "Arabic", "": "hover"}.get(v[3], "other")
             for k, v in _nodes(charts.network_figure(*_network(HUB))).items()]
    assert {kind: shown.count(kind) for kind in set(shown)} == {"two lines": 22, "Arabic": 6, "hover": 3}
