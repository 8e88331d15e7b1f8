"""Day 5 evidence: exchange response, seized phone, bookmarks, hash list."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest
from bip_utils import Bip39MnemonicValidator
from bs4 import BeautifulSoup

from course.world import evidence, markets, photos, places
from course.world.context import WorldContext
from course.world.market_indicators import is_valid_btc_address

A = evidence.ASSIGNMENT


def _build(seed: int = 2026, state: dict | None = None, full: bool = True) -> WorldContext:
    ctx = WorldContext(seed=seed)
    ctx.state.update(state or {})
    places.generate(ctx)
    if full:
        markets.generate(ctx)
        photos.generate(ctx)
    evidence.generate(ctx)
    return ctx


@pytest.fixture(scope="module")
def ctx() -> WorldContext:
    return _build()


def _text(ctx: WorldContext, rel: str) -> str:
    return ctx.files[(A, f"data/{rel}")].decode("utf-8")


def test_exchange_response(ctx: WorldContext) -> None:
    """Check the response's holder, valid deposit addresses, totals and home IP."""
    response = json.loads(_text(ctx, "exchange_response/response.json"))
    assert response["account"]["holder"]["full_name"] == ctx.answers[
        "day5_exchange_account_holder"]["value"]
    assert all(is_valid_btc_address(a) for a in response["deposit_addresses"])
    deposits = list(csv.DictReader(io.StringIO(_text(ctx, "exchange_response/deposits.csv"))))
    assert {d["address"] for d in deposits} <= set(response["deposit_addresses"])
    total = sum(float(d["amount_btc"]) for d in deposits)
    assert abs(total - ctx.answers["day5_exchange_deposit_total_btc"]["value"]) < 1e-8
    logins = list(csv.DictReader(io.StringIO(_text(ctx, "exchange_response/logins.csv"))))
    ips = [r["ip"] for r in logins]
    assert max(set(ips), key=ips.count) == ctx.answers["day5_exchange_home_ip"]["value"]
    cards = list(csv.DictReader(io.StringIO(_text(ctx, "exchange_response/withdrawals.csv"))))
    assert all(re.fullmatch(r"\d{4} \d\d\*\* \*{4} \d{4}", w["card_masked"]) for w in cards)


def test_phone_export_coordinates_and_seed(ctx: WorldContext) -> None:
    """Check that the chat's coordinates match the photos and the note holds a valid seed."""
    export = json.loads(_text(ctx, "seized/phone/messenger_export/result.json"))
    texts = [m["text"] for chat in export["chats"]["list"] for m in chat["messages"]]
    pairs = {(float(a), float(b)) for t in texts
             for a, b in re.findall(r"(-?\d+\.\d{4,}),\s*(-?\d+\.\d{4,})", t)}
    assert len(pairs) == ctx.answers["day5_phone_dead_drop_count"]["value"]
    drops = {(d["lat"], d["lon"]) for d in ctx.state["photos"]["target_drops"]}
    assert drops <= pairs
    notes = json.loads(_text(ctx, "seized/phone/notes.json"))
    phrase = " ".join(notes[1]["body"].split())
    assert phrase == ctx.answers["day5_seed_phrase"]["value"]
    assert Bip39MnemonicValidator().IsValid(phrase)


def test_seed_phrase_from_btc_state_is_used() -> None:
    """Check that ctx.state['btc']['seized_seed_phrase'] replaces the placeholder."""
    phrase = "abandon " * 11 + "about"
    ctx = _build(state={"btc": {"seized_seed_phrase": phrase}}, full=False)
    assert ctx.answers["day5_seed_phrase"]["value"] == phrase.strip()
    assert not ctx.truth["evidence"]["placeholders"]["seed_phrase"]


def test_bookmarks_and_hash_list(ctx: WorldContext) -> None:
    """Check the Netscape bookmarks parse and exactly the re-exported file mismatches."""
    soup = BeautifulSoup(_text(ctx, "seized/laptop/bookmarks.html"), "lxml")
    hrefs = [a["href"] for a in soup.find_all("a")]
    onions = {h.split("/")[2] for h in hrefs if ".onion" in h}
    clones = set(ctx.answers["day5_bookmarked_clones"]["value"])
    assert clones and clones <= onions
    mismatched = []
    for line in _text(ctx, "seized/hashes.sha256").splitlines():
        digest, rel = line.split("  ")
        data = ctx.files[(A, f"data/seized/{rel}")]
        if hashlib.sha256(data).hexdigest() != digest:
            mismatched.append(rel)
    assert mismatched == ctx.answers["day5_hash_mismatch_files"]["value"]


def test_determinism() -> None:
    """Check same seed byte-identical, another seed different."""
    first, again, other = _build(), _build(), _build(seed=11)
    mine = sorted(k for k in first.files if k[0] == A)
    assert all(first.files[k] == again.files[k] for k in mine)
    key = (A, "data/exchange_response/response.json")
    assert first.files[key] != other.files[key]


@pytest.fixture(scope="module")
def world() -> WorldContext:
    from course.world import build_world

    return build_world(7)


def test_earlier_days_copied_byte_for_byte(world: WorldContext) -> None:
    mine = {rel: data for (a, rel), data in world.files.items() if a == A}
    pages = sorted(r for r in mine if r.startswith("data/market_pages/"))
    assert "data/market_pages/market_en/listing.html" in pages
    assert any("/market_ru/shop_" in r for r in pages) and any("/vendor_" in r for r in pages)
    for rel in pages:
        source = ("day2-market-osint", rel.replace("data/market_pages/", "data/pages/"))
        assert mine[rel] == world.files[source], rel
    for name in ("transactions.csv", "inputs.csv", "outputs.csv", "tags.csv", "questions.json"):
        assert mine[f"data/ledger/{name}"] == world.files[("day4-tracing-money", f"data/{name}")]
    # the seizure's hash list names the seized files only, and each of them exists
    listed = [line.split("  ", 1)[1] for line in
              mine["data/seized/hashes.sha256"].decode().splitlines()]
    assert sorted(listed) == sorted(r.removeprefix("data/seized/") for r in mine
                                    if r.startswith("data/seized/") and not r.endswith(".sha256"))
    questions = json.loads(mine["data/evidence_questions.json"])
    assert f"data/{questions['tip_listing']}" in mine
    assert f"data/{questions['ledger']}/questions.json" in mine


def test_cashout_deposit_is_in_the_exchange_response(world: WorldContext) -> None:
    response = json.loads(world.files[(A, "data/exchange_response/response.json")])
    deposit = world.answers["day5_cashout_deposit"]["value"]
    assert deposit == world.answers["day4_cashout_exchange_deposit"]["value"]
    assert deposit in response["deposit_addresses"]
    links = world.answers["day2_linked_aliases"]["value"]
    assert world.answers["day5_tip_linked_shop"]["value"] in links
