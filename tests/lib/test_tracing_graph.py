"""Graph views and tracing forward and backward with limits and services."""

from __future__ import annotations

import pytest
from tracing_helpers import flow_ledger

from course.tracing.graph import flow_graph, trace, transaction_graph


@pytest.fixture
def flow():
    return flow_ledger()


def test_transaction_graph(flow):
    graph = transaction_graph(flow, ["src", "clean", "mix", "hop2"])
    edges = {(a, b): d["value"] for a, b, d in graph.edges(data=True)}
    assert edges == {("src", "mix"): 600, ("clean", "mix"): 400, ("mix", "hop2"): 490}


def test_flow_graph(flow):
    graph = flow_graph(flow, ["mix"])
    assert set(graph.nodes) == {"bc1qv", "bc1qw", "tx:mix", "bc1qd1", "bc1qd2"}
    assert graph.edges["bc1qv", "tx:mix"]["value"] == 600
    assert graph.edges["tx:mix", "bc1qd2"]["value"] == 490
    assert graph.nodes["tx:mix"]["kind"] == "tx" and graph.nodes["bc1qd1"]["kind"] == "address"


def test_forward(flow):
    assert trace(flow, "bc1qv", "forward", max_hops=2).transactions == ["mix", "hop2"]
    assert trace(flow, "bc1qv", "forward", max_hops=1).transactions == ["mix"]
    assert trace(flow, "bc1qv", "forward", max_hops=2, min_value=495).transactions == ["mix"]
    reached = trace(flow, "bc1qv", "forward", 3, services={"3Exch": "Exchange"})
    assert reached.services == [("3Exch", "Exchange", 2, 480)]
    stopped = trace(flow, "bc1qv", "forward", 3, services={"bc1qd2": "Service"})
    assert stopped.services == [("bc1qd2", "Service", 1, 490)]
    assert stopped.transactions == ["mix"]


def test_backward(flow):
    assert set(trace(flow, "3Exch", "backward", 3).transactions) == {"hop2", "mix", "src",
                                                                     "clean"}
    stopped = trace(flow, "3Exch", "backward", 3, services={"bc1qw": "Clean service"})
    assert set(stopped.transactions) == {"hop2", "mix", "src"}
    assert stopped.services == [("bc1qw", "Clean service", 2, 400)]
    assert trace(flow, "3Exch", "backward", 3).graph.nodes["tx:src"]["hop"] == 3


def test_bad_requests(flow):
    with pytest.raises(ValueError, match="forward"):
        trace(flow, "bc1qv", "sideways")
    with pytest.raises(ValueError):
        trace(flow, "bc1qv", max_hops=-1)
    with pytest.raises(KeyError, match="1Nobody"):
        trace(flow, "1Nobody")
