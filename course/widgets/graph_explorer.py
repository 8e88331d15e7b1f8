"""Day 4 widget: explore the money's graph around an address, hop by hop.

The picture is the flow graph of :func:`course.tracing.graph.flow_graph`:
addresses (circles) and transactions (squares, named ``"tx:<txid>"``), an edge
``address -> tx:`` for a coin the transaction spends and ``tx: -> address`` for
an output it pays. It starts from one address (its transactions, one hop); the
trainee expands a node to add its neighbours one hop further (an address: every
transaction paying or spending it; a transaction: those that paid its inputs
and those that spend its outputs), hides edges below a value and transactions
beyond a hop limit, and chooses an edge to read the change heuristics'
findings on that output (:mod:`course.tracing.change`).

Addresses are filled with the colour of their common-input cluster (computed
once for the whole ledger, CoinJoins skipped); a tagged service gets a thick
ring and its label. Only the visible subgraph is built, and at most
``max_nodes`` nodes are drawn (nearest hops first), so the widget stays quick
on the day's whole ledger. The SVG is drawn here in Python: nothing is loaded
from the network.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from course.findings import Finding
from course.messages import t
from course.tracing.attribution import TAG_COLUMNS, Tag, TagIndex
from course.tracing.change import HEURISTICS, guess_change
from course.tracing.clustering import common_input_clusters
from course.tracing.coinjoin import coinjoin_mask_of
from course.tracing.graph import tx_node
from course.tracing.ledger import Ledger, view
from course.widgets.base import CourseWidget
from course.widgets.graph_draw import btc, draw_svg, short_name

#: the hop limit's slider runs from 1 to this many transactions from the start
MAX_HOPS = 8
#: stops of the minimum-value slider, in satoshis (0, then 0.0001 BTC ... 10 BTC)
VALUE_STOPS = (0, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000)
NODE_COLUMNS = ["node", "kind", "hop", "cluster", "tag"]
EDGE_COLUMNS = ["source", "target", "value", "vout"]


def _tag_index(tags: object) -> TagIndex:
    """The tags as a :class:`TagIndex`, from a tags table, a list of tags or an index."""
    if tags is None:
        return TagIndex(())
    if isinstance(tags, TagIndex):
        return tags
    if isinstance(tags, pd.DataFrame):
        missing = [c for c in TAG_COLUMNS if c not in tags.columns]
        if missing:
            raise ValueError(t("tracing.missing_columns", table="tags",
                               columns=", ".join(missing)))
        rows = tags.astype({"address": str, "label": str, "source": str, "category": str})
        return TagIndex(Tag(r.address, r.label, r.source, r.category,
                            _percent(r.confidence)) for r in rows.itertuples())
    if isinstance(tags, Iterable) and not isinstance(tags, (str, bytes)):
        tags = list(tags)
        if all(isinstance(g, Tag) for g in tags):
            return TagIndex(tags)
    raise TypeError(t("w4.graph.bad_tags", kind=type(tags).__name__))


def _percent(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = -1.0
    if not 0 <= number <= 100:
        raise ValueError(t("tracing.tag.bad_confidence", value=value, where="tags",
                           known="0-100"))
    return number / 100


class GraphExplorer(CourseWidget):
    """Start address, expand, value and hop filters, clusters, tags, and edge findings.

    ``value`` (read) is a dict: ``start`` (the start address, ``""`` if none),
    ``nodes`` (a DataFrame of the drawn nodes: ``node``, ``kind`` ``"address"`` or
    ``"tx"``, ``hop``, ``cluster`` - the address of smallest id in its
    common-input cluster, ``""`` for a transaction - and ``tag``, the best tag's
    label or ``""``), ``edges`` (a DataFrame of the drawn edges: ``source``,
    ``target``, ``value`` in satoshis, ``vout`` the output index of a
    ``tx -> address`` edge, -1 for an input), ``edge`` (the chosen edge as
    ``(source, target)`` or None), ``findings`` (the change findings on the
    chosen output, a list of :class:`course.findings.Finding`) and ``hidden``
    (nodes left out by ``max_nodes``). Setting ``value`` to a dict with any of
    ``start``, ``min_value``, ``max_hops``, ``edge`` moves those controls.

    Parameters
    ----------
    ledger
        The day's ledger (:func:`course.tracing.ledger.read_csv`).
    tags
        The case's tags: the ``tags.csv`` table, a list of
        :class:`course.tracing.attribution.Tag`, a ``TagIndex``, or None.
    start
        The address to start from (None: type one into the box).
    max_hops, min_value, max_nodes
        The hop limit (1 to :data:`MAX_HOPS`), the minimum value of an edge in
        satoshis, and how many nodes are drawn at most.

    Raises
    ------
    TypeError, ValueError, KeyError
        With a one-line message: not a ledger, tags of another kind, limits out
        of range, an address the ledger does not use.
    """

    def __init__(self, ledger: Ledger, tags: object = None, start: str | None = None, *,
                 max_hops: int = 3, min_value: int = 0, max_nodes: int = 60) -> None:
        if not isinstance(ledger, Ledger):
            raise TypeError(t("w4.graph.not_ledger", kind=type(ledger).__name__))
        if not (1 <= max_hops <= MAX_HOPS and min_value >= 0 and max_nodes >= 2):
            raise ValueError(t("w4.graph.bad_limits", top=MAX_HOPS, max_hops=max_hops,
                               min_value=min_value, max_nodes=max_nodes))
        self._ledger = ledger
        self._tags = _tag_index(tags)
        self._max_nodes = int(max_nodes)
        self._clusters = common_input_clusters(ledger, coinjoin_mask_of(ledger))
        self._sizes = np.bincount(self._clusters, minlength=ledger.n_addresses)
        self._start = ""
        self._expanded: dict[str, int] = {}  # node -> its hop when expanded, in order
        self._error = ""
        self._w_start = widgets.Text(description=t("w4.graph.start_label"),
                                     placeholder=t("w4.graph.start_placeholder"),
                                     continuous_update=False,
                                     style={"description_width": "initial"},
                                     layout=widgets.Layout(width="95%", max_width="640px"))
        self._w_node = widgets.Dropdown(description=t("w4.graph.node_label"), options=[],
                                        layout=widgets.Layout(width="70%", max_width="520px"))
        self._w_expand = widgets.Button(description=t("w4.graph.expand"))
        self._w_min = widgets.SelectionSlider(
            options=[(btc(s), s) for s in self._stops(min_value)], value=int(min_value),
            description=t("w4.graph.min_value_label"), continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%", max_width="520px"))
        self._w_hops = widgets.IntSlider(value=max_hops, min=1, max=MAX_HOPS,
                                         description=t("w4.graph.hops_label"),
                                         continuous_update=False,
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="95%", max_width="520px"))
        self._w_edge = widgets.Dropdown(description=t("w4.graph.edge_label"),
                                        options=[(t("w4.graph.no_edge"), -1)], value=-1,
                                        layout=widgets.Layout(width="95%", max_width="760px"))
        self._w_note = widgets.HTML()
        self._w_note.add_class("course-graph-note")
        self._w_chart = widgets.HTML()
        self._w_details = widgets.HTML()
        self._w_details.add_class("course-graph-findings")
        self._w_start.observe(self._on_start, names="value")
        self._w_expand.on_click(lambda _b: self._on_expand())
        for w in (self._w_min, self._w_hops):
            w.observe(self._refresh, names="value")
        self._w_edge.observe(self._show_edge, names="value")
        legend = widgets.HTML(f"<small>{html.escape(t('w4.graph.legend'))}</small>")
        self.layout = widgets.VBox([
            self._w_start, widgets.HBox([self._w_node, self._w_expand]), self._w_min,
            self._w_hops, self._w_note, self._w_edge, self._w_details, legend, self._w_chart])
        self._edges = pd.DataFrame(columns=EDGE_COLUMNS)
        self._nodes = pd.DataFrame(columns=NODE_COLUMNS)
        self._hidden = 0
        self._svg = ""
        if start is not None:
            if not isinstance(start, str):
                raise TypeError(t("w4.graph.not_address", kind=type(start).__name__))
            ledger.address_id(start.strip())  # an unknown start raises its one-line KeyError
            self._w_start.value = start.strip()  # builds the graph
        else:
            self._refresh()

    # -- public -----------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Any]:
        """The visible subgraph and the chosen edge's findings (see the class text)."""
        return {"start": self._start, "nodes": self._nodes.copy(), "edges": self._edges.copy(),
                "edge": self.edge, "findings": self.findings, "hidden": self._hidden}

    @value.setter
    def value(self, new: dict[str, Any]) -> None:
        if "start" in new:
            self._w_start.value = str(new["start"])
            if self._error:
                raise KeyError(self._error)
        if "min_value" in new:
            sat = int(new["min_value"])
            if sat < 0:
                raise ValueError(t("w4.graph.bad_limits", top=MAX_HOPS,
                                   max_hops=self._w_hops.value, min_value=sat,
                                   max_nodes=self._max_nodes))
            self._w_min.options = [(btc(s), s) for s in self._stops(sat)]
            self._w_min.value = sat
        if "max_hops" in new:
            hops = int(new["max_hops"])
            if not 1 <= hops <= MAX_HOPS:
                raise ValueError(t("w4.graph.bad_limits", top=MAX_HOPS, max_hops=hops,
                                   min_value=self._w_min.value, max_nodes=self._max_nodes))
            self._w_hops.value = hops
        if "edge" in new:
            self._choose_edge(new["edge"])

    @property
    def edge(self) -> tuple[str, str] | None:
        """The chosen edge ``(source, target)``, or None."""
        i = self._w_edge.value
        return None if i is None or i < 0 else self._edge_keys[i]

    @property
    def findings(self) -> list[Finding]:
        """The change heuristics' findings on the chosen output (each heuristic, then the
        combined guess when the heuristics that speak agree); empty for an input edge."""
        edge = self.edge
        if edge is None or not edge[0].startswith("tx:"):
            return []
        txid = edge[0][3:]
        row = self._edges[(self._edges.source == edge[0]) & (self._edges.target == edge[1])]
        outpoints = {f"{txid}:{v}" for v in self._vouts.get(edge, [int(row.vout.iloc[0])])}
        tx = view(self._ledger, txid)
        found = [f for h in HEURISTICS.values() if (f := h(tx)) is not None]
        combined = guess_change(tx)
        found += [combined] if combined is not None else []
        return [f for f in found if f.subject[0] in outpoints]

    @property
    def svg(self) -> str:
        """The picture as SVG text (``""`` with no start address)."""
        return self._svg

    @property
    def note(self) -> str:
        """The status line: what is drawn, what was left out, or the last error."""
        return self._note

    def expand(self, node: str) -> None:
        """Add the neighbours of a drawn ``node`` (an address or ``"tx:<txid>"``)."""
        hops = dict(zip(self._nodes.node, self._nodes.hop, strict=True))
        if node not in hops:
            raise KeyError(t("w4.graph.unknown_node", node=node))
        if node not in self._expanded:
            self._expanded[node] = int(hops[node])
        self._refresh()

    # -- the subgraph -------------------------------------------------------------------
    @staticmethod
    def _stops(sat: int) -> list[int]:
        return sorted({*VALUE_STOPS, int(sat)})

    def _reached(self) -> dict[int, int]:
        """Transaction id -> hop, for every transaction the expansions reach."""
        lg = self._ledger
        txs: dict[int, int] = {}

        def add(ids: Iterable[int], hop: int) -> None:
            for i in ids:
                if i >= 0 and hop < txs.get(i, MAX_HOPS + 2):
                    txs[i] = hop

        for node, hop in self._expanded.items():
            if node.startswith("tx:"):
                i = lg.tx_id(node[3:])
                add([i], hop)
                add(lg.in_prev_tx[lg.in_start[i]:lg.in_start[i + 1]].tolist(), hop + 1)
                add(lg.out_spent_by[lg.out_start[i]:lg.out_start[i + 1]].tolist(), hop + 1)
            else:
                a = lg.address_id(node)
                ids = np.union1d(lg.in_tx[lg.in_addr == a], lg.out_tx[lg.out_addr == a])
                add(ids.tolist(), hop + 1)
        return txs

    def _build(self) -> None:
        """The visible nodes and edges: filters, then the node cap."""
        lg, min_value, limit = self._ledger, int(self._w_min.value), int(self._w_hops.value)
        txs = sorted((h, i) for i, h in self._reached().items() if h <= limit)
        per_tx = []
        for hop, i in txs:
            edges: dict[tuple[str, str], list[int]] = {}
            node = tx_node(lg.txid(i))
            for k in range(lg.in_start[i], lg.in_start[i + 1]):
                if lg.in_addr[k] >= 0 and lg.in_value[k] >= min_value:
                    key = (lg.address(int(lg.in_addr[k])), node)
                    edges.setdefault(key, [0, -1])[0] += int(lg.in_value[k])
            for r in range(lg.out_start[i], lg.out_start[i + 1]):
                if lg.out_addr[r] >= 0 and lg.out_value[r] >= min_value:
                    key = (node, lg.address(int(lg.out_addr[r])))
                    entry = edges.setdefault(key, [0, int(lg.out_vout[r])])
                    entry[0] += int(lg.out_value[r])
                    entry.append(int(lg.out_vout[r]))
            if edges:
                per_tx.append((hop, node, edges))
        hops: dict[str, int] = {self._start: 0} if self._start else {}
        total = set(hops)
        for _hop, node, edges in per_tx:
            total.add(node)
            total.update(a for e in edges for a in e)
        rows, vouts = [], {}
        for hop, node, edges in per_tx:  # nearest first; a transaction comes with its addresses
            new = {node} | {a for e in edges for a in e}
            new -= set(hops)
            if len(hops) + len(new) > self._max_nodes:
                continue  # too big for what is left: smaller ones further on may still fit
            for a in new:
                hops[a] = hop
            for (src, dst), (value, vout, *outs) in edges.items():
                rows.append((src, dst, value, vout))
                if outs:
                    vouts[(src, dst)] = outs
        self._hidden = len(total) - len(hops)
        self._edges = pd.DataFrame(rows, columns=EDGE_COLUMNS)
        self._vouts = vouts
        nodes = []
        for node, hop in hops.items():
            if node.startswith("tx:"):
                nodes.append((node, "tx", hop, "", ""))
            else:
                a = lg.address_id(node)
                best = self._tags.best(node)
                nodes.append((node, "address", hop, lg.address(int(self._clusters[a])),
                              best.label if best else ""))
        self._nodes = pd.DataFrame(nodes, columns=NODE_COLUMNS)

    # -- events -------------------------------------------------------------------------
    def _on_start(self, _change: object = None) -> None:
        text = self._w_start.value.strip()
        if text:
            try:
                self._ledger.address_id(text)
            except KeyError as exc:
                self._error = exc.args[0]
                self._render()
                return
        self._error = ""
        self._start = text
        self._expanded = {text: 0} if text else {}
        self._refresh()

    def _on_expand(self) -> None:
        if self._w_node.value:
            self.expand(self._w_node.value)

    def _choose_edge(self, edge: tuple[str, str] | None) -> None:
        if edge is None:
            self._w_edge.value = -1
            return
        edge = (str(edge[0]), str(edge[1]))
        if edge not in self._edge_keys:
            raise KeyError(t("w4.graph.unknown_edge", source=edge[0], target=edge[1]))
        self._w_edge.value = self._edge_keys.index(edge)

    def _refresh(self, _change: object = None) -> None:
        chosen = self.edge if hasattr(self, "_edge_keys") else None
        self._error = ""
        self._build()
        self._edge_keys = list(zip(self._edges.source, self._edges.target, strict=True))
        self._w_edge.unobserve(self._show_edge, names="value")
        self._w_edge.options = [(t("w4.graph.no_edge"), -1)] + [
            (f"{short_name(s)} → {short_name(d)}: {btc(v)}", n) for n, (s, d, v) in
            enumerate(zip(self._edges.source, self._edges.target, self._edges.value,
                          strict=True))]
        self._w_edge.value = self._edge_keys.index(chosen) if chosen in self._edge_keys else -1
        self._w_edge.observe(self._show_edge, names="value")
        self._w_node.options = [(short_name(n, 16), n) for n in self._nodes.node]
        self._render()

    def _show_edge(self, _change: object = None) -> None:
        self._render()

    def _render(self) -> None:
        if self._error:
            self._note = self._error
        elif not self._start:
            self._note = t("w4.graph.no_start")
        else:
            self._note = t("w4.graph.summary", nodes=len(self._nodes), edges=len(self._edges),
                           hops=self._w_hops.value, start=self._start,
                           min_value=btc(int(self._w_min.value)))
            if self._hidden:
                self._note += " " + t("w4.graph.capped", shown=len(self._nodes),
                                      hidden=self._hidden)
        self._w_note.value = f"<b>{html.escape(self._note)}</b>"
        self._svg = draw_svg(self._nodes, self._edges, self._start, self.edge,
                             self._cluster_size, self._tags) if self._start else ""
        self._w_chart.value = f'<div style="overflow-x:auto">{self._svg}</div>'
        self._w_details.value = self._details_html()

    def _cluster_size(self, address: str) -> int:
        return int(self._sizes[self._clusters[self._ledger.address_id(address)]])

    def _details_html(self) -> str:
        edge = self.edge
        if edge is None:
            return f"<i>{html.escape(t('w4.graph.choose_edge'))}</i>"
        if not edge[0].startswith("tx:"):
            return f"<p>{html.escape(t('w4.graph.input_edge'))}</p>"
        found = self.findings
        if not found:
            return f"<p>{html.escape(t('w4.graph.no_findings'))}</p>"
        items = []
        for f in found:
            name = f.kind.removeprefix("change.") if f.kind != "change" else "combined"
            head = t("w4.graph.finding", heuristic=t(f"w4.graph.heuristic.{name}"),
                     outpoint=f.subject[0], confidence=f.confidence,
                     level=t(f"w4.graph.level.{f.level}"))
            lines = "".join(f"<li>{html.escape(e)}</li>" for e in f.evidence)
            items.append(f"<li class='course-finding'><b>{html.escape(head)}</b>"
                         f"<ul>{lines}</ul></li>")
        return f"<ul>{''.join(items)}</ul>"
