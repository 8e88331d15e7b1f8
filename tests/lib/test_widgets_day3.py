"""Day-3 widgets: transaction anatomy, wallet explorer, address inspector.

The tests drive the inner widgets as a trainee would (``w._w_text.value = ...``,
``w._w_scan.click()``) and check the public ``value`` against references
computed independently (published txids, bip-utils derivations, plain sums
over the explorer JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bip_utils import Bip39SeedGenerator, Bip44Changes, Bip84, Bip84Coins, Bip86, Bip86Coins

from course.widgets import AddressInspector, TxAnatomy, WalletExplorer
from course.widgets.base import CourseWidget

MAINNET = json.loads((Path(__file__).parent / "data" / "mainnet_txs.json").read_text())
LEGACY = next(t for t in MAINNET["transactions"] if t["kind"] == "legacy")
TAPROOT = next(t for t in MAINNET["transactions"] if t["kind"] == "taproot")
PHRASE = "abandon " * 11 + "about"
DAY3 = Path(__file__).resolve().parents[2] / "source" / "day3-crypto-basics" / "data"


def test_every_day3_widget_is_a_course_widget_and_renders_headless() -> None:
    for w in (TxAnatomy(), WalletExplorer({}), AddressInspector()):
        assert isinstance(w, CourseWidget)
        bundle = w._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle


# -- TxAnatomy ----------------------------------------------------------------------------

def test_tx_anatomy_gives_the_published_txid_live() -> None:
    w = TxAnatomy(TAPROOT["hex"])
    assert w.value == TAPROOT["txid"]
    assert TAPROOT["txid"] in w._w_result.value
    assert "segwit marker and flag" in w._w_result.value
    w._w_text.value = LEGACY["hex"]  # typed over: the txid follows
    assert w.value == LEGACY["txid"]
    assert not any(f.kind == "witness" for f in w.fields)
    w.value = "  " + TAPROOT["hex"][:40] + "\n" + TAPROOT["hex"][40:] + " "
    assert w.value == TAPROOT["txid"]


def test_tx_anatomy_explains_bad_input_and_keeps_working() -> None:
    w = TxAnatomy()
    assert w.value is None and w.error is None and w.fields == []
    w.value = "hello"
    assert w.value is None and "hexadecimal" in w.error
    w.value = LEGACY["hex"][:-20]
    assert w.value is None and "ends early" in w.error
    w.value = LEGACY["hex"] + "00"
    assert "left over" in w.error and "left over" in w._w_result.value
    w.value = LEGACY["hex"]
    assert w.error is None and w.value == LEGACY["txid"]
    with pytest.raises(TypeError, match="hex text"):
        TxAnatomy(b"\x01\x00")  # type: ignore[arg-type]


def test_tx_anatomy_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    w = TxAnatomy(TAPROOT["hex"])
    assert "маркер и флаг segwit" in w._w_result.value
    w.value = "zz"
    assert "шестнадцатеричный" in w.error


# -- WalletExplorer -----------------------------------------------------------------------

def _derived(cls, coin, change: int, index: int) -> str:
    chain = cls.FromSeed(Bip39SeedGenerator(PHRASE).Generate(), coin).Purpose().Coin().Account(
        0).Change(Bip44Changes.CHAIN_INT if change else Bip44Changes.CHAIN_EXT)
    return chain.AddressIndex(index).PublicKey().ToAddress()


def test_wallet_explorer_scans_on_click() -> None:
    ledger = {_derived(Bip84, Bip84Coins.BITCOIN, 0, 4): 12_000,
              _derived(Bip86, Bip86Coins.BITCOIN, 1, 0): 3_456}
    w = WalletExplorer(ledger, gap_limit=20)
    assert w.value is None and w.result is None
    w._w_phrase.value = PHRASE
    w._w_scan.click()
    assert w.value == 15_456
    html = w._w_result.value
    assert "m/84&#x27;/0&#x27;/0&#x27;/0/4" in html or "m/84'/0'/0'/0/4" in html
    assert "15,456" in html
    w._w_gap.value = 3  # index 4 now hides behind a gap of 4 unused addresses
    w._w_scan.click()
    assert w.value == 3_456
    w._w_passphrase.value = "TREZOR"
    w._w_scan.click()
    assert w.value == 0 and "passphrase" in w._w_result.value.lower()


def test_wallet_explorer_bad_phrase_and_ledger() -> None:
    w = WalletExplorer({}, phrase="abandon " * 12)
    assert w.value is None and "Checksum" in w.error
    assert "Checksum" in w._w_result.value
    assert w.scan(PHRASE) == 0 and w.error is None
    with pytest.raises(ValueError, match="ledger"):
        WalletExplorer({"bc1q...": "a lot"})
    with pytest.raises(TypeError, match="ledger"):
        WalletExplorer(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gap limit"):
        WalletExplorer({}, gap_limit=0)


def _plain_balances(folder: Path) -> dict[str, int]:
    """Received minus spent per address, with json alone (the reference)."""
    out: dict[str, int] = {}
    for file in folder.glob("*.json"):
        tx = json.loads(file.read_text())
        for o in tx["vout"]:
            if "scriptpubkey_address" in o:
                out[o["scriptpubkey_address"]] = out.get(o["scriptpubkey_address"], 0) + o["value"]
        for i in tx["vin"]:
            if i.get("prevout"):
                a = i["prevout"]["scriptpubkey_address"]
                out[a] = out.get(a, 0) - i["prevout"]["value"]
    return out


def test_wallet_explorer_on_the_case_world() -> None:
    """The seized notes' valid phrase, against the day's explorer folder."""
    from bip_utils import Bip39MnemonicValidator

    lines = (DAY3 / "seized_notes.txt").read_text(encoding="utf-8").splitlines()
    phrases = [ln for ln in lines if len(ln.split()) == 12]
    (phrase,) = [p for p in phrases if Bip39MnemonicValidator().IsValid(p)]
    balances = _plain_balances(DAY3 / "explorer")
    expected = 0
    for cls, coin in ((Bip84, Bip84Coins.BITCOIN), (Bip86, Bip86Coins.BITCOIN)):
        account = cls.FromSeed(Bip39SeedGenerator(phrase).Generate(), coin).Purpose().Coin() \
            .Account(0)
        for change in (Bip44Changes.CHAIN_EXT, Bip44Changes.CHAIN_INT):
            for i in range(60):
                expected += balances.get(account.Change(change).AddressIndex(i).PublicKey()
                                         .ToAddress(), 0)
    w = WalletExplorer(DAY3 / "explorer", gap_limit=20)
    assert w.scan(phrase) == expected > 0


# -- AddressInspector ---------------------------------------------------------------------

def test_address_inspector_value_is_the_verdict() -> None:
    w = AddressInspector("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    assert w.value["valid"] is True and w.value["coin"] == "tron"
    assert w.value["payload_hex"] == "41a614f803b6fd780986a42c78ec9c7f77e6ded13c"
    json.dumps(w.value)  # plain data
    w._w_text.value = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6a"
    assert (w.value["valid"], w.value["part"], w.value["position"]) == (False, "checksum", 34)
    assert w.value["suggestion"] == "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    assert "text-decoration:underline'>a</b>" in w._w_result.value
    w.value = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"
    assert w.value["part"] == "variant" and "bech32m" in w._w_result.value
    assert w.address.startswith("bc1p")
    w.value = ""
    assert w.value["part"] == "empty"


def test_address_inspector_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    w = AddressInspector("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    assert "контрольная сумма" in w._w_result.value and "неверна" in w._w_result.value


def test_wallet_explorer_with_a_list_of_used_addresses() -> None:
    """Addresses alone: the scan finds them (balance unknown, counted 0) and where it stops."""
    used = [_derived(Bip84, Bip84Coins.BITCOIN, 0, 7)]
    w = WalletExplorer(used, gap_limit=5)
    assert w.scan(PHRASE) == 0
    chains = {(c.standard, c.change): c for c in w.result.chains}
    assert [a.index for a in chains[("bip84", 0)].used] == []  # index 7 lies past a gap of 5
    assert w.scan(gap_limit=8) == 0
    chains = {(c.standard, c.change): c for c in w.result.chains}
    assert [a.index for a in chains[("bip84", 0)].used] == [7]
    assert chains[("bip84", 0)].stopped_at == 16
