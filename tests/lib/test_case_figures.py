"""Report figures: the money-flow layout and drawing, the dead-drop map."""

from __future__ import annotations

import matplotlib
import networkx as nx
import pandas as pd
import pytest

from course.case import figures as fg

matplotlib.use("Agg")


def _graph(edges: list[tuple[str, str, int]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for u, v, value in edges:
        for node in (u, v):
            graph.add_node(node, kind="tx" if node.startswith("tx:") else "address")
        graph.add_edge(u, v, value=value)
    return graph


def test_layout_columns_follow_the_money() -> None:
    graph = _graph([("a", "tx:1", 5), ("b", "tx:1", 5), ("tx:1", "c", 7), ("tx:1", "d", 3)])
    assert fg.flow_layout(graph) == {"a": (0.0, 0.5), "b": (0.0, -0.5), "tx:1": (1.0, 0.0),
                                     "c": (2.0, 0.5), "d": (2.0, -0.5)}


def test_layout_uncrosses_two_chains() -> None:
    # by name, d would sit below c and the two chains would cross
    graph = _graph([("a", "tx:1", 1), ("tx:1", "d", 1), ("b", "tx:2", 1), ("tx:2", "c", 1)])
    pos = fg.flow_layout(graph)
    assert pos["tx:1"] == (1.0, 0.5) and pos["tx:2"] == (1.0, -0.5)
    assert pos["d"] == (2.0, 0.5) and pos["c"] == (2.0, -0.5)


def test_money_flow_draws_every_node_in_its_colour() -> None:
    graph = _graph([("a", "tx:1", 100_000_000), ("tx:1", "exch", 60_000_000),
                    ("tx:1", "change", 39_990_000)])
    figure = fg.money_flow(graph, highlight=("a",), labels={"exch": "Qazyna deposit"})
    ax = figure.axes[0]
    markers = {line.get_marker(): [] for line in ax.lines}
    for line in ax.lines:
        markers[line.get_marker()].append(matplotlib.colors.to_hex(line.get_color()))
    assert sorted(markers["o"]) == sorted(["#d55e00", "#009e73", "#56b4e9"])
    assert markers["s"] == ["#999999"]
    texts = {text.get_text() for text in ax.texts}
    assert {"Qazyna deposit", "tx 1", "a", "change", "1", "0.6", "0.3999"} <= texts


def test_empty_graph_is_refused() -> None:
    with pytest.raises(ValueError, match="no nodes"):
        fg.money_flow(nx.DiGraph())


def test_city_map_holds_every_drop_and_rings() -> None:
    drops = pd.DataFrame({"lat": [51.13319, 51.180401], "lon": [71.451924, 71.444141],
                          "label": ["1", "2"]})
    figure = fg.dead_drop_map(drops, centre=(51.1694, 71.4491))
    ax = figure.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < 71.444141 < 71.451924 < x1 and y0 < 51.13319 < 51.180401 < y1
    assert {"1 km", "2 km", "5 km", " 1", " 2"} <= {text.get_text() for text in ax.texts}


def test_region_map_draws_outlines() -> None:
    drops = pd.DataFrame({"lat": [43.238, 41.311], "lon": [76.945, 69.240]})  # Almaty, Tashkent
    ax = fg.dead_drop_map(drops).axes[0]
    assert len(ax.lines) > 6          # the countries' rings plus the drops


def test_map_needs_lat_lon() -> None:
    with pytest.raises(ValueError, match="lat and lon"):
        fg.dead_drop_map(pd.DataFrame({"x": [1]}))
