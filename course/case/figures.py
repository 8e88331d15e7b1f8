"""Static figures for the report: the money-flow graph and the dead-drop map.

The widgets of days 2 and 4 draw these pictures for exploring; a report needs
them as files. Both are drawn with matplotlib, offline (the map's base is the
Natural Earth outlines committed in :mod:`course.market.basemap`, or rings
around a city's centre; no tile server), and saved with
:func:`course.case.report.save_figure`. The timeline chart is
:func:`course.case.timeline.plot`.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import pandas as pd

from course.market import basemap
from course.market.photos import distance_km
from course.messages import t

#: Okabe-Ito colours: addresses, transactions, highlighted addresses, tagged services
COLOURS = {"address": "#56b4e9", "tx": "#999999", "highlight": "#d55e00", "service": "#009e73"}


def _short(node: str, keep: int = 8) -> str:
    if node.startswith("tx:"):
        return "tx " + node[3:3 + keep]
    return node if len(node) <= keep + 4 else f"{node[:keep]}…{node[-3:]}"


def flow_layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Left-to-right layers by the longest path from a source (x), spread evenly in y.

    A cycle-free flow graph gets one column per step of the money; a graph
    with a cycle falls back to each node's ``hop`` attribute (0 if absent).
    """
    if nx.is_directed_acyclic_graph(graph):
        layer: dict[str, int] = {}
        for node in nx.topological_sort(graph):
            preds = list(graph.predecessors(node))
            layer[node] = 1 + max(layer[p] for p in preds) if preds else 0
    else:
        layer = {n: 2 * int(d.get("hop", 0)) + (d.get("kind") == "tx")
                 for n, d in graph.nodes(data=True)}
    columns: dict[int, list[str]] = defaultdict(list)
    for node in sorted(graph.nodes, key=str):
        columns[layer[node]].append(node)
    pos: dict[str, tuple[float, float]] = {}
    for x in sorted(columns):   # each column by its neighbours' mean height: fewer crossings
        nodes = columns[x]
        if x > 0:
            def key(n: str) -> float:
                ys = [pos[m][1] for m in graph.predecessors(n) if m in pos]
                ys += [pos[m][1] for m in graph.successors(n) if m in pos]
                return -sum(ys) / len(ys) if ys else 0.0
            nodes = sorted(nodes, key=key)
        pos.update({n: (float(x), -(i - (len(nodes) - 1) / 2)) for i, n in enumerate(nodes)})
    if columns:   # then the sources, by where their money goes
        first = min(columns)
        nodes = sorted(columns[first], key=lambda n: -sum(pos[m][1] for m in graph.successors(n))
                       / max(1, graph.out_degree(n)))
        pos.update({n: (float(first), -(i - (len(nodes) - 1) / 2)) for i, n in enumerate(nodes)})
    return pos


def money_flow(graph: nx.DiGraph, *, highlight: tuple[str, ...] = (),
               labels: dict[str, str] | None = None, title: str | None = None, ax=None):
    """Draw a flow graph (:func:`course.tracing.graph.flow_graph`): addresses as circles,
    transactions as squares, edge widths growing with the amount (``value``, satoshis),
    ``highlight`` addresses in orange, ``labels`` (address -> service name) in green.

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if graph.number_of_nodes() == 0:
        raise ValueError(t("case.figures.empty_graph"))
    labels = labels or {}
    pos = flow_layout(graph)
    if ax is None:
        width = 2.0 + 1.6 * (max(x for x, _ in pos.values()) + 1)
        height = 1.5 + 0.55 * max(sum(1 for p in pos.values() if p[0] == x)
                                  for x in {p[0] for p in pos.values()})
        _, ax = plt.subplots(figsize=(min(width, 16), min(height, 12)))
    values = [d.get("value", 0) for _, _, d in graph.edges(data=True)] or [1]
    top = max(max(values), 1)
    for u, v, d in graph.edges(data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-|>", "color": "#555555", "shrinkA": 7,
                                "shrinkB": 7, "lw": 0.6 + 3.4 * d.get("value", 0) / top})
        if d.get("value"):
            ax.text(x1 + 0.3 * (x2 - x1), y1 + 0.3 * (y2 - y1) + 0.1,
                    f"{d['value'] / 1e8:.8f}".rstrip("0").rstrip("."), fontsize=6, ha="center",
                    color="#333333")
    for node, (x, y) in pos.items():
        kind = graph.nodes[node].get("kind", "address")
        colour = (COLOURS["service"] if node in labels else COLOURS["highlight"]
                  if node in highlight else COLOURS["tx" if kind == "tx" else "address"])
        ax.plot(x, y, "s" if kind == "tx" else "o", markersize=7 if kind == "tx" else 11,
                color=colour, zorder=3)
        ax.text(x, y - 0.28, labels.get(node, _short(node)), fontsize=6.5, ha="center",
                va="top")
    ax.set_axis_off()
    ax.margins(0.08, 0.15)
    if title:
        ax.set_title(title)
    return ax.figure


def dead_drop_map(points: pd.DataFrame, *, centre: tuple[float, float] | None = None,
                  title: str | None = None, ax=None):
    """Dead drops on an offline map.

    ``points`` has columns ``lat``, ``lon`` and optionally ``label``. With
    ``centre`` (the city's lat, lon) the base is rings of 1, 2 and 5 km around
    it; without, the countries' outlines around all points. Longitude is
    scaled by cos(latitude), so distances look right (equirectangular).
    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if not {"lat", "lon"} <= set(points.columns) or points.empty:
        raise ValueError(t("case.figures.no_points"))
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    lats, lons = points["lat"].astype(float), points["lon"].astype(float)
    if centre is not None:
        view = basemap.View.around(*centre, half_km=max(basemap.CITY_HALF_KM, 1.2 * max(
            distance_km(centre[0], centre[1], a, b) for a, b in zip(lats, lons,
                                                                           strict=True))))
        for km in basemap.RINGS_KM:
            ring = basemap.ring_points(centre[0], centre[1], km)
            ax.plot([p[1] for p in ring], [p[0] for p in ring], color="#bbbbbb", lw=0.8)
            ax.text(centre[1], centre[0] + km / basemap.KM_PER_DEGREE, f"{km:g} km",
                    fontsize=7, color="#777777", ha="center", va="bottom")
        ax.plot(centre[1], centre[0], "+", color="#333333", markersize=10)
    else:
        view = basemap.View.covering(list(zip(lats, lons, strict=True)), margin=1.0)
        for rings in basemap.country_outlines().values():
            for ring in rings:
                ax.plot([p[0] for p in ring], [p[1] for p in ring], color="#999999", lw=0.7)
    ax.plot(lons, lats, "o", color=COLOURS["highlight"], markersize=6, zorder=3)
    if "label" in points:
        for lat, lon, label in zip(lats, lons, points["label"], strict=True):
            ax.text(lon, lat, f" {label}", fontsize=7, va="center")
    ax.set_xlim(view.lon - view.half_lon, view.lon + view.half_lon)
    ax.set_ylim(view.lat - view.half_lat, view.lat + view.half_lat)
    ax.set_aspect(1 / math.cos(math.radians(view.lat)))
    ax.set_xlabel(t("case.figures.lon"))
    ax.set_ylabel(t("case.figures.lat"))
    if title:
        ax.set_title(title)
    return ax.figure


__all__ = ["COLOURS", "dead_drop_map", "flow_layout", "money_flow"]
