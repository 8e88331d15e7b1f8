"""Real mainnet transactions (legacy, segwit, taproot) and explorer JSON in Esplora's shape.

The raw transactions and their published txids are in ``data/mainnet_txs.json``,
each with its source. Every parse must give the published txid, re-serialize
to the same bytes, and the anatomy's fields must tile the bytes exactly.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from bip_utils import P2TRAddrDecoder

from course.chain.anatomy import tx_fields, txid_bytes
from course.chain.explorer import ExplorerError, balances, fee, read_explorer, tx_from_esplora
from course.chain.tx import parse_tx

DATA = json.loads((Path(__file__).parent / "data" / "mainnet_txs.json").read_text())
TXS = DATA["transactions"]
ESPLORA = DATA["esplora"]["tx"]


def _sha256d_reversed(data: bytes) -> str:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()[::-1].hex()


def test_the_fixture_has_each_kind_with_its_source() -> None:
    assert {t["kind"] for t in TXS} == {"legacy", "segwit", "taproot"}
    assert all(t["source"] and len(t["txid"]) == 64 for t in TXS)


@pytest.mark.parametrize("case", TXS, ids=[t["txid"][:8] for t in TXS])
def test_parsed_txid_is_the_published_one(case: dict) -> None:
    tx = parse_tx(case["hex"])
    assert tx.txid == case["txid"]
    assert tx.to_hex() == case["hex"]
    assert tx.has_witness == (case["kind"] != "legacy")
    if tx.has_witness:
        assert tx.wtxid != tx.txid
        assert tx.weight < 4 * tx.size  # witness bytes weigh 1, the rest 4


@pytest.mark.parametrize("case", TXS, ids=[t["txid"][:8] for t in TXS])
def test_anatomy_tiles_the_bytes_and_hashes_to_the_txid(case: dict) -> None:
    raw = bytes.fromhex(case["hex"])
    fields = tx_fields(case["hex"])
    assert fields[0].start == 0 and fields[-1].end == len(raw)
    assert all(a.end == b.start for a, b in zip(fields, fields[1:], strict=False))
    assert b"".join(bytes.fromhex(f.hex) for f in fields) == raw
    # the txid is the double SHA-256 of the fields it covers, checked with hashlib
    assert _sha256d_reversed(txid_bytes(fields)) == case["txid"]
    assert fields[0].kind == "version" and fields[-1].kind == "locktime"
    witness = [f for f in fields if not f.in_txid]
    assert bool(witness) == (case["kind"] != "legacy")


def test_first_taproot_spend_field_by_field() -> None:
    """Offsets and values read by hand from the published bytes of 33e794d0..."""
    fields = tx_fields(ESPLORA_HEX)
    by_name = {f.name: f for f in fields}
    assert by_name["version"].hex == "01000000" and by_name["version"].note == "1"
    assert (by_name["segwit marker and flag"].start, by_name["segwit marker and flag"].hex) == (
        4, "0001")
    prev = by_name["input 0: previous txid"]
    assert (prev.start, prev.end) == (7, 39)
    assert prev.note == "5849051cf3ce36257a1d844e28959f368a35adc9520fb9679175f6cdf8c1f1d1"
    assert by_name["input 0: sequence"].note == "0xfffffffd"
    assert by_name["output 1: value"].note.startswith("67230 sat")
    assert by_name["output 1: scriptPubKey"].note == (
        "p2tr bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297")
    assert by_name["output 0: scriptPubKey"].note == "nulldata"
    assert by_name["locktime"].note == "709631"


ESPLORA_HEX = next(t["hex"] for t in TXS if t["txid"] == ESPLORA["txid"])


def test_esplora_json_rebuilds_the_real_transaction() -> None:
    tx = tx_from_esplora(ESPLORA)
    assert tx.txid == ESPLORA["txid"]
    assert tx.to_hex() == ESPLORA_HEX
    assert fee(ESPLORA) == ESPLORA["fee"] == 88480 - 67230


def test_esplora_balances_use_prevouts() -> None:
    got = balances([ESPLORA])
    spent = ESPLORA["vin"][0]["prevout"]["scriptpubkey_address"]
    paid = ESPLORA["vout"][1]["scriptpubkey_address"]
    # the addresses are the scripts' programs, as bip-utils decodes them
    assert P2TRAddrDecoder.DecodeAddr(spent, hrp="bc").hex() == (
        ESPLORA["vin"][0]["prevout"]["scriptpubkey"][4:])
    assert got == {spent: -88480, paid: 67230}


def test_altered_explorer_json_is_caught() -> None:
    changed = copy.deepcopy(ESPLORA)
    changed["vout"][1]["value"] = 77230
    with pytest.raises(ExplorerError, match="altered"):
        tx_from_esplora(changed)
    assert tx_from_esplora(changed, check=False).txid != ESPLORA["txid"]
    broken = copy.deepcopy(ESPLORA)
    del broken["vin"][0]["sequence"]
    with pytest.raises(ExplorerError, match="sequence"):
        tx_from_esplora(broken)
    broken = copy.deepcopy(ESPLORA)
    broken["vin"][0]["witness"] = ["zz"]
    with pytest.raises(ExplorerError, match="hexadecimal"):
        tx_from_esplora(broken)


def test_read_explorer_from_folder_file_and_objects(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(ESPLORA))
    (tmp_path / "b.json").write_text(json.dumps([ESPLORA]))
    assert [d["txid"] for d in read_explorer(tmp_path)] == [ESPLORA["txid"]]
    assert read_explorer(tmp_path / "a.json") == read_explorer([ESPLORA]) == [ESPLORA]
    with pytest.raises(ExplorerError, match="No explorer JSON"):
        read_explorer(tmp_path / "missing")
    (tmp_path / "c.json").write_text("{not json")
    with pytest.raises(ExplorerError, match="cannot be read"):
        read_explorer(tmp_path)
    with pytest.raises(ExplorerError, match="not an explorer transaction"):
        read_explorer([{"hello": 1}])


def test_world_explorer_files_rebuild_to_their_txids(repo: Path) -> None:
    """The case world's explorer JSON holds every byte: each file gives its own txid."""
    folder = repo / "source" / "day3-crypto-basics" / "data" / "explorer"
    docs = read_explorer(folder)
    assert len(docs) >= 10
    for doc in docs:
        assert tx_from_esplora(doc).txid == doc["txid"]
        assert fee(doc) == doc["fee"]


def test_segwit_parents_are_the_outpoints_their_child_spends() -> None:
    """The mined child names its parents by txid: our txids of the parents must be those."""
    child = parse_tx(DATA["segwit_spending"]["hex"])
    assert child.has_witness and child.to_hex() == DATA["segwit_spending"]["hex"]
    spent = {(i.prev_txid, i.prev_vout) for i in child.inputs}
    parents = [t for t in TXS if "test_transaction_verify" in t["source"]]
    assert len(parents) == 3 and {t["kind"] for t in parents} == {"segwit", "legacy"}
    assert spent == {(parse_tx(t["hex"]).txid, 0) for t in parents}
    # the legacy input has a scriptSig and no witness; the nested-segwit ones the reverse
    assert [len(i.witness) for i in child.inputs] == [0, 2, 2]
    assert all(len(i.script_sig) == 23 for i in child.inputs[1:])  # push of 0014<20 bytes>
