"""One story across generators: the same names, addresses, keys and rates
wherever two files speak of the same thing. Checked on the files of a built
world, with the ground truth only to say which role an address belongs to."""

from __future__ import annotations

import pytest
import world_reference as ref
import world_reference_chain as chain

from course.world import DEFAULT_SEED, build_world, cast
from course.world.market_products import CAPTURE_DAY


@pytest.fixture(scope="module")
def world():
    return build_world(DEFAULT_SEED)


@pytest.fixture(scope="module")
def files(world) -> ref.Files:
    return ref.Files(world.files)


@pytest.fixture(scope="module")
def tags(files):
    return files.rows(ref.D4, "tags.csv")


def _labels_of(tags, owner, role) -> set[str]:
    return {t["label"] for t in tags if owner.get(t["address"]) == role and t["confidence"] != "20"}


@pytest.mark.parametrize("market", cast.MARKETS)
def test_market_name_on_pages_is_the_tag_label(world, files, tags, market) -> None:
    """Check the name in the pages' logo and mirror list is the label tags.csv gives
    the market's addresses."""
    logos = {files.soup(ref.D2, rel).select_one("a.logo").text
             for rel in files.names(ref.D2, f"pages/{market}/")}
    assert len(logos) == 1
    (name,) = logos
    signed = files.text(ref.D1, f"mirrors/{market}.txt.asc")
    assert f"\n{name} - official mirrors" in signed
    labels = _labels_of(tags, world.truth["btc_address_owner"], market)
    assert labels == {name}
    assert world.state["names"][market] == name


def test_exchange_and_services_have_one_name(world, files, tags) -> None:
    """Check every tagged service's addresses carry one label, and the regulated
    exchange's response names that same exchange."""
    owner = world.truth["btc_address_owner"]
    by_owner: dict[str, set[str]] = {}
    for t in tags:
        if t["confidence"] != "20":  # the unverified forum post is a deliberate false tag
            by_owner.setdefault(owner[t["address"]], set()).add(t["label"])
    assert all(len(v) == 1 for v in by_owner.values()), by_owner
    assert len({next(iter(v)) for v in by_owner.values()}) == len(by_owner)
    response = files.json(ref.D5, "exchange_response/response.json")
    (label,) = by_owner[cast.EXCHANGE_REGULATED]
    assert response["exchange"].startswith(label)


def test_exchange_response_deposits_receive_the_peel_chain(files) -> None:
    """Check the response's deposit addresses are ledger addresses, the peel chain
    ends in one of them, and every listed deposit is that output of the ledger."""
    tables = chain.ledger(files)
    outs = tables["outputs"]
    response = files.json(ref.D5, "exchange_response/response.json")
    addresses = set(response["deposit_addresses"])
    assert addresses <= set(outs.address)
    q = files.json(ref.D4, "questions.json")
    peel = chain.peel_chain(tables, q["peel_chain_start_txid"])
    final = outs[outs.txid == peel[-1]]
    assert len(final) == 1 and final.address.iloc[0] in addresses
    deposits = files.rows(ref.D5, "exchange_response/deposits.csv")
    assert peel[-1] in {d["txid"] for d in deposits}
    for d in deposits:
        row = outs[(outs.txid == d["txid"]) & (outs.address == d["address"])]
        assert round(int(row.value.sum()) / 1e8, 8) == float(d["amount_btc"])


def test_seized_seed_phrase_derives_ledger_addresses(files) -> None:
    """Check the phone's seed phrase (day 5) derives BIP84 addresses found in the
    ledger (day 4), among them the shop's payout address."""
    phrase = chain.day5(files)["day5_seed_phrase"]
    derived = set(chain.derive(phrase, "bip84", count=30))
    outs = set(chain.ledger(files)["outputs"].address)
    assert len(derived & outs) >= 10
    assert files.json(ref.D4, "questions.json")["target_address"] in derived


def test_one_rate_series_for_markets_ledger_and_exchange(world, files) -> None:
    """Check fx_rates.csv (day 2), the rates the exchange lists (day 5) and the
    ledger's price series agree on BTC and tenge."""
    fx = {r["currency"]: float(r["usd_per_unit"]) for r in files.rows(ref.D2, "fx_rates.csv")}
    rates = {r["date"]: r for r in files.rows(ref.D5, "exchange_response/rates.csv")}
    day = rates[CAPTURE_DAY.isoformat()]
    assert fx["BTC"] == float(day["btc_usd"])
    assert fx["KZT"] == pytest.approx(1 / float(day["kzt_per_usd"]), rel=1e-5)
    deposits = files.rows(ref.D5, "exchange_response/deposits.csv")
    withdrawals = files.rows(ref.D5, "exchange_response/withdrawals.csv")
    assert len(withdrawals) == len(deposits)
    sold = sum(float(d["amount_btc"]) * float(rates[d["confirmed_utc"][:10]]["btc_usd"])
               * float(rates[d["confirmed_utc"][:10]]["kzt_per_usd"]) for d in deposits)
    paid = sum(int(w["amount_kzt"]) for w in withdrawals)
    assert 0.9 * sold < paid < sold
