"""The graph explorer's picture: a layered SVG drawn in Python (no JavaScript, offline).

Columns follow the hops from the start address: the start on the left, then
the transactions of hop 1, their addresses, the transactions of hop 2, and so
on. Addresses are circles filled with their common-input cluster's colour
(grey: alone in its cluster); a tagged service has a thick dark ring and its
label; transactions are small squares. An edge's width grows with the
logarithm of its value; the chosen edge is highlighted.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Callable

import pandas as pd

from course.messages import t
from course.tracing.attribution import TagIndex, source_words

#: fill colours of clusters, in order of appearance (colour-blind-safe Okabe-Ito first)
PALETTE = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
           "#8c564b", "#17becf", "#bcbd22")
ALONE = "#d5d8dc"
WIDTH, ROW, TOP, MARGIN, RIGHT = 980, 30, 40, 50, 150


def btc(sat: int) -> str:
    """Satoshis as BTC without trailing zeros.

    Examples
    --------
    >>> btc(1_500_000), btc(0), btc(100_000_000)
    ('0.015 BTC', '0 BTC', '1 BTC')
    """
    return f"{sat / 1e8:.8f}".rstrip("0").rstrip(".") + " BTC"


def short_name(value: str, keep: int = 10) -> str:
    """A node name for a list: long addresses and txids cut in the middle (``tx:`` kept)."""
    if value.startswith("tx:"):
        return "tx:" + short_name(value[3:], keep)
    return value if len(value) <= keep + 6 else f"{value[:keep]}…{value[-4:]}"


def _column(kind: str, hop: int) -> int:
    return 0 if hop == 0 else (2 * hop - 1 if kind == "tx" else 2 * hop)


def draw_svg(nodes: pd.DataFrame, edges: pd.DataFrame, start: str,
             chosen: tuple[str, str] | None, cluster_size: Callable[[str], int],
             tags: TagIndex) -> str:
    """The SVG text of the visible subgraph (``nodes`` and ``edges`` as in the widget's value)."""
    columns: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for r in nodes.itertuples():
        columns[_column(r.kind, int(r.hop))].append((r.cluster, r.node, r.kind))
    n_cols = max(columns, default=0) + 1
    step = (WIDTH - MARGIN - RIGHT) / max(n_cols - 1, 1)
    xy: dict[str, tuple[float, float]] = {}
    for col, items in columns.items():
        for row, (_c, node, _k) in enumerate(sorted(items)):
            xy[node] = (MARGIN + col * step, TOP + 20 + row * ROW)
    height = TOP + 40 + ROW * max((len(v) for v in columns.values()), default=1)
    colour: dict[str, str] = {}
    for r in nodes[nodes.kind == "address"].sort_values("hop", kind="stable").itertuples():
        if r.cluster not in colour:
            multi = cluster_size(r.node) > 1
            used = sum(1 for c in colour.values() if c != ALONE)
            colour[r.cluster] = PALETTE[used % len(PALETTE)] if multi else ALONE
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" class="course-graph" '
             f'style="background:#fff">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#7f8c8d"/></marker></defs>']
    for hop in sorted({int(h) for h in nodes.hop}):
        x = MARGIN + max(2 * hop - 1, 0) * step
        label = t("w4.graph.hop_column", hop=hop) if hop else t("w4.graph.start_column")
        parts.append(_text(x, 18, label, weight="bold", size=11))
    radius = {r.node: (6 if r.kind == "tx" else 11 if r.node == start else 8)
              for r in nodes.itertuples()}
    for r in edges.itertuples():
        if r.source not in xy or r.target not in xy:
            continue
        path = _edge_path(xy[r.source], xy[r.target], radius[r.source] + 1,
                          radius[r.target] + 3)
        width = 0.6 + 0.25 * math.log10(max(int(r.value), 1))
        title = html.escape(f"{r.source} → {r.target}: {int(r.value):,} sat")
        if chosen == (r.source, r.target):
            parts.append(f'<path d="{path}" fill="none" stroke="#f1c40f" '
                         f'stroke-width="{width + 7:.1f}" opacity="0.7" class="chosen"/>')
        parts.append(f'<path d="{path}" fill="none" stroke="#95a5a6" '
                     f'stroke-width="{width:.1f}" marker-end="url(#arrow)" class="edge">'
                     f"<title>{title}</title></path>")
    for r in nodes.itertuples():
        x, y = xy[r.node]
        if r.kind == "tx":
            parts.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
                         f'fill="#34495e" class="tx"><title>{html.escape(r.node)}</title></rect>')
            parts.append(_text(x, y - 9, short_name(r.node[3:], 6), size=9, colour="#34495e"))
            continue
        best = tags.best(r.node)
        ring = ('stroke="#111" stroke-width="3.5"' if best else 'stroke="#555" stroke-width="1"')
        title = t("w4.graph.address_title", address=r.node, size=cluster_size(r.node))
        if best:
            title += " " + t("w4.graph.tag_title", label=best.label, category=best.category,
                             source=source_words(best.source), confidence=f"{best.confidence:.2f}")
        klass = "address tagged" if best else "address"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[r.node]}" '
                     f'fill="{colour[r.cluster]}" {ring} class="{klass}">'
                     f"<title>{html.escape(title)}</title></circle>")
        if r.node == start:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="15" fill="none" '
                         f'stroke="#c0392b" stroke-width="2" class="start"/>')
        parts.append(_text(x + 14, y + 4, short_name(r.node, 8), anchor="start", size=10))
        if best:
            parts.append(_text(x + 14, y + 15, best.label, anchor="start", size=10,
                               weight="bold", colour="#111"))
    parts.append("</svg>")
    return "".join(parts)


def _edge_path(a: tuple[float, float], b: tuple[float, float], off_a: float, off_b: float
               ) -> str:
    """A straight edge from the rim of node ``a`` to the rim of ``b`` (a curve bulging to
    the right between two nodes of one column)."""
    (x1, y1), (x2, y2) = a, b
    if abs(x1 - x2) < 1:
        bulge = 25 + abs(y2 - y1) / 4
        return (f"M{x1 + off_a:.1f},{y1:.1f} Q{x1 + bulge:.1f},{(y1 + y2) / 2:.1f} "
                f"{x2 + off_b:.1f},{y2:.1f}")
    d = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    return (f"M{x1 + ux * off_a:.1f},{y1 + uy * off_a:.1f} "
            f"L{x2 - ux * off_b:.1f},{y2 - uy * off_b:.1f}")


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 12,
          weight: str = "normal", colour: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{colour}" font-family="sans-serif">'
            f"{html.escape(text)}</text>")
