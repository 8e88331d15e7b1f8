"""Day 4 widget interaction in the browser: the graph explorer. Keyed to the cell of
part 2 that shows it (``chain_explorer = GraphExplorer(ledger, tags_table, start=...)``);
the check sets the hop limit itself and leaves the minimum value at its default (0).
The expected texts are computed here from the day's CSV tables with plain pandas."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from playwright.sync_api import expect

from browser.interactions import interaction, set_slider, set_text, widget_output
from browser.lab_page import UI_MS, LabPage
from course.messages import t
from course.widgets.graph_draw import btc, short_name

DAY = "day4-tracing-money"
NB = "02-peel-chains-coinjoin-and-cash-out.ipynb"
HOPS = 2  # the notebook starts at another limit: the slider must move


def _tables(day: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = {"dtype": {"address": str}, "keep_default_na": False}
    return (pd.read_csv(day / "data" / "inputs.csv", **read),
            pd.read_csv(day / "data" / "outputs.csv", **read))


def _counts(ins: pd.DataFrame, outs: pd.DataFrame, start: str, txids: set[str]
            ) -> tuple[int, int]:
    """Nodes and edges of the flow graph of ``txids`` with ``start`` (one edge per
    address and transaction, as drawn)."""
    i = ins[ins.txid.isin(txids)][["address", "txid"]].drop_duplicates()
    o = outs[outs.txid.isin(txids) & (outs.address != "")][["txid", "address"]]
    o = o.drop_duplicates()
    nodes = {start} | {f"tx:{x}" for x in txids} | set(i.address) | set(o.address)
    return len(nodes), len(i) + len(o)


@interaction(DAY, NB, "GraphExplorer: start at the peel chain's change, choose the edge, expand")
def graph_explorer(lab: LabPage, day: Path) -> None:
    ins, outs = _tables(day)
    first = json.loads((day / "data" / "questions.json").read_text("utf-8"))[
        "peel_chain_start_txid"]
    shape = {x: ((ins.txid == x).sum(), (outs.txid == x).sum()) for x in ins.txid.unique()}
    spent = ins[ins.prev_txid == first]
    (step,) = [x for x in spent.txid if shape[x] == (1, 2)]  # the next peel step
    vout = int(spent[spent.txid == step].prev_vout.iloc[0])
    row = outs[(outs.txid == first) & (outs.vout == vout)].iloc[0]
    change, value = str(row.address), int(row.value)
    touching = set(ins.txid[ins.address == change]) | set(outs.txid[outs.address == change])
    assert touching == {first, step}

    widget = widget_output(lab, "chain_explorer = GraphExplorer(")
    note = widget.locator(".course-graph-note")
    expect(note).not_to_be_empty(timeout=UI_MS)
    set_slider(widget.locator(".widget-slider").nth(1), HOPS)
    set_text(widget.locator(".widget-text").first, change)
    nodes, edges = _counts(ins, outs, change, touching)
    expect(note).to_have_text(t("w4.graph.summary", nodes=nodes, edges=edges, hops=HOPS,
                                start=change, min_value=btc(0)), timeout=UI_MS)

    selects = widget.locator(".widget-dropdown select")
    selects.nth(1).select_option(label=f"{short_name('tx:' + first)} → {short_name(change)}: "
                                       f"{btc(value)}")
    findings = widget.locator(".course-graph-findings")
    expect(findings).to_contain_text(t("w4.graph.heuristic.peel_continuation"), timeout=UI_MS)
    expect(widget.locator("svg.course-graph .chosen")).to_have_count(1, timeout=UI_MS)

    after = set(outs.txid[outs.txid == step])  # the step's outputs, and who spends them
    spenders = set(ins.txid[ins.prev_txid.isin(after)])
    nodes, edges = _counts(ins, outs, change, touching | spenders)
    assert nodes <= 60, "the expansion no longer fits the default cap: check another way"
    selects.nth(0).select_option(label=short_name(f"tx:{step}", 16))
    widget.get_by_role("button", name=t("w4.graph.expand")).click()
    expect(note).to_have_text(t("w4.graph.summary", nodes=nodes, edges=edges, hops=HOPS,
                                start=change, min_value=btc(0)), timeout=UI_MS)
    # one hop only: the transactions the expansion added (hop 2) leave the picture again
    set_slider(widget.locator(".widget-slider").nth(1), 1)
    nodes, edges = _counts(ins, outs, change, touching)
    expect(note).to_have_text(t("w4.graph.summary", nodes=nodes, edges=edges, hops=1,
                                start=change, min_value=btc(0)), timeout=UI_MS)
