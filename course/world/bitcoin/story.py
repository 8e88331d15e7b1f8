"""The story in the ledger: markets, vendors, the target's cash-out and the courier.

Buyers buy bitcoin at ``exchange_other`` (withdrawals in its batch payouts)
or through the instant exchanger, and pay a fresh per-order deposit address
of a market. Markets sweep deposits into their hot wallets and pay vendors:
``market_ru`` in weekly batches to each shop's fixed payout address,
``market_en`` by single withdrawals to fresh addresses. Other vendors cash
out to exchanges and the instant exchanger. The target pays couriers,
sends coins of its shop payout address through a Wasabi-like CoinJoin (the
naive common-input heuristic then glues it to the other participants; its
change comes back and is later merged again: a classic mistake), and cashes the rest out
through a peel chain ending at its deposit address at ``exchange_regulated``.
"""

from __future__ import annotations

from course.chain.addresses import P2WPKH
from course.world import cast
from course.world.bitcoin.actors import MARKET_VENDORS
from course.world.bitcoin.keys import HDKeys, Key, Wallet
from course.world.bitcoin.ledger import TxRecord
from course.world.bitcoin.noise import (
    lognormal_usd,
    process_withdrawals,
    request_withdrawal,
    spendable_balance,
    wasabi_mix,
)
from course.world.bitcoin.simulate import DAYS, World

N_ORDERS = 260
COMMISSION = 0.05
STORY_DENOM = 5_000_000  # the 0.05 BTC pool the target mixes in
OLD_DEPOSIT = cast.VENDOR_TARGET + "#first-deposit-address"
POSTMIX_ACCOUNT = 2_147_483_646  # the mixed coins' account, as Whirlpool wallets do
COINJOIN_DAY, POSTMIX_SPEND = 153, 180
CONSOLIDATE_2, PEEL_START = 238, 241


def required(task):
    """Mark a story task whose failure must be reported."""
    task.required = True
    return task


def _deposit_outputs(record: TxRecord, address: str) -> list[dict[str, object]]:
    return [
        {
            "txid": record.txid,
            "vout": n,
            "address": address,
            "value_sats": v,
            "block_height": record.height,
            "block_time": record.time,
            "time": record.time,
        }
        for n, (a, v, *_rest) in enumerate(record.outputs)
        if a == address
    ]


def plan(world: World) -> None:
    """Put every story event on the schedule."""
    rng, a = world.rng, world.actors
    target = a.vendors[cast.VENDOR_TARGET]
    regulated = a.exchanges[cast.EXCHANGE_REGULATED]
    # the exchange gave the target a new deposit address in the summer (d0 -> d1)
    d0 = regulated.deposit_key(OLD_DEPOSIT)
    d1 = regulated.deposit_key(cast.VENDOR_TARGET)
    world.facts.update(
        orders=[],
        peel_txids=[],
        target_deposits=[],
        courier_txids=[],
        watch={d0.address, d1.address},
        legacy_candidates=[],
        segwit_candidates=[],
    )
    facts = world.facts

    def keep(record: TxRecord | None) -> TxRecord | None:
        for key in (d0, d1):
            if record is not None and any(o[0] == key.address for o in record.outputs):
                facts["target_deposits"].extend(_deposit_outputs(record, key.address))
        return record

    # -- orders ---------------------------------------------------------------
    for _ in range(N_ORDERS):
        day = rng.randrange(15, DAYS - 12)
        market = cast.MARKET_RU if rng.random() < 0.6 else cast.MARKET_EN
        vendors = MARKET_VENDORS[market]
        vendor = cast.VENDOR_TARGET if rng.random() < 0.4 else rng.choice(vendors[1:])
        usd = lognormal_usd(rng, 450, 0.9, 6000)
        buyer = a.buyers[rng.randrange(len(a.buyers))]
        via_exchanger = market == cast.MARKET_RU and rng.random() < 0.4
        if not via_exchanger:
            world.at(day - 3, _buy_btc(world, buyer, usd, day))
        world.at(day, required(_order(world, market, vendor, buyer, usd, via_exchanger)), retries=8)

    # -- markets: sweeps and payouts ----------------------------------------------
    for day in range(10, DAYS):
        if day % 4 == 2:
            world.at(day, _consolidate_market(world, cast.MARKET_RU))
        if day % 6 == 4:
            world.at(day, _consolidate_market(world, cast.MARKET_EN))
        if day % 7 == 5:
            world.at(day, lambda: keep(_ru_payouts(world)) or True)
        for i, vendor in enumerate(MARKET_VENDORS[cast.MARKET_EN]):
            if day % 10 == i:
                world.at(day, lambda v=vendor: keep(_en_withdrawal(world, v)) or True)
        for i, vendor in enumerate(cast.OTHER_VENDORS):
            if day % 12 == i:
                world.at(day, lambda v=vendor: bool(_vendor_cashout(world, v)) or True)

    # -- the target -----------------------------------------------------------------
    courier_days = list(range(35, 330, 14))
    for n, day in enumerate(courier_days):
        world.at(day, _pay_courier(world, n), retries=3)
    for day in range(50, 340, 31):
        world.at(day, _courier_cashout(world), retries=2)

    def early_deposit() -> bool:
        value = world.sats_for_usd(rng.uniform(3000, 4500))
        return (
            keep(
                world.ledger.transfer(
                    target, [(regulated.deposits, d0, value)], world.rate(), "cashout", keep=True
                )
            )
            is not None
        )

    world.at(100, required(early_deposit), retries=5)

    # the mixed output goes to a Wasabi-style separate account of the same seed
    postmix_account = Wallet(
        cast.VENDOR_TARGET, HDKeys.from_phrase(target.keys.phrase, P2WPKH, POSTMIX_ACCOUNT)
    )
    facts["target_postmix_account"] = postmix_account

    def fund_partners() -> bool:
        # privacy-minded users buy enough for the 0.05 BTC round beforehand
        for m in a.mixers[:6]:
            request_withdrawal(world, rng, m, rng.randint(60, 120) * 100_000, keep=True)
        return True

    world.at(COINJOIN_DAY - 12, fund_partners)

    def target_coinjoin() -> bool:
        payout = a.ru_payout[cast.VENDOR_TARGET].address
        spendable = [c for c in target.coins if world.ledger.spendable(c)]
        mine = [c for c in spendable if c.key.address == payout][:3]
        mine += sorted((c for c in spendable if c not in mine), key=lambda c: -c.value)[
            : 5 - len(mine)
        ]
        if (
            not any(c.key.address == payout for c in mine)
            or sum(c.value for c in mine) < STORY_DENOM + 100_000
        ):
            world.facts.setdefault("coinjoin_waits", []).append(("target", world.day))
            return False
        partners = [
            (
                m,
                sorted((c for c in m.coins if world.ledger.spendable(c)), key=lambda c: -c.value)[
                    :2
                ],
                m,
            )
            for m in a.mixers[:6]
        ]
        partners = [p for p in partners if sum(c.value for c in p[1]) > STORY_DENOM + 100_000][:5]
        if len(partners) < 4:
            world.facts.setdefault("coinjoin_waits", []).append(("partners", world.day))
            return False
        record = wasabi_mix(
            world, [(target, mine, postmix_account), *partners], STORY_DENOM, keep=True
        )
        facts["coinjoin"] = record.txid
        facts["postmix"] = next(
            o[0] for o in record.outputs if o[3] == cast.VENDOR_TARGET and o[1] == STORY_DENOM
        )
        return True

    world.at(COINJOIN_DAY, required(target_coinjoin), retries=6)

    def spend_postmix() -> bool:
        coins = [c for c in postmix_account.coins if c.key.address == facts.get("postmix")]
        record = world.ledger.transfer(
            postmix_account,
            [],
            world.rate(),
            "cashout",
            coins=coins,
            sweep_to=(a.exchanger, a.exchanger.fixed()),
            keep=True,
        )
        return record is not None

    world.at(POSTMIX_SPEND, required(spend_postmix), retries=3)

    # the chain's coins are kept apart (coin control), on the same seed and account
    chain_wallet = Wallet(cast.VENDOR_TARGET, target.keys)

    def consolidate_2() -> bool:
        c2 = chain_wallet.receive()
        record = world.ledger.transfer(
            target,
            [],
            world.rate(low=0.5, high=0.8),
            "consolidation",
            sweep_to=(chain_wallet, c2),
            keep=True,
        )
        if record is None:
            return False
        facts["c2"] = (record.txid, c2.address)
        world.at(PEEL_START, required(_peel(world, chain_wallet, c2, d1, rng.randint(8, 12), keep)))
        return True

    world.at(CONSOLIDATE_2, required(consolidate_2), retries=3)


def _buy_btc(world: World, buyer: Wallet, usd: float, day: int):
    def buy_btc() -> bool:
        usd_bought = usd * world.rng.uniform(1.03, 1.5) + 15
        request_withdrawal(
            world,
            world.rng,
            buyer,
            world.sats_for_usd(usd_bought, day),
            cast.EXCHANGE_OTHER,
            keep=True,
        )
        return True

    return buy_btc


def _order(world: World, market: str, vendor: str, buyer: Wallet, usd: float, via: bool):
    topped_up: list[int] = []  # days on which the payer bought the missing amount

    def order() -> bool:
        m = world.actors.markets[market]
        value = world.sats_for_usd(usd)
        payer = world.actors.exchanger if via else buyer
        if spendable_balance(world, payer) < value + 20_000:
            # buy the missing amount and try again later; again if another order of the
            # same buyer used the first top-up
            if not topped_up or world.day - topped_up[-1] >= 6:
                if topped_up:  # and a week later the buyer complains to the exchange
                    process_withdrawals(world, cast.EXCHANGE_OTHER)
                topped_up.append(world.day)
                request_withdrawal(
                    world, world.rng, payer, value + 50_000, cast.EXCHANGE_OTHER, keep=True
                )
            return False
        key = m.deposits.receive()
        record = world.ledger.transfer(
            payer, [(m.deposits, key, value)], world.rate(), "market_order", keep=True
        )
        if record is None:
            return False
        m.order_of[key.address] = (vendor, value)
        world.facts["orders"].append(
            {
                "market": market,
                "vendor": vendor,
                "deposit_address": key.address,
                "value_sats": value,
                "usd": round(usd, 2),
                "txid": record.txid,
                "block_time": record.time,
                "via_instant_exchanger": via,
            }
        )
        return True

    return order


def _consolidate_market(world: World, market: str):
    def consolidate() -> bool:
        m = world.actors.markets[market]
        coins = [c for c in m.deposits.coins if world.ledger.spendable(c)]
        if len(coins) < 2:
            return True
        record = world.ledger.transfer(
            m.deposits,
            [],
            world.rate(low=0.5, high=0.9),
            "market_consolidation",
            coins=coins,
            sweep_to=(m.hot, m.hot.receive()),
            keep=True,
        )
        if record is not None:
            for coin in coins:
                vendor, value = m.order_of[coin.key.address]
                m.settled[vendor] = m.settled.get(vendor, 0) + int(value * (1 - COMMISSION))
        return True

    return consolidate


def _ru_payouts(world: World) -> TxRecord | None:
    m = world.actors.markets[cast.MARKET_RU]
    payments = []
    for vendor, value in sorted(m.settled.items()):
        if value >= 300_000:
            wallet = world.actors.vendors[vendor]
            payments.append((wallet, world.actors.ru_payout[vendor], value))
    if not payments:
        return None
    record = world.ledger.transfer(m.hot, payments, world.rate(), "market_payout", keep=True)
    if record is not None:
        for wallet, _, _ in payments:
            m.settled[wallet.owner] = 0
    return record


def _en_withdrawal(world: World, vendor: str) -> TxRecord | None:
    m = world.actors.markets[cast.MARKET_EN]
    value = m.settled.get(vendor, 0)
    if value < 200_000:
        return None
    wallet = world.actors.vendors[vendor]
    record = world.ledger.transfer(
        m.hot, [(wallet, wallet.receive(), value)], world.rate(), "market_payout", keep=True
    )
    if record is not None:
        m.settled[vendor] = 0
    return record


def _vendor_cashout(world: World, vendor: str) -> TxRecord | None:
    a, rng = world.actors, world.rng
    wallet = a.vendors[vendor]
    balance = spendable_balance(world, wallet)
    if balance < 1_000_000:
        return None
    if rng.random() < 0.5:
        ex = a.exchanges[cast.EXCHANGE_OTHER]
        to, key = ex.deposits, ex.deposit_key(vendor)
    else:
        to, key = a.exchanger, a.exchanger.fixed()
    value = int(balance * rng.uniform(0.6, 0.9))
    record = world.ledger.transfer(wallet, [(to, key, value)], world.rate(), "cashout", keep=True)
    if record is not None:
        kind = wallet.keys.kind
        world.facts["legacy_candidates" if kind == "p2pkh" else "segwit_candidates"].append(
            record.txid
        )
    return record


def _pay_courier(world: World, n: int):
    """The n-th salary payment; the courier hands over a new address every fourth time."""
    a = world.actors
    keys: dict[int, Key] = world.facts.setdefault("courier_keys", {})

    def pay_courier() -> bool:
        wallet = a.courier84 if n < 12 else a.courier86
        if n // 4 not in keys:
            keys[n // 4] = wallet.receive()
        value = world.sats_for_usd(world.rng.uniform(150, 380))
        target = a.vendors[cast.VENDOR_TARGET]
        record = world.ledger.transfer(
            target, [(wallet, keys[n // 4], value)], world.rate(), "courier_pay", keep=True
        )
        if record is not None:
            world.facts["courier_txids"].append(record.txid)
        return record is not None

    return pay_courier


def _courier_cashout(world: World):
    a = world.actors

    def courier_cashout() -> bool:
        for wallet in (a.courier84, a.courier86):
            balance = spendable_balance(world, wallet)
            if balance < 400_000:
                continue
            change = wallet.change()
            record = world.ledger.transfer(
                wallet,
                [(a.exchanger, a.exchanger.fixed(), int(balance * world.rng.uniform(0.5, 0.8)))],
                world.rate(),
                "cashout",
                change_key=change,
                keep=True,
            )
            if record is not None:
                world.facts["courier_txids"].append(record.txid)
        return True

    return courier_cashout


def _peel(world: World, target: Wallet, start: Key, d1: Key, hops: int, keep):
    """The peel chain: each hop peels a payment off and sends the rest on to a fresh address."""
    a, rng = world.actors, world.rng
    regulated = a.exchanges[cast.EXCHANGE_REGULATED]
    state = {"key": start, "left": hops}

    def peel_hop() -> bool:
        coins = [c for c in target.coins if c.key is state["key"]]
        if not coins or not world.ledger.spendable(coins[0]):
            return False
        value = coins[0].value
        peel = world.sats_for_usd(rng.uniform(800, 3500))
        if state["left"] <= 0 or value < 2 * peel:
            record = world.ledger.transfer(
                target,
                [],
                world.rate(),
                "peel",
                coins=coins,
                sweep_to=(regulated.deposits, d1),
                keep=True,
            )
            world.facts["peel_txids"].append(record.txid)
            keep(record)
            return True
        roll = rng.random()
        if roll < 0.65:
            to, key = regulated.deposits, d1
        elif roll < 0.85:
            to, key = a.exchanger, a.exchanger.fixed()
        else:
            to, key = a.courier_other, a.courier_other.fixed()
        change = target.change()
        record = world.ledger.transfer(
            target,
            [(to, key, peel)],
            world.rate(),
            "peel",
            coins=coins,
            change_key=change,
            keep=True,
        )
        world.facts["peel_txids"].append(record.txid)
        keep(record)
        state["key"], state["left"] = change, state["left"] - 1
        world.at(world.day + rng.randint(1, 4), required(peel_hop), retries=3)
        return True

    return peel_hop
