"""The Tron (USDT TRC-20) leg of the world: valid, coherent, in Tronscan's shape, graded right.

Independent reference: addresses are decoded by bip-utils' Tron decoder, the
wallet is derived with bip-utils from the seized phrase, the courier's address
is read from the notes with a plain pattern, and every answer is recomputed
here from the exported JSON with the standard library only.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from bip_utils import Bip39SeedGenerator, Bip44, Bip44Changes, Bip44Coins, TrxAddrDecoder

from course.world import build_world

SEEDS = (2026, 7)
DAY3 = "day3-crypto-basics"
USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"  # Tether's TRC-20 contract (tether.to, Tronscan)
# fields of an entry of Tronscan's /api/token_trc20/transfers answer
TRONSCAN_FIELDS = {
    "transaction_id", "status", "block_ts", "from_address", "from_address_tag", "to_address",
    "to_address_tag", "block", "contract_address", "trigger_info", "quant", "approval_amount",
    "event_type", "confirmed", "contractRet", "finalResult", "tokenInfo", "revert",
    "contract_type", "fromAddressIsContract", "toAddressIsContract", "riskTransaction",
}


@pytest.fixture(scope="module", params=SEEDS)
def world(request):
    ctx = build_world(request.param)
    files = {path: data for (day, path), data in ctx.files.items() if day == DAY3}
    export = json.loads(files["data/tron/trc20_transfers.json"])
    questions = json.loads(files["data/tron/questions.json"])
    return ctx, files, export, questions


def _usdt(records):
    return [r for r in records if r["contract_address"] == USDT]


def test_export_has_tronscan_shape(world):
    _ctx, _files, export, _q = world
    assert set(export) == {"total", "rangeTotal", "contractInfo", "token_transfers"}
    records = export["token_transfers"]
    assert export["total"] == export["rangeTotal"] == len(records) >= 10
    times = [r["block_ts"] for r in records]
    assert times == sorted(times, reverse=True), "Tronscan lists newest first"
    for r in records:
        assert set(r) == TRONSCAN_FIELDS
        assert r["quant"].isdigit() and r["tokenInfo"]["tokenDecimal"] == 6
        assert re.fullmatch(r"[0-9a-f]{64}", r["transaction_id"])
        assert r["block_ts"] % 1000 == 0
        when = datetime.fromtimestamp(r["block_ts"] / 1000, UTC)
        assert datetime(2025, 9, 1, tzinfo=UTC) <= when < datetime(2025, 12, 1, tzinfo=UTC)
    blocks = [r["block"] for r in records]
    assert blocks == sorted(blocks, reverse=True)
    # one block every 3 s: about 28,800 a day between the first and the last
    days = (records[0]["block_ts"] - records[-1]["block_ts"]) / 86_400_000
    assert abs((blocks[0] - blocks[-1]) - 28_800 * days) < 2
    assert len({r["transaction_id"] for r in records}) == len(records)


def test_every_address_decodes_with_bip_utils(world):
    _ctx, _files, export, questions = world
    addresses = {questions["wallet"], questions["exchanger_usdt_address"]}
    for r in export["token_transfers"]:
        addresses |= {r["from_address"], r["to_address"], r["contract_address"]}
    for address in addresses:
        assert len(address) == 34 and address[0] == "T"
        assert len(TrxAddrDecoder.DecodeAddr(address)) == 20


def test_call_data_encodes_recipient_and_amount(world):
    _ctx, _files, export, _q = world
    for r in export["token_transfers"]:
        data = r["trigger_info"]["data"]
        words = [data[8 + 64 * i: 8 + 64 * (i + 1)] for i in range((len(data) - 8) // 64)]
        if data.startswith("a9059cbb"):  # transfer(address,uint256)
            to_word, value_word = words
        else:
            assert data.startswith("23b872dd")  # transferFrom(address,address,uint256)
            from_word, to_word, value_word = words
            assert from_word[-40:] == TrxAddrDecoder.DecodeAddr(r["from_address"]).hex()
        assert to_word[-40:] == TrxAddrDecoder.DecodeAddr(r["to_address"]).hex()
        assert int(value_word, 16) == int(r["quant"])


def test_wallet_is_the_seized_phrase_at_the_tron_path(world):
    ctx, _files, _export, questions = world
    seed = Bip39SeedGenerator(ctx.truth["btc_story"]["target_seed_phrase"]).Generate()
    node = Bip44.FromSeed(seed, Bip44Coins.TRON).Purpose().Coin().Account(0)
    expected = node.Change(Bip44Changes.CHAIN_EXT).AddressIndex(0).PublicKey().ToAddress()
    assert questions["wallet"] == expected


def test_courier_wages_go_to_the_address_in_the_notes(world):
    _ctx, files, export, questions = world
    notes = files["data/seized_notes.txt"].decode()
    (courier,) = re.findall(r"trc20: (T\w{33})", notes)
    paid = [r for r in _usdt(export["token_transfers"])
            if r["from_address"] == questions["wallet"] and r["to_address"] == courier]
    assert len(paid) >= 2


def test_answers_recomputed_from_the_export(world):
    ctx, _files, export, questions = world
    records = export["token_transfers"]
    wallet, exchanger = questions["wallet"], questions["exchanger_usdt_address"]
    cashouts = [r for r in _usdt(records)
                if r["from_address"] == wallet and r["to_address"] == exchanger]
    assert len(cashouts) == 1
    key = ctx.answers
    assert key["day3_tron_exchanger_txid"]["value"] == cashouts[0]["transaction_id"]
    amount = Decimal(cashouts[0]["quant"]) / 10**6
    assert key["day3_tron_exchanger_usdt"]["value"] == pytest.approx(float(amount), abs=1e-9)
    received = sum(Decimal(r["quant"]) for r in _usdt(records) if r["to_address"] == wallet)
    assert key["day3_tron_usdt_received"]["value"] == pytest.approx(float(received / 10**6))
    wallet_hex = "41" + TrxAddrDecoder.DecodeAddr(wallet).hex()
    assert wallet_hex in key["day3_tron_wallet_hex"]["value"]
    assert wallet_hex.upper() in key["day3_tron_wallet_hex"]["value"]
    for grade_id in ("day3_tron_wallet_hex", "day3_tron_exchanger_txid",
                     "day3_tron_exchanger_usdt", "day3_tron_usdt_received"):
        assert key[grade_id]["hint"]


def test_traps_a_careless_reading_falls_into(world):
    _ctx, _files, export, questions = world
    records = export["token_transfers"]
    wallet, exchanger = questions["wallet"], questions["exchanger_usdt_address"]
    # a look-alike of the exchanger: same first 7 and last 3 characters, another address
    look = {r["to_address"] for r in records
            if r["to_address"] != exchanger and r["to_address"][:7] == exchanger[:7]
            and r["to_address"][-3:] == exchanger[-3:]}
    assert len(look) == 1
    assert all(r["quant"] == "0" for r in records if r["to_address"] in look)
    # a token calling itself USDT that is not Tether's contract, with a large amount
    fake = [r for r in records if r["tokenInfo"]["tokenAbbr"] == "USDT"
            and r["contract_address"] != USDT]
    assert len(fake) == 1 and fake[0]["to_address"] == wallet
    assert int(fake[0]["quant"]) > int(max(_usdt(records), key=lambda r: int(r["quant"]))["quant"])
    # one incoming sender carries an exchange's public tag
    tags = {r["from_address_tag"]["from_address_tag"] for r in records} - {""}
    assert len(tags) == 1 and tags.pop().endswith("-Hot 2")


def test_the_wallet_never_spends_more_than_it_has(world):
    _ctx, _files, export, questions = world
    wallet, balance = questions["wallet"], 0
    for r in sorted(_usdt(export["token_transfers"]), key=lambda r: r["block_ts"]):
        if r["to_address"] == wallet:
            balance += int(r["quant"])
        if r["from_address"] == wallet:
            balance -= int(r["quant"])
        assert balance >= 0


def test_seeds_differ_and_build_is_deterministic():
    a, b = build_world(2026), build_world(2026)
    path = (DAY3, "data/tron/trc20_transfers.json")
    assert a.files[path] == b.files[path]
    assert build_world(7).files[path] != a.files[path]
