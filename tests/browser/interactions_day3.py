"""Day 3 widget interactions in the browser: transaction anatomy, address inspector,
wallet explorer. Keyed to the cells agreed with the notebooks (the snippets below);
the expected texts are computed here from the day's data."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Locator, expect

from browser.interactions import interaction, set_text, widget_output
from browser.lab_page import UI_MS, LabPage
from course.chain.explorer import balances, read_explorer
from course.chain.inspect import inspect_address
from course.chain.scan import scan_wallet
from course.chain.tx import parse_tx
from course.chain.wallet import validate_mnemonic
from course.messages import t

DAY = "day3-crypto-basics"
NB_TX = "01-addresses-and-transactions.ipynb"
NB_WALLET = "02-wallets-and-cash-out.ipynb"


def set_textarea(area: Locator, value: str) -> None:
    """Replace the text of an ipywidgets Textarea; leaving the box sends the value."""
    box = area.locator("textarea")
    box.fill(value)
    box.blur()


@interaction(DAY, NB_TX, "TxAnatomy: paste the other raw transaction; the txid follows")
def tx_anatomy(lab: LabPage, day: Path) -> None:
    first = (day / "data" / "raw_tx_1.hex").read_text().strip()
    second = (day / "data" / "raw_tx_2.hex").read_text().strip()
    widget = widget_output(lab, "anatomy = TxAnatomy(")
    txid = widget.locator(".course-txid")
    expect(txid).to_contain_text(parse_tx(first).txid, timeout=UI_MS)
    set_textarea(widget.locator(".widget-textarea"), second)
    expect(txid).to_contain_text(parse_tx(second).txid, timeout=UI_MS)
    expect(widget.locator("table.course-tx-anatomy")).to_contain_text(
        t("chain.anatomy.marker"), timeout=UI_MS)


@interaction(DAY, NB_TX, "AddressInspector: type a one-character typo; the verdict names it")
def address_inspector(lab: LabPage, day: Path) -> None:
    questions = json.loads((day / "data" / "tron" / "questions.json").read_text("utf-8"))
    address = questions["exchanger_usdt_address"]
    i = 12
    typo = address[:i] + ("2" if address[i] != "2" else "3") + address[i + 1:]
    widget = widget_output(lab, "inspector = AddressInspector(")
    verdict = widget.locator(".course-verdict")
    expect(verdict).to_have_text(inspect_address(address).reason, timeout=UI_MS)
    set_text(widget.locator(".widget-text"), typo)
    expected = inspect_address(typo)
    assert not expected.valid and expected.position == i + 1
    expect(verdict).to_have_text(expected.reason, timeout=UI_MS)


@interaction(DAY, NB_WALLET, "WalletExplorer: type the seized phrase, press Scan; the total shows")
def wallet_explorer(lab: LabPage, day: Path) -> None:
    notes = (day / "data" / "seized_notes.txt").read_text("utf-8").splitlines()
    (phrase,) = [ln for ln in notes if len(ln.split()) == 12 and validate_mnemonic(ln)]
    result = scan_wallet(phrase, balances(read_explorer(day / "data" / "explorer")), 20)
    total = t("w3.wallet.total", sats=f"{result.balance:,}", btc=f"{result.balance / 1e8:.8f}",
              count=len(result.used), gap=20)
    widget = widget_output(lab, "explorer = WalletExplorer(")
    expect(widget.locator(".widget-html").first).to_have_text(t("w3.wallet.empty"),
                                                              timeout=UI_MS)
    set_textarea(widget.locator(".widget-textarea"), phrase)
    widget.get_by_role("button", name=t("w3.wallet.scan")).click()
    expect(widget.locator(".course-wallet-total")).to_have_text(total, timeout=UI_MS)
