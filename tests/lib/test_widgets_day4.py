"""Day-4 widget: the graph explorer.

The tests drive the inner widgets as a trainee would (type a start address,
pick a node and press Expand, move the sliders, choose an edge) and check the
public ``value`` against what is worked out by hand for a tiny ledger, or with
plain pandas from the day's CSV tables.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from course.tracing.attribution import TagIndex, read_tags
from course.tracing.ledger import build, read_csv
from course.widgets import GraphExplorer
from course.widgets.base import CourseWidget

DAY4 = Path(__file__).resolve().parents[2] / "source" / "day4-tracing-money" / "data"
T1, T2, T3, T4 = ("11" * 32, "22" * 32, "33" * 32, "44" * 32)
OUTSIDE = "ff" * 32
BTC = 100_000_000


def tiny_ledger():
    """t1: Z pays A 2 BTC and B; t2: A and C pay D 1 BTC (round) and E (the change);
    t3: D pays the exchange X; t4: E pays F."""
    txs = pd.DataFrame({"txid": [T1, T2, T3, T4], "block_height": [1, 2, 3, 4],
                        "is_coinbase": [0, 0, 0, 0]})
    inputs = pd.DataFrame(
        [(T1, OUTSIDE, 0, "addrZ", 3 * BTC), (T2, T1, 0, "addrA", 2 * BTC),
         (T2, OUTSIDE, 1, "addrC", BTC // 2), (T3, T2, 0, "addrD", BTC),
         (T4, T2, 1, "addrE", 149_990_000)],
        columns=["txid", "prev_txid", "prev_vout", "address", "value"])
    outputs = pd.DataFrame(
        [(T1, 0, "addrA", 2 * BTC, "p2wpkh"), (T1, 1, "addrB", 99_990_000, "p2wpkh"),
         (T2, 0, "addrD", BTC, "p2wpkh"), (T2, 1, "addrE", 149_990_000, "p2wpkh"),
         (T3, 0, "addrX", 99_990_000, "p2wpkh"), (T4, 0, "addrF", 149_980_000, "p2wpkh")],
        columns=["txid", "vout", "address", "value", "script_type"])
    return build(txs, inputs, outputs)


TAGS = pd.DataFrame([("addrX", "Samarkand Trade", "proof of reserves", "exchange", "95")],
                    columns=["address", "label", "source", "category", "confidence"])


def edge_set(value: dict) -> set[tuple[str, str, int, int]]:
    e = value["edges"]
    return set(zip(e.source, e.target, e.value.astype(int), e.vout.astype(int), strict=True))


def node_hops(value: dict) -> dict[str, int]:
    n = value["nodes"]
    return dict(zip(n.node, n.hop.astype(int), strict=True))


def choose(w: GraphExplorer, source: str, target: str) -> None:
    """Pick the edge in the drop-down by its position, as a click would."""
    keys = list(zip(w.value["edges"].source, w.value["edges"].target, strict=True))
    w._w_edge.value = keys.index((source, target))


def test_is_a_course_widget_and_renders_headless() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    assert isinstance(w, CourseWidget)
    assert "application/vnd.jupyter.widget-view+json" in w._repr_mimebundle_()


def test_start_shows_the_start_address_transactions_one_hop_away() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    v = w.value
    assert v["start"] == "addrA"
    assert node_hops(v) == {"addrA": 0, f"tx:{T1}": 1, "addrZ": 1, "addrB": 1,
                            f"tx:{T2}": 1, "addrC": 1, "addrD": 1, "addrE": 1}
    assert edge_set(v) == {
        ("addrZ", f"tx:{T1}", 3 * BTC, -1), (f"tx:{T1}", "addrA", 2 * BTC, 0),
        (f"tx:{T1}", "addrB", 99_990_000, 1), ("addrA", f"tx:{T2}", 2 * BTC, -1),
        ("addrC", f"tx:{T2}", BTC // 2, -1), (f"tx:{T2}", "addrD", BTC, 0),
        (f"tx:{T2}", "addrE", 149_990_000, 1)}
    assert v["edge"] is None and v["findings"] == [] and v["hidden"] == 0
    assert "addrA" in w.svg and w.svg.startswith("<svg")


def test_typing_a_start_address_in_the_box_draws_from_it() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS)
    assert w.value["start"] == "" and w.value["nodes"].empty and w.svg == ""
    assert w.note == "Type an address to start from and press Enter."
    w._w_start.value = " addrF "
    assert node_hops(w.value) == {"addrF": 0, f"tx:{T4}": 1, "addrE": 1}


def test_expand_adds_the_next_hop_through_the_button() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    assert "addrD" in [value for _label, value in w._w_node.options]
    w._w_node.value = "addrD"
    w._w_expand.click()
    hops = node_hops(w.value)
    assert hops[f"tx:{T3}"] == 2 and hops["addrX"] == 2
    assert ("addrD", f"tx:{T3}", BTC, -1) in edge_set(w.value)
    w._w_node.value = f"tx:{T2}"  # a transaction: those spending its outputs, one hop on
    w._w_expand.click()
    assert node_hops(w.value)[f"tx:{T4}"] == 2 and node_hops(w.value)["addrF"] == 2


def test_hop_limit_and_minimum_value_filter_the_drawing() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    w.expand("addrD")
    w._w_hops.value = 1
    assert f"tx:{T3}" not in node_hops(w.value) and "addrX" not in node_hops(w.value)
    w._w_hops.value = 2
    assert f"tx:{T3}" in node_hops(w.value)
    w._w_min.value = BTC
    # edges under 1 BTC go, and the addresses left with none: B, C, X (0.9999 BTC)
    assert edge_set(w.value) == {
        ("addrZ", f"tx:{T1}", 3 * BTC, -1), (f"tx:{T1}", "addrA", 2 * BTC, 0),
        ("addrA", f"tx:{T2}", 2 * BTC, -1), (f"tx:{T2}", "addrD", BTC, 0),
        (f"tx:{T2}", "addrE", 149_990_000, 1), ("addrD", f"tx:{T3}", BTC, -1)}
    assert {"addrB", "addrC", "addrX"}.isdisjoint(node_hops(w.value))
    w.value = {"min_value": 150_000_000}  # a value between the slider's stops
    assert w._w_min.value == 150_000_000
    assert ("addrA", f"tx:{T2}", 2 * BTC, -1) in edge_set(w.value)
    assert (f"tx:{T2}", "addrE", 149_990_000, 1) not in edge_set(w.value)


def test_colour_by_cluster_and_tag() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    w.expand("addrD")
    nodes = w.value["nodes"].set_index("node")
    # A and C are spent together in t2: one cluster; D and X are each alone
    assert nodes.loc["addrA", "cluster"] == nodes.loc["addrC", "cluster"]
    assert nodes.loc["addrA", "cluster"] in {"addrA", "addrC"}
    assert nodes.loc["addrD", "cluster"] == "addrD"
    assert nodes.loc["addrX", "tag"] == "Samarkand Trade" and nodes.loc["addrD", "tag"] == ""
    assert (nodes.loc[f"tx:{T2}", "cluster"], nodes.loc[f"tx:{T2}", "tag"]) == ("", "")
    svg = w.svg
    assert svg.count('class="address tagged"') == 1 and "Samarkand Trade" in svg
    fill = {n: svg.split(f"<title>{n}:")[0].rsplit('fill="', 1)[1][:7] for n in
            ("addrA", "addrC", "addrD")}
    assert fill["addrA"] == fill["addrC"] != fill["addrD"]


def test_choosing_the_change_output_shows_its_findings() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    choose(w, f"tx:{T2}", "addrE")
    v = w.value
    assert v["edge"] == (f"tx:{T2}", "addrE")
    # by hand: 1 BTC is round, 1.4999 BTC is not; C's type is unknown, so no script-type
    # finding; no output is smaller than the smallest input (0.5 BTC)
    kinds = {f.kind: f for f in v["findings"]}
    assert set(kinds) == {"change.round_amount", "change"}
    assert kinds["change.round_amount"].confidence == 0.6
    assert kinds["change.round_amount"].subject == (f"{T2}:1",)
    assert "addrE" in kinds["change.round_amount"].evidence[0]
    assert "Round amount" in w._w_details.value and "0.6" in w._w_details.value
    assert 'class="chosen"' in w.svg
    choose(w, f"tx:{T2}", "addrD")
    assert w.value["findings"] == []
    assert "No change heuristic takes this output for change." in w._w_details.value
    choose(w, "addrA", f"tx:{T2}")
    assert w.value["findings"] == [] and "input" in w._w_details.value
    w.value = {"edge": None}
    assert w.value["edge"] is None


def test_the_node_cap_keeps_the_nearest_and_says_so() -> None:
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA", max_nodes=5)
    # t1 brings A, Z, B (4 nodes with itself); t2 would bring 4 more: left out
    assert set(node_hops(w.value)) == {"addrA", f"tx:{T1}", "addrZ", "addrB"}
    assert w.value["hidden"] == 4
    assert "4 more nodes are left out" in w.note


def test_bad_input_gives_one_line_errors() -> None:
    ledger = tiny_ledger()
    cases = [
        (lambda: GraphExplorer("data"), TypeError, "needs a ledger"),
        (lambda: GraphExplorer(ledger, start="bc1qnothere"), KeyError, "bc1qnothere"),
        (lambda: GraphExplorer(ledger, start=42), TypeError, "must be text"),
        (lambda: GraphExplorer(ledger, tags=3.5), TypeError, "tags table"),
        (lambda: GraphExplorer(ledger, tags=TAGS.drop(columns="label")), ValueError, "label"),
        (lambda: GraphExplorer(ledger, max_hops=0), ValueError, "max_hops=0"),
        (lambda: GraphExplorer(ledger, min_value=-1), ValueError, "min_value=-1"),
    ]
    for make, error, words in cases:
        with pytest.raises(error) as info:
            make()
        message = info.value.args[0]
        assert words in message and "\n" not in message
    w = GraphExplorer(ledger, TAGS, start="addrA")
    before = edge_set(w.value)
    w._w_start.value = "addrTYPO"  # typed: shown, not raised; the graph stays
    assert "addrTYPO" in w.note and "check it for typos" in w._w_note.value
    assert edge_set(w.value) == before and w.value["start"] == "addrA"
    with pytest.raises(KeyError, match="not drawn now"):
        w.expand("addrF")
    with pytest.raises(KeyError, match="no edge"):
        w.value = {"edge": ("addrA", "addrB")}
    with pytest.raises(ValueError, match="max_hops=9"):
        w.value = {"max_hops": 9}


def test_messages_follow_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    w = GraphExplorer(tiny_ledger(), TAGS, start="addrA")
    assert w.note.startswith("Показано узлов: 8, рёбер: 7")
    assert w._w_expand.description == "Раскрыть"


def test_on_the_day_ledger_it_matches_plain_pandas() -> None:
    ledger = read_csv(DAY4)
    tags = pd.read_csv(DAY4 / "tags.csv", dtype=str, keep_default_na=False)
    start = json.loads((DAY4 / "questions.json").read_text())["target_address"]
    began = time.perf_counter()
    w = GraphExplorer(ledger, tags, start=start, max_nodes=100_000)
    print(f"\nGraphExplorer on the day's ledger ({ledger.n_tx} transactions): "
          f"{time.perf_counter() - began:.3f} s to build")  # information only
    ins = pd.read_csv(DAY4 / "inputs.csv", dtype={"address": str}, keep_default_na=False)
    outs = pd.read_csv(DAY4 / "outputs.csv", dtype={"address": str}, keep_default_na=False)
    touching = set(ins.txid[ins.address == start]) | set(outs.txid[outs.address == start])
    assert touching
    v = w.value
    assert set(v["nodes"].node[v["nodes"].kind == "tx"]) == {f"tx:{x}" for x in touching}
    i = ins[ins.txid.isin(touching)].groupby(["address", "txid"], as_index=False)["value"].sum()
    o = outs[outs.txid.isin(touching) & (outs.address != "")]
    o = o.groupby(["txid", "address"], as_index=False).agg(value=("value", "sum"),
                                                           vout=("vout", "min"))
    expected = {(a, f"tx:{x}", int(s), -1) for a, x, s in i.itertuples(index=False)}
    expected |= {(f"tx:{x}", a, int(s), int(n)) for x, a, s, n in o.itertuples(index=False)}
    assert edge_set(v) == expected
    best = tags.assign(c=tags.confidence.astype(float)).sort_values("c", ascending=False)
    best = best.drop_duplicates("address").set_index("address")["label"]
    for node, tag in zip(v["nodes"].node, v["nodes"].tag, strict=True):
        assert tag == best.get(node, "")
    assert (v["nodes"].tag != "").any()  # the target's neighbourhood has tagged services
    # the tags as the notebooks read them (a TagIndex, or a list of tags) mark the same nodes
    for other in (read_tags(DAY4 / "tags.csv"), TagIndex(read_tags(DAY4 / "tags.csv"))):
        same = GraphExplorer(ledger, other, start=start, max_nodes=100_000).value["nodes"]
        assert same.tag.tolist() == v["nodes"].tag.tolist()
    # the default cap keeps the drawing small, and says what it left out
    small = GraphExplorer(ledger, tags, start=start, max_nodes=20)
    assert len(small.value["nodes"]) <= 20
    assert small.value["hidden"] == len(v["nodes"]) - len(small.value["nodes"])
