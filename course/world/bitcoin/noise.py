"""Background activity: the ordinary bitcoin economy the story hides in.

Every day, in numbers proportional to ``scale``: users withdraw from
exchanges (paid in batches with many outputs), deposit to their static
exchange deposit addresses, pay merchants and each other; exchanges sweep
deposits into hot wallets that reuse one address; the mining pool pays its
miners; and now and then five users mix coins in a Whirlpool-like CoinJoin.
This is what makes the naive clustering and change heuristics wrong some of
the time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from course.world import cast
from course.world.bitcoin.keys import Coin, Wallet
from course.world.bitcoin.ledger import Out, TxRecord
from course.world.bitcoin.simulate import BLOCKS_A_DAY, SATS, Task, World

EXCHANGE_WEIGHTS = {
    cast.EXCHANGE_OTHER: 35,
    cast.EXCHANGE_REGULATED: 25,
    "exchange_03": 15,
    "exchange_04": 25,
}
MAX_BATCH = 40  # outputs in one exchange withdrawal
MAX_SWEEP = 150  # inputs in one deposit sweep
ROUND_BTC = (100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 25_000_000)
#: Whirlpool-like pools: denomination -> coordinator fee
POOLS = {1_000_000: 50_000, 5_000_000: 175_000}
TX0_MARKER_LEN = 46


def lognormal_usd(rng: random.Random, median: float, sigma: float, cap: float) -> float:
    """A dollar amount: lognormal around ``median``, at most ``cap``."""
    return min(cap, median * math.exp(rng.gauss(0, sigma)))


def amount(world: World, rng: random.Random, median_usd: float) -> int:
    """A payment amount in sats: a round BTC amount 30% of the time, else a dollar price."""
    if rng.random() < 0.3:
        return rng.choice(ROUND_BTC[:5])
    return world.sats_for_usd(lognormal_usd(rng, median_usd, 1.0, 20 * median_usd))


def spendable_balance(world: World, wallet: Wallet) -> int:
    """Confirmed, mature value of ``wallet``."""
    return sum(c.value for c in wallet.coins if world.ledger.spendable(c))


def _funded_user(world: World, rng: random.Random, minimum: int = 20_000) -> Wallet | None:
    users = world.actors.users
    for _ in range(6):
        user = users[rng.randrange(len(users))]
        if spendable_balance(world, user) > minimum:
            return user
    return None


def pay_or_sweep(
    world: World, payer: Wallet, to: Wallet, key, value: int, kind: str, keep: bool = False
) -> TxRecord | None:
    """Pay ``value``; if that is (nearly) everything, send the whole balance instead."""
    if value >= spendable_balance(world, payer) * 0.97:
        return world.ledger.transfer(payer, [], world.rate(), kind, sweep_to=(to, key), keep=keep)
    return world.ledger.transfer(payer, [(to, key, value)], world.rate(), kind, keep=keep)


# -- exchanges -------------------------------------------------------------------
def process_withdrawals(world: World, role: str) -> bool:
    """Pay the exchange's queued withdrawals in batches from its hot wallet."""
    ex = world.actors.exchanges[role]
    while ex.queue:
        batch, ex.queue = ex.queue[:MAX_BATCH], ex.queue[MAX_BATCH:]
        keep = any(k for *_, k in batch)
        payments = [(w, key, v) for w, key, v, _ in batch]
        if (
            world.ledger.transfer(
                ex.hot, payments, world.rate(low=1.0, high=1.3), "withdrawal", keep=keep
            )
            is None
        ):
            ex.queue = batch + ex.queue  # not enough confirmed funds yet
            return False
    return True


def sweep_deposits(world: World, role: str) -> bool:
    """Move confirmed deposits into the hot wallet (multi-input, all one owner)."""
    ex = world.actors.exchanges[role]
    coins = [c for c in ex.deposits.coins if world.ledger.spendable(c)]
    for i in range(0, len(coins), MAX_SWEEP):
        chunk = coins[i : i + MAX_SWEEP]
        keep = any(world.facts.get("watch", set()) & {c.key.address for c in chunk})
        world.ledger.transfer(
            ex.deposits,
            [],
            world.rate(low=0.6, high=1.0),
            "sweep",
            coins=chunk,
            sweep_to=(ex.hot, ex.hot.receive()),
            keep=keep,
        )
    return True


def request_withdrawal(
    world: World,
    rng: random.Random,
    wallet: Wallet,
    value: int,
    role: str | None = None,
    keep: bool = False,
) -> None:
    """Queue a withdrawal of ``value`` sats from an exchange to a fresh address of ``wallet``."""
    if role is None:
        role = rng.choices(list(EXCHANGE_WEIGHTS), list(EXCHANGE_WEIGHTS.values()))[0]
    world.actors.exchanges[role].queue.append((wallet, wallet.receive(), value, keep))


# -- CoinJoin ----------------------------------------------------------------------
def tx0(
    world: World, wallet: Wallet, denom: int, keep: bool = False, premix: Wallet | None = None
) -> tuple[TxRecord, Coin] | None:
    """Whirlpool-like "tx0": coordinator fee, one premix output, toxic change, OP_RETURN.

    ``premix`` is the wallet (account) the premix output goes to; default ``wallet``.
    """
    coord = world.actors.coordinator
    premix_value = denom + math.ceil(world.base_rate * 2 * 110)
    premix = premix or wallet
    premix_key = premix.receive()
    marker = world.noise_rng.getrandbits(8 * TX0_MARKER_LEN).to_bytes(TX0_MARKER_LEN, "big")
    record = world.ledger.transfer(
        wallet,
        [(coord, coord.fixed(), POOLS[denom]), (premix, premix_key, premix_value)],
        world.rate(),
        "tx0",
        op_return=marker,
        keep=keep,
    )
    if record is None:
        return None
    coin = next(c for w, c in reversed(world.ledger.pending) if c.key is premix_key)
    return record, coin


def mix(
    world: World,
    premixes: list[tuple[Wallet, Coin]],
    denom: int,
    keep: bool = False,
    postmix: dict[str, Wallet] | None = None,
) -> TxRecord:
    """The CoinJoin: five premix inputs, five equal outputs to fresh addresses.

    ``postmix`` maps an owner to the wallet (account) its output goes to.
    """
    rng = world.noise_rng
    inputs = list(premixes)
    rng.shuffle(inputs)
    postmix = postmix or {}
    outs = [
        Out(postmix.get(w.owner, w), postmix.get(w.owner, w).receive(), denom) for w, _ in inputs
    ]
    rng.shuffle(outs)
    return world.ledger.multiparty(inputs, outs, "coinjoin", keep=keep)


def wasabi_mix(
    world: World,
    participants: list[tuple[Wallet, list[Coin], Wallet]],
    denom: int,
    keep: bool = False,
) -> TxRecord:
    """A Wasabi-like coordinated CoinJoin: several inputs a participant, one equal output
    each, change back to each participant, and the coordinator's fee output.

    ``participants`` holds (wallet paying, its coins, wallet receiving the mixed output).
    """
    rng, coord = world.noise_rng, world.actors.coordinator
    rate = world.rate(low=0.9, high=1.1)
    coord_fee = denom * 3 // 1000
    inputs: list[tuple[Wallet, Coin]] = []
    outs: list[Out] = []
    for wallet, coins, mixed in participants:
        inputs += [(wallet, c) for c in coins]
        outs.append(Out(mixed, mixed.receive(), denom))
        change = (
            sum(c.value for c in coins)
            - denom
            - coord_fee
            - math.ceil(rate * (68 * len(coins) + 62))
        )
        if change < 0:
            raise ValueError(f"{wallet.owner} cannot afford the {denom} sat CoinJoin")
        if change >= 546:
            outs.append(Out(wallet, wallet.change(), change, change=True))
    outs.append(Out(coord, coord.fixed(), coord_fee * len(participants)))
    rng.shuffle(inputs)
    outs.sort(key=lambda o: (-o.value, rng.random()))  # Wasabi orders outputs by value
    return world.ledger.multiparty(inputs, outs, "coinjoin", keep=keep)


def coinjoin_round(world: World, rng: random.Random, day: int) -> None:
    """Five mixers make tx0s today; the mix happens tomorrow."""
    denom = 1_000_000 if rng.random() < 0.8 else 5_000_000
    need = denom + POOLS[denom] + 60_000
    mixers = [
        m
        for m in rng.sample(world.actors.mixers, min(40, len(world.actors.mixers)))
        if spendable_balance(world, m) > need
    ][:5]
    if len(mixers) < 5:
        return
    premixes = []
    for m in mixers:
        made = tx0(world, m, denom)
        if made:
            premixes.append((m, made[1]))
    if len(premixes) == 5:

        def mix_round() -> bool:
            # a mixer's wallet may have spent its premix meanwhile: then the round fails
            if all(coin in wallet.coins for wallet, coin in premixes):
                mix(world, premixes, denom)
            return True

        world.at(day + 1, mix_round)


# -- the daily background ---------------------------------------------------------------
def _count(rng: random.Random, mean: float) -> int:
    return int(mean * rng.uniform(0.6, 1.4) + rng.random())


def background(world: World, day: int) -> list[Task]:
    """Today's background tasks (their number grows with ``scale``)."""
    rng, s, a = world.noise_rng, world.scale, world.actors
    tasks: list[Task] = []

    def add(fn: Callable[[], object]) -> None:
        tasks.append(lambda: bool(fn()) or True)

    if day % 2 == 0 or s > 1:
        for _ in range(max(1, min(144, s) // 6)):
            add(lambda: pool_payout(world, rng))
    for role in EXCHANGE_WEIGHTS:
        if rng.random() < 0.45 or s > 2:
            add(lambda role=role: process_withdrawals(world, role))
        if (day + len(role)) % 3 == 0:
            add(lambda role=role: sweep_deposits(world, role))
    for _ in range(_count(rng, 4.5 * s)):
        add(
            lambda: request_withdrawal(
                world, rng, a.users[rng.randrange(len(a.users))], amount(world, rng, 250)
            )
        )
    for _ in range(_count(rng, 1.8 * s)):
        add(lambda: user_deposit(world, rng))
    for _ in range(_count(rng, 3.5 * s)):
        add(lambda: user_payment(world, rng))
    for _ in range(_count(rng, 0.6 * s)):
        add(lambda: exchanger_sale(world, rng))
    # new coins come from at most 144 blocks a day: above that scale, mixers buy less each
    supply = min(s, BLOCKS_A_DAY)
    for _ in range(_count(rng, 0.25 * s)):
        add(
            lambda: request_withdrawal(
                world,
                rng,
                a.mixers[rng.randrange(len(a.mixers))],
                rng.randint(2, 20) * 1_000_000 * supply // s,
            )
        )
    if rng.random() < s / 25:
        for _ in range(max(1, s // 25)):
            add(lambda: coinjoin_round(world, rng, day))
    if day % 7 == 3:
        for merchant in a.merchants:
            ex = a.exchanges["exchange_04"]
            add(
                lambda m=merchant, ex=ex: world.ledger.transfer(
                    m, [], world.rate(), "cashout", sweep_to=(ex.deposits, ex.deposit_key(m.owner))
                )
            )
    if day % 30 == 17:
        ex = a.exchanges["exchange_04"]
        add(
            lambda: world.ledger.transfer(
                a.coordinator,
                [],
                world.rate(),
                "cashout",
                sweep_to=(ex.deposits, ex.deposit_key(cast.COINJOIN)),
            )
        )
    if day % 5 == 1:
        add(
            lambda: request_withdrawal(
                # the exchanger restocks in proportion to its sales (which grow with scale)
                world, rng, a.exchanger, rng.randint(20, 60) * SATS // 100 * s, cast.EXCHANGE_OTHER
            )
        )
    return tasks


def pool_payout(world: World, rng: random.Random) -> None:
    """The pool pays miners: mostly to exchange deposit addresses, some to users."""
    pool = world.actors.pool
    coins = [c for c in pool.coins if world.ledger.spendable(c)][:40]
    total = sum(c.value for c in coins)
    if total < SATS:
        return
    budget = int(total * 0.97)
    n_out = rng.randint(12, 30)
    shares = [rng.random() ** 2 + 0.05 for _ in range(n_out)]
    payments = []
    for i, share in enumerate(shares):
        value = int(budget * share / sum(shares))
        if i % 3:  # two thirds of the miners sell on an exchange at once
            role = rng.choices(list(EXCHANGE_WEIGHTS), list(EXCHANGE_WEIGHTS.values()))[0]
            ex = world.actors.exchanges[role]
            payments.append((ex.deposits, ex.deposit_key(f"miner_{i:02d}"), value))
        else:
            user = world.actors.users[rng.randrange(len(world.actors.users))]
            payments.append((user, user.receive(), value))
    world.ledger.transfer(pool, payments, world.rate(), "pool_payout", coins=coins)


def user_deposit(world: World, rng: random.Random) -> None:
    """A user sends coins to their own deposit address at an exchange."""
    user = _funded_user(world, rng)
    if user is None:
        return
    role = rng.choices(list(EXCHANGE_WEIGHTS), list(EXCHANGE_WEIGHTS.values()))[0]
    ex = world.actors.exchanges[role]
    balance = spendable_balance(world, user)
    value = balance if rng.random() < 0.5 else int(balance * rng.uniform(0.3, 0.8))
    pay_or_sweep(world, user, ex.deposits, ex.deposit_key(user.owner), value, "deposit")


def user_payment(world: World, rng: random.Random) -> None:
    """A user pays a merchant or another user."""
    user = _funded_user(world, rng)
    if user is None:
        return
    a = world.actors
    if rng.random() < 0.4:
        to = a.merchants[rng.randrange(len(a.merchants))]
    else:
        to = a.users[rng.randrange(len(a.users))]
    value = min(amount(world, rng, 60), int(spendable_balance(world, user) * 0.9))
    if value > 5_000 and to is not user:
        world.ledger.transfer(user, [(to, to.receive(), value)], world.rate(), "payment")


def exchanger_sale(world: World, rng: random.Random) -> None:
    """The instant exchanger sells bitcoin to a user for cash or a card transfer."""
    user = world.actors.users[rng.randrange(len(world.actors.users))]
    value = world.sats_for_usd(lognormal_usd(rng, 200, 0.8, 3000))
    world.ledger.transfer(
        world.actors.exchanger, [(user, user.receive(), value)], world.rate(), "exchanger_sale"
    )
