"""The bitcoin ledger of the case world (Days 3, 4 and 5).

``generate(ctx)`` simulates the year 2025 block by block: a mining pool,
exchanges, ordinary users, merchants, CoinJoins, and the story - buyers
paying two darkweb markets, vendors paid out, and the target's consolidations,
CoinJoin and peel chain into a regulated exchange. Every transaction is
really serialized (legacy or segwit) and its txid is the double SHA-256 of
the serialization without witnesses; signatures are placeholder bytes of the
right shape (see :mod:`.keys`).

Exports
-------
day3-crypto-basics/data
    ``raw_tx_1.hex``, ``raw_tx_2.hex``, ``explorer/<txid>.json``,
    ``seized_notes.txt``, ``questions.json``.
day4-tracing-money/data
    ``transactions.csv``, ``inputs.csv``, ``outputs.csv``, ``blocks.csv``,
    ``tags.csv``, ``questions.json``.
``ctx.state["btc"]``
    Facts for later generators: addresses by role, the seized phone's seed
    phrase (``seized_seed_phrase``), the target's exchange deposit addresses
    and deposits, orders, labels.

``ctx.scale`` multiplies the background; ``stream_ledger`` writes a large
ledger straight to files for benchmarks.
"""

from __future__ import annotations

import io
from pathlib import Path

from course.world import cast
from course.world.bitcoin import exercises, noise, story
from course.world.bitcoin.actors import COURIER
from course.world.bitcoin.export import LedgerSink
from course.world.bitcoin.simulate import World
from course.world.context import WorldContext
from course.world.names import names

TABLES = ("transactions", "inputs", "outputs", "blocks")
STATE_ROLES = (
    *cast.VENDORS,
    *cast.MARKETS,
    cast.EXCHANGE_REGULATED,
    cast.EXCHANGE_OTHER,
    cast.INSTANT_EXCHANGER,
    cast.COINJOIN,
    COURIER,
)


class StoryError(RuntimeError):
    """A story event could not happen (a bug in the generator, never the trainee's fault)."""


def simulate(ctx: WorldContext, sink: LedgerSink, strict: bool = True) -> World:
    """Run the whole year into ``sink`` and return the finished world.

    With ``strict`` (the course worlds) any story event that could not happen
    is an error; benchmark ledgers only list them in ``world.unfinished``.
    """
    world = World(ctx.rng, ctx.scale, sink)
    world.daily.append(noise.background)
    story.plan(world)
    world.run()
    missing = [k for k in ("c2", "coinjoin", "postmix") if not world.facts.get(k)]
    if missing or (strict and world.unfinished):
        raise StoryError(f"story incomplete: failed {world.unfinished}, missing {missing}")
    return world


def stream_ledger(ctx: WorldContext, out_dir: Path) -> LedgerSink:
    """Write the ledger tables of ``ctx``'s world to ``out_dir/*.csv`` (for benchmarks).

    Not strict: at large scales a few story orders may not find funds in time
    (the background economy is not balanced for it); their count is printed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        name: open(out_dir / f"{name}.csv", "w", encoding="utf-8", newline="") for name in TABLES
    }
    try:
        sink = LedgerSink(files, keep_all=False)
        world = simulate(ctx, sink, strict=False)
        if world.unfinished:
            print(f"note: {len(world.unfinished)} story events did not happen at this scale")
    finally:
        for f in files.values():
            f.close()
    return sink


def generate(ctx: WorldContext) -> None:
    """Build the ledger and write the day 3 and day 4 data, answers, truth and state."""
    streams = {name: io.StringIO() for name in TABLES}
    sink = LedgerSink(streams, keep_all=ctx.scale <= 1)
    world = simulate(ctx, sink)
    exercises.day3(ctx, world, sink)
    exercises.day4(ctx, world, sink, {name: s.getvalue() for name, s in streams.items()})
    _truth_and_state(ctx, world, sink)


def _truth_and_state(ctx: WorldContext, world: World, sink: LedgerSink) -> None:
    a, facts = world.actors, world.facts
    target = a.vendors[cast.VENDOR_TARGET]
    keys = a.exchanges[cast.EXCHANGE_REGULATED].customer_keys
    d1 = keys[cast.VENDOR_TARGET].address
    target_deposit_addresses = [keys[story.OLD_DEPOSIT].address, d1]
    ctx.add_truth("btc_address_owner", dict(sorted(sink.owner.items())))
    ctx.add_truth("btc_change_outputs", sorted(sink.change_outputs))
    ctx.add_truth("btc_peel_chain_txids", facts["peel_txids"])
    ctx.add_truth("btc_coinjoin_txid", facts["coinjoin"])
    ctx.add_truth("btc_coinjoin_txids_all", sink.coinjoins)
    ctx.add_truth(
        "btc_story",
        {
            "postmix_address": facts["postmix"],
            "consolidation_2": facts["c2"],
            "cashout_deposit": d1,
            "target_seed_phrase": target.keys.phrase,
            "target_standard": target.keys.standard,
            "orders": len(facts["orders"]),
            "transactions": sink.n_tx,
        },
    )
    by_role: dict[str, list[str]] = {role: [] for role in STATE_ROLES}
    for address, owner in sorted(sink.owner.items()):
        if owner in by_role and address not in target_deposit_addresses:
            by_role[owner].append(address)
    # the target's own deposit addresses first (day 5's exchange response lists them)
    by_role[cast.EXCHANGE_REGULATED][:0] = target_deposit_addresses
    ru, en = a.markets[cast.MARKET_RU], a.markets[cast.MARKET_EN]
    public: dict[str, list[str]] = {
        cast.MARKET_RU: list(ru.order_of)[:5],
        cast.MARKET_EN: list(en.order_of)[:5],
        cast.INSTANT_EXCHANGER: [a.exchanger.fixed().address],
    }
    for vendor, key in a.ru_payout.items():
        public[vendor] = [key.address]
    ctx.state["btc"] = {
        "addresses": by_role,
        "public_addresses": public,
        "labels": dict(names(ctx)),
        "seized_seed_phrase": target.keys.phrase,
        "seized_seed_standard": target.keys.standard,
        "seized_wallet_addresses": [k.address for k in target.known],
        "exchange_deposit_addresses": target_deposit_addresses,
        "target_deposits": facts["target_deposits"],
        "orders": facts["orders"],
        "courier_seed_phrase": a.courier84.keys.phrase,
    }
