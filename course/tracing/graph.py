"""Graphs for the eye, and tracing the money forward and backward from an address.

Two networkx views of a few transactions (networkx is for the small pictures
a trainee draws; the whole ledger stays in arrays):

- :func:`transaction_graph`: transaction -> transaction, one edge per output
  one spends from the other;
- :func:`flow_graph`: addresses and transactions as nodes, ``address -> tx``
  for what an input spends and ``tx -> address`` for what an output pays.

:func:`trace` walks the flow forward (where did the money go?) or backward
(where did it come from?) from an address, hop by hop, leaves out amounts
below a limit, and stops at known services (tagged exchanges, markets,
mixers): beyond a service the money is mixed with other customers' and the
trail is a legal request to that service, not more hops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from course.messages import t
from course.tracing.ledger import Ledger

DIRECTIONS = ("forward", "backward")


def tx_node(txid: str) -> str:
    """The flow-graph node name of a transaction."""
    return f"tx:{txid}"


def transaction_graph(ledger: Ledger, txids: Iterable[str]) -> nx.DiGraph:
    """Transactions as nodes; an edge ``a -> b`` when ``b`` spends outputs of ``a``.

    Edge attributes: ``value`` (satoshis spent) and ``outputs`` (how many).
    """
    ids = {ledger.tx_id(x) for x in txids}
    graph = nx.DiGraph()
    for i in sorted(ids):
        graph.add_node(ledger.txid(i), height=int(ledger.tx_height[i]))
    for j in sorted(ids):
        for k in range(ledger.in_start[j], ledger.in_start[j + 1]):
            i = int(ledger.in_prev_tx[k])
            if i in ids:
                a, b = ledger.txid(i), ledger.txid(j)
                edge = graph.get_edge_data(a, b, {"value": 0, "outputs": 0})
                graph.add_edge(a, b, value=edge["value"] + int(ledger.in_value[k]),
                               outputs=edge["outputs"] + 1)
    return graph


def _add_tx(graph: nx.DiGraph, ledger: Ledger, i: int, hop: int) -> None:
    """Add transaction ``i`` with all its inputs and outputs to a flow graph."""
    node = tx_node(ledger.txid(i))
    if node in graph and graph.nodes[node].get("kind") == "tx":
        return
    graph.add_node(node, kind="tx", hop=hop, height=int(ledger.tx_height[i]))
    for k in range(ledger.in_start[i], ledger.in_start[i + 1]):
        a = ledger.address(int(ledger.in_addr[k]))
        graph.add_node(a, kind="address", hop=min(graph.nodes.get(a, {}).get("hop", hop), hop))
        prev = graph.get_edge_data(a, node, {"value": 0})["value"]
        graph.add_edge(a, node, value=prev + int(ledger.in_value[k]))
    for r in range(ledger.out_start[i], ledger.out_start[i + 1]):
        a = ledger.address(int(ledger.out_addr[r]))
        if not a:
            continue
        graph.add_node(a, kind="address", hop=min(graph.nodes.get(a, {}).get("hop", hop), hop))
        prev = graph.get_edge_data(node, a, {"value": 0})["value"]
        graph.add_edge(node, a, value=prev + int(ledger.out_value[r]),
                       vout=int(ledger.out_vout[r]))


def flow_graph(ledger: Ledger, txids: Iterable[str]) -> nx.DiGraph:
    """Addresses and transactions as nodes (attribute ``kind``); edge ``value`` in satoshis."""
    graph = nx.DiGraph()
    for x in txids:
        _add_tx(graph, ledger, ledger.tx_id(x), 0)
    return graph


@dataclass
class Trace:
    """The result of :func:`trace`.

    Attributes
    ----------
    graph
        Flow graph of every transaction reached (nodes carry ``hop``).
    services
        ``(address, label, hop, satoshis)`` of each known service reached, in order.
    """

    graph: nx.DiGraph = field(default_factory=nx.DiGraph)
    services: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def transactions(self) -> list[str]:
        """Txids of the transactions reached."""
        return [n[3:] for n, d in self.graph.nodes(data=True) if d.get("kind") == "tx"]


def trace(ledger: Ledger, address: str, direction: str = "forward", max_hops: int = 3,
          min_value: int = 0, services: Mapping[str, str] | None = None) -> Trace:
    """Follow money from (``forward``) or to (``backward``) ``address``.

    Parameters
    ----------
    address
        Where to start.
    direction
        ``"forward"``: the transactions that spend its coins, then those that spend
        their outputs ...; ``"backward"``: the transactions that paid it, then those
        that paid their inputs ...
    max_hops
        How many transactions deep to go.
    min_value
        Do not follow amounts below this many satoshis.
    services
        ``address -> label`` of known services: reached, recorded, not passed through.
    """
    if direction not in DIRECTIONS:
        raise ValueError(t("tracing.bad_direction", direction=direction))
    if max_hops < 0 or min_value < 0:
        raise ValueError(t("tracing.bad_limits", max_hops=max_hops, min_value=min_value))
    services = dict(services or {})
    start = ledger.address_id(address)
    result = Trace()
    result.graph.add_node(address, kind="address", hop=0)
    receives = np.flatnonzero(ledger.out_addr == start).tolist()
    if direction == "forward":
        frontier = {int(ledger.out_spent_by[r]) for r in receives} - {-1}
    else:
        frontier = {int(ledger.out_tx[r]) for r in receives}
    seen: set[int] = set()
    for hop in range(1, max_hops + 1):
        nxt: set[int] = set()
        for i in sorted(frontier - seen):
            seen.add(i)
            _add_tx(result.graph, ledger, i, hop)
            if direction == "forward":
                rows = range(ledger.out_start[i], ledger.out_start[i + 1])
                coins = [(int(ledger.out_addr[r]), int(ledger.out_value[r]),
                          int(ledger.out_spent_by[r])) for r in rows]
            else:
                rows = range(ledger.in_start[i], ledger.in_start[i + 1])
                coins = [(int(ledger.in_addr[k]), int(ledger.in_value[k]),
                          int(ledger.in_prev_tx[k])) for k in rows]
            for a, value, nxt_tx in coins:
                name = ledger.address(a)
                if value < min_value or not name or a == start:
                    continue
                if name in services:
                    result.services.append((name, services[name], hop, value))
                    continue
                if nxt_tx >= 0:
                    nxt.add(nxt_tx)
        frontier = nxt
    return result
