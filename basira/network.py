"""The co-occurrence network's geometry: where each entity sits and where its name fits. Pure functions of the
graph (no Plotly): the same graph always gets the same picture, so a shared link shows what its sender saw.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np

LAYOUT_SEED = 20251111


def circular_layout(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Nodes on a circle in the given order, first at the top."""
    n = max(len(nodes), 1)
    return {node: (math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i, node in enumerate(nodes)}


def spring_layout(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], iterations: int = 300, seed: int = LAYOUT_SEED,
    gravity: float = 0.15, spacing: float = 1.0,
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold with a pull towards the centre, from the circular layout with a fixed seed: the
    same graph always gets the same picture (a shared link shows the same network), and components that
    share no edge stay on screen instead of drifting apart."""
    if len(nodes) <= 2:
        return circular_layout(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    start = circular_layout(nodes)
    rng = np.random.default_rng(seed)
    pos = np.array([start[n] for n in nodes]) + rng.normal(0, 0.01, size=(len(nodes), 2))
    weights = np.zeros((len(nodes), len(nodes)))
    for a, b, w in edges:
        if a in index and b in index and a != b:
            weights[index[a], index[b]] = weights[index[b], index[a]] = 1 + math.log1p(w)
    k = spacing * math.sqrt(4.0 / len(nodes))
    temperature = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-2)
        # Repulsion k^2/d between every pair, attraction d^2/k along edges (both along the unit vector).
        force = ((k * k / distance**2) - weights * distance / k)[..., None] * delta
        move = force.sum(axis=1) - gravity * pos * len(nodes) ** 0.5
        length = np.maximum(np.linalg.norm(move, axis=-1, keepdims=True), 1e-9)
        pos += move / length * np.minimum(length, temperature)
        temperature = max(temperature * 0.985, 0.002)
    pos -= pos.mean(axis=0)
    pos /= max(np.abs(pos).max(), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def components(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]]) -> list[list[str]]:
    """The connected components, largest first (ties by their first node), each in the order of `nodes`."""
    root = {n: n for n in nodes}

    def find(n: str) -> str:
        while root[n] != n:
            root[n] = root[root[n]]
            n = root[n]
        return n

    for a, b, _ in edges:
        if a in root and b in root:
            root[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


# On the real store's People network the spring layout's pull to the centre kept the 40 pairs' main component in a
# dense hub with small components pushed to the rim. Each component is now laid out on its own with a weak pull,
# its outliers compressed (scaled by a percentile, not its farthest node), and the components packed in rows.
COMPONENT_GRAVITY = 0.03
# Twice the spring length of the single layout: the People network's hubs got room for 2 more names.
COMPONENT_SPACING = 2.0
SPREAD_PERCENTILE = 50
# A component's square is this many times the square root of its node count, less a gap between squares: a
# single pair gets about a third of the width of a 9-node component, not as much room.
COMPONENT_SIDE = 2.2
COMPONENT_GAP = 1.2


def _spread(points: np.ndarray) -> np.ndarray:
    """Centre a component and scale it so SPREAD_PERCENTILE of its nodes are within 1 of the centre; the rest are
    pulled in (radius 1 + tanh) so one far node does not squeeze the others into a knot."""
    points = points - points.mean(axis=0)
    radius = np.linalg.norm(points, axis=1)
    scale = max(float(np.percentile(radius, SPREAD_PERCENTILE)), 1e-9)
    scaled = radius / scale
    squeezed = np.where(scaled > 1, 1 + 0.5 * np.tanh((scaled - 1) / 0.5), scaled)
    return points / scale * (squeezed / np.maximum(scaled, 1e-9))[:, None]


def packed_layout(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], aspect: float = 1.0
) -> dict[str, tuple[float, float]]:
    """Components side by side in rows (a plot `aspect` times wider than high), each as large as the square root of
    its node count, stretched to fill [-1, 1] on both axes. Deterministic: the same graph gets the same picture."""
    parts = components(nodes, edges)
    placed: dict[str, tuple[float, float]] = {}
    side = [COMPONENT_SIDE * math.sqrt(len(p)) for p in parts]
    row_width = max(math.sqrt(sum(s * s for s in side) * aspect), max(side, default=1.0))
    x = y = row_height = 0.0
    for part, s in zip(parts, side, strict=True):
        if x > 0 and x + s > row_width * 1.05:
            x, y, row_height = 0.0, y - row_height, 0.0
        members = set(part)
        layout = spring_layout(part, [e for e in edges if e[0] in members], gravity=COMPONENT_GRAVITY, spacing=COMPONENT_SPACING)
        # _spread leaves every node within 1.5 of the centre: the component fills its square but for the gap.
        points = _spread(np.array([layout[n] for n in part])) * (s / 2 - COMPONENT_GAP / 2) / 1.5
        for n, (px, py) in zip(part, points, strict=True):
            placed[n] = (x + s / 2 + float(px), y - s / 2 + float(py))
        x, row_height = x + s, max(row_height, s)
    if not placed:
        return {}
    coords = np.array(list(placed.values()))
    low, high = coords.min(axis=0), coords.max(axis=0)
    middle, half = (low + high) / 2, np.maximum((high - low) / 2, 1e-9)
    # An axis where every node is level (one pair) stays at 0 rather than being stretched from nothing.
    scaled = np.clip(np.where(high - low > 1e-9, (coords - middle) / half, 0.0), -1.0, 1.0)
    return {n: (float(a), float(b)) for n, (a, b) in zip(placed, scaled, strict=True)}


Box = tuple[float, float, float, float]
# Chromium draws the 12 px labels of the real store's networks at up to 4.4 px an Arabic character (joined letters)
# and 6.3 px a Latin one ("Mohammed bin Nayef", 111 px).
ARABIC_CHAR_PX = 4.6
LATIN_CHAR_PX = 6.4
LABEL_LINE_PX = 15
LABEL_PAD_PX = 2
# The network's plot area at 900 px (the narrowest window the pages are made for), where labels are placed: a label
# clear of the others there is clear on any wider window, as the plot only grows sideways.
NETWORK_PLOT_PX = (420, 470)
NETWORK_RANGE = 1.12
# Beside the marker first, then at its corners: the corners found room for 1 to 3 more names on each of the real
# store's networks.
LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left",
                   "top right", "top left", "bottom right", "bottom left")


def to_pixels(x: float, y: float, plot_px: tuple[float, float], span: float = NETWORK_RANGE) -> tuple[float, float]:
    """Data (x, y) in [-span, span] on both axes to pixels from the plot's top left."""
    width, height = plot_px
    return (x + span) / (2 * span) * width, (span - y) / (2 * span) * height


def text_px(line: str) -> float:
    """The estimated width of a line of label text."""
    return sum(ARABIC_CHAR_PX if "\u0600" <= ch <= "\u06ff" else LATIN_CHAR_PX for ch in line)


def label_box(centre: tuple[float, float], text: str, position: str, marker_px: float) -> Box:
    """The pixel box (left, top, right, bottom) of a label of `text` (lines split by <br>) drawn at `position` beside
    a marker of `marker_px` centred at `centre`, estimated from its characters; padded by LABEL_PAD_PX."""
    lines = text.split("<br>")
    width = max(text_px(line) for line in lines) + 2 * LABEL_PAD_PX
    height = len(lines) * LABEL_LINE_PX + 2 * LABEL_PAD_PX
    (x, y), r = centre, marker_px / 2
    vertical, horizontal = position.split()
    left = {"left": x - r - width, "center": x - width / 2, "right": x + r}[horizontal]
    top = {"top": y - r - height, "middle": y - height / 2, "bottom": y + r}[vertical]
    return left, top, left + width, top + height


def boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlapping_pairs(boxes: Sequence[Box]) -> int:
    return sum(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _inside(box: Box, plot_px: tuple[float, float]) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= plot_px[0] and box[3] <= plot_px[1]


def place_labels(
    order: Sequence[str], pos: Mapping[str, tuple[float, float]], texts: Mapping[str, Sequence[str]],
    markers: Mapping[str, float], obstacles: Sequence[Box], hubs: Collection[str] = (),
    plot_px: tuple[float, float] = NETWORK_PLOT_PX,
) -> dict[str, tuple[str, str]]:
    """A label and its position for each node of `order` (most important first) whose label fits: the first of its
    `texts` (the longest first) at the first of LABEL_POSITIONS whose box stays in the plot and clears the labels
    already placed, the other nodes' markers and the `obstacles` (the pair markers; `hubs` may cover those, as they
    sit among their pairs). A node whose label fits nowhere is left out (its name shows on hover)."""
    centres = {n: to_pixels(*pos[n], plot_px) for n in order}
    marker_boxes = {n: (x - markers[n] / 2, y - markers[n] / 2, x + markers[n] / 2, y + markers[n] / 2)
                    for n, (x, y) in centres.items()}
    taken: list[Box] = []
    chosen: dict[str, tuple[str, str]] = {}
    for node in order:
        others = [b for n, b in marker_boxes.items() if n != node] + ([] if node in hubs else list(obstacles))
        fits = ((text, position, label_box(centres[node], text, position, markers[node]))
                for text in texts[node] for position in LABEL_POSITIONS)
        for text, position, box in fits:
            if _inside(box, plot_px) and not any(boxes_overlap(box, b) for b in taken + others):
                chosen[node] = (text, position)
                taken.append(box)
                break
    return chosen
