"""The day 3 and day 4 exercises cut from the ledger: files, questions, answers, truth.

Question parameters (which file, which txid, which address to start from)
go to ``data/questions.json`` of each day; the expected values only to the
answer key, computed here from the generator's own records - independently
of the CSV exports the reference notebooks read.
"""

from __future__ import annotations

import random

from course.chain.addresses import classify_address
from course.chain.base58 import b58check_encode
from course.chain.bech32 import Variant, bech32_encode, convertbits, segwit_decode
from course.chain.wallet import validate_mnemonic
from course.world import cast
from course.world.bitcoin.export import LedgerSink, dump_json, explorer_json
from course.world.bitcoin.simulate import World
from course.world.context import WorldContext
from course.world.names import POOL, names

DAY3 = "day3-crypto-basics"
DAY4 = "day4-tracing-money"
WALLET_CHECK = {
    "standards": ["bip44", "bip49", "bip84", "bip86"],
    "account": 0,
    "chains": [0, 1],
    "addresses_per_chain": 10,
}


def _mutate(rng: random.Random, address: str) -> str:
    """A one-character typo (the checksum must catch it)."""
    alphabet = (
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        if address.startswith("bc1")
        else "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    )
    while True:
        i = rng.randrange(5, len(address))
        typo = address[:i] + rng.choice(alphabet) + address[i + 1 :]
        if typo != address and classify_address(typo) is None:
            return typo


def _bad_phrase(rng: random.Random, phrase: str) -> str:
    words = phrase.split()
    while True:
        i, j = rng.sample(range(len(words)), 2)
        swapped = list(words)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        text = " ".join(swapped)
        if not validate_mnemonic(text):
            return text


def seized_notes(rng: random.Random, world: World, valid: list[str]) -> tuple[str, str]:
    """The courier's notes: addresses among look-alikes, two seed phrases (one corrupt)."""
    phrase = world.actors.courier84.keys.phrase
    taproot = next(a for a in valid if a.startswith("bc1p"))
    program = segwit_decode("bc", taproot)[1]
    wrong_variant = bech32_encode("bc", [1] + convertbits(program, 8, 5), Variant.BECH32)
    testnet = bech32_encode(
        "tb", [0] + convertbits(bytes(rng.getrandbits(8) for _ in range(20)), 8, 5), Variant.BECH32
    )
    tron = b58check_encode(b"\x41" + bytes(rng.getrandbits(8) for _ in range(20)))
    lines = [
        ("зп сюда (новый)", valid[0]),
        ("зп старый", _mutate(rng, valid[0])),
        ("магазин", valid[1]),
        ("обменник", valid[2]),
        ("обменник резерв", _mutate(rng, valid[2])),
        ("tether trc20", tron),
        ("тест", testnet),
        ("bc1p от Саши", wrong_variant),
        ("eth", "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))),
    ]
    lines += [(f"адрес {i + 1}", a) for i, a in enumerate(valid[3:])]
    lines += [
        ("?", _mutate(rng, valid[-1])),
        (
            "биржа",
            "1"
            + "".join(
                rng.choice("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
                for _ in range(33)
            ),
        ),
    ]
    rng.shuffle(lines)
    bad = _bad_phrase(rng, phrase)
    first, second = (phrase, bad) if rng.random() < 0.5 else (bad, phrase)
    text = "Заметки (телефон, приложение Notes)\n\n" + "\n".join(f"{k}: {v}" for k, v in lines)
    text += f"\n\nслова от кошелька:\n{first}\n\nзапасной (проверить):\n{second}\n"
    return text, phrase


def courier_addresses(world: World) -> list[str]:
    """Every address of the courier wallet's BIP84 and BIP86 accounts used in the ledger."""
    return [k.address for w in (world.actors.courier84, world.actors.courier86) for k in w.known]


def day3(ctx: WorldContext, world: World, sink: LedgerSink) -> None:
    """Raw transactions, explorer JSON, the seized notes, questions and answers of day 3."""
    rng = ctx.rng("btc.day3")
    kept = sink.kept
    facts = world.facts
    legacy = kept[facts["legacy_candidates"][0]]
    segwit = kept[facts["segwit_candidates"][0]]
    courier = set(courier_addresses(world))
    touching = [
        r
        for r in kept.values()
        if any(i[2] in courier for i in r.inputs) or any(o[0] in courier for o in r.outputs)
    ]
    parents = [kept[i[0]] for i in legacy.inputs]
    batch = max(
        (r for r in kept.values() if r.kind == "withdrawal" and r.keep),
        key=lambda r: (len(r.outputs), r.txid),
    )
    explorer = {r.txid: r for r in touching + parents + [batch]}
    if segwit.txid in explorer:
        raise RuntimeError("the segwit raw transaction must not also be given as explorer JSON")
    ctx.add_file(DAY3, "data/raw_tx_1.hex", legacy.raw.hex() + "\n")
    ctx.add_file(DAY3, "data/raw_tx_2.hex", segwit.raw.hex() + "\n")
    for txid, record in sorted(explorer.items()):
        ctx.add_file(DAY3, f"data/explorer/{txid}.json", dump_json(explorer_json(record)))

    a = world.actors
    ru = a.markets[cast.MARKET_RU]
    valid = [
        a.courier84.known[0].address,
        a.ru_payout[cast.VENDOR_TARGET].address,
        a.exchanger.fixed().address,
        a.courier86.known[0].address,
        next(iter(ru.order_of)),
        a.exchanges[cast.EXCHANGE_OTHER].hot.fixed().address,
        a.ru_payout["vendor_01"].address,
    ]
    notes, phrase = seized_notes(rng, world, valid)
    ctx.add_file(DAY3, "data/seized_notes.txt", notes)
    classify = [
        a.exchanges["exchange_03"].hot.fixed().address,
        a.ru_payout["vendor_01"].address,
        a.exchanges[cast.EXCHANGE_OTHER].hot.fixed().address,
        a.ru_payout["vendor_02"].address,
        a.courier84.known[0].address,
        list(a.markets[cast.MARKET_EN].order_of)[0],
        a.ru_payout["vendor_03"].address,
        a.courier86.known[0].address,
    ]
    rng.shuffle(classify)
    questions = {
        "txid_of": "raw_tx_2.hex",
        "fee_of": "raw_tx_1.hex",
        "fee_rate_txid": batch.txid,
        "fee_rate_definition": "fee / (weight / 4), in sat/vB",
        "classify_addresses": classify,
        "address_types": ["p2pkh", "p2sh", "p2wpkh", "p2tr"],
        "seized_notes": "seized_notes.txt",
        "seized_wallet": dict(
            WALLET_CHECK, transactions="explorer/ holds every transaction that touches the wallet"
        ),
    }
    ctx.add_file(DAY3, "data/questions.json", dump_json(questions))

    ctx.add_answer(
        "day3_txid_of_raw_tx",
        segwit.txid,
        hint=(
            "Hash the serialization without the marker, flag and witnesses, then reverse the bytes."
        ),
    )
    fee = sum(i[3] for i in legacy.inputs) - sum(o[1] for o in legacy.outputs)
    ctx.add_answer(
        "day3_raw_tx_fee_sats",
        fee,
        hint=(
            "Fee = values of the spent outputs (look the parents up in"
            " explorer/) minus the outputs."
        ),
    )
    ctx.add_answer(
        "day3_fee_rate_sat_vb",
        round(batch.fee / (batch.weight / 4), 2),
        compare="float",
        tolerance=0.05,
        hint="Divide the fee by the virtual size, weight / 4.",
    )
    ctx.add_answer(
        "day3_address_types",
        {x: classify_address(x) for x in classify},
        hint=(
            "1... is p2pkh, 3... p2sh, bc1q... (42 characters) p2wpkh, bc1p... p2tr:"
            " taproot is not p2wpkh."
        ),
    )
    ctx.add_answer(
        "day3_valid_addresses_in_notes",
        sorted(set(valid)),
        compare="set",
        hint=(
            "Keep only strings whose Base58Check or bech32/bech32m checksum verifies on mainnet."
        ),
    )
    ctx.add_answer(
        "day3_valid_seed_phrase",
        phrase,
        hint=(
            "Only one of the two phrases passes the BIP39 checksum; give it as single-spaced words."
        ),
    )
    spent = {(i[0], i[1]) for r in explorer.values() for i in r.inputs}
    balance = sum(
        o[1]
        for r in explorer.values()
        for n, o in enumerate(r.outputs)
        if o[0] in courier and (r.txid, n) not in spent
    )
    ctx.add_answer(
        "day3_seized_wallet_balance_sats",
        balance,
        hint=(
            "Derive receive and change addresses of all four standards;"
            " add up outputs not spent later."
        ),
    )
    ctx.add_truth("btc_courier_seed_phrase", phrase)
    seed_independent(ctx)


#: the arguments the hidden test of ``day3_tron_address_check`` calls the trainee's function with
TRON_CHECK_CASES: tuple[tuple[str, bool, str], ...] = (
    ("T9yED5xMV5ARV98BexN97aLZ1UUq7eKSxm", True, "a valid Tron address must give True"),
    (
        "T9yED5xMV5ASV98BexN97aLZ1UUq7eKSxm",
        False,
        "one changed character keeps the T and the length: only the checksum catches it",
    ),
    ("T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb", True, "a valid Tron address must give True"),
    ("112D2adLM3UKy4Z4giRbReR6gjWuvHUqB", False, "version byte 0x00 is bitcoin, not Tron (0x41)"),
    ("2zSbBJLsKQuNb5Cri2XNJp29JH6HqBGqMGn7", False, "a Tron address carries exactly 21 bytes"),
    ("0x3c116482ea34375bee54fa4ec58984dffd3154af", False, "an Ethereum-style address is not Tron"),
)


def seed_independent(ctx: WorldContext) -> None:
    """Day 3 answers that are facts or function behaviours, the same for every seed."""
    ctx.add_answer(
        "day3_bip39_false_pass",
        {"12 words": 1 / 2**4, "24 words": 1 / 2**8},
        compare="float_map",
        tolerance=1e-9,
        hint="The checksum has words x 11 / 33 bits: 4 for 12 words, 8 for 24.",
    )
    ctx.add_answer(
        "day3_tron_address_check",
        [{"args": [text], "result": ok, "hint": hint} for text, ok, hint in TRON_CHECK_CASES],
        compare="calls",
        hint="Decode with the checksum, then check 21 bytes and the first byte 0x41.",
    )


def tags(world: World, sink: LedgerSink, rng: random.Random, labels: dict[str, str]) -> str:
    """A TagPack-like attribution list (address,label,source,category,confidence).

    ``labels`` maps a role to its name (:func:`course.world.names.names`).
    """
    a = world.actors
    rows: list[tuple[str, str, str, str, int]] = []

    def add(addresses, role, source, category, confidence):
        for address in addresses:
            rows.append((address, labels[role], source, category, confidence))

    for role, ex in a.exchanges.items():
        add(
            [k.address for k in ex.hot.known],
            role,
            "exchange proof-of-reserves list",
            "exchange",
            95,
        )
        deposits = [
            k.address
            for who, k in sorted(ex.customer_keys.items())
            if not who.startswith(cast.VENDOR_TARGET)  # finding these is the exercise
        ]
        add(
            rng.sample(deposits, max(1, len(deposits) // 12)),
            role,
            "test deposit by investigators",
            "exchange",
            80,
        )
    for role, m in a.markets.items():
        add(
            [k.address for k in m.hot.known][:6],
            role,
            "seized server of an earlier case",
            "market",
            85,
        )
        add(list(m.order_of)[:4], role, "order page capture", "market", 70)
    add(
        [a.coordinator.fixed().address],
        cast.COINJOIN,
        "coordinator fee address (public docs)",
        "mixing_service",
        90,
    )
    add(
        [a.exchanger.fixed().address],
        cast.INSTANT_EXCHANGER,
        "exchanger website (payment page)",
        "exchange",
        75,
    )
    add([a.pool.fixed().address], POOL, "coinbase tag", "miner", 100)
    merchant_addresses: dict[str, list[str]] = {}
    for address, owner in sink.owner.items():
        if owner in labels and owner.startswith(("merchant", "gambling")):
            if len(merchant_addresses.setdefault(owner, [])) < 3:
                merchant_addresses[owner].append(address)
    for owner, addresses in sorted(merchant_addresses.items()):
        add(
            addresses,
            owner,
            "public donation/payment page",
            "gambling" if owner.startswith("gambling") else "payment_processor",
            60,
        )
    decoy = next(addr for addr, owner in sink.owner.items() if owner.startswith("user_"))
    rows.append((decoy, labels[cast.MARKET_EN], "forum post (unverified)", "market", 20))
    rows.sort()
    return "address,label,source,category,confidence\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]}\n" for r in rows
    )


def day4(ctx: WorldContext, world: World, sink: LedgerSink, tables: dict[str, str]) -> None:
    """The ledger tables, tags, questions and answers of day 4."""
    for name, text in tables.items():
        ctx.add_file(DAY4, f"data/{name}.csv", text)
    ctx.add_file(DAY4, "data/tags.csv", tags(world, sink, ctx.rng("btc.tags"), names(ctx)))
    facts, a = world.facts, world.actors
    target_address = a.ru_payout[cast.VENDOR_TARGET].address
    peel = facts["peel_txids"]
    d1 = a.exchanges[cast.EXCHANGE_REGULATED].customer_keys[cast.VENDOR_TARGET].address
    questions = {
        "target_address": target_address,
        "target_address_source": (
            "payout address of the target's shop on the Russian-language market"
        ),
        "peel_chain_start_txid": peel[0],
        "peel_chain_rule": "count the transactions from the start one to the one that sends "
        "everything that is left to an exchange deposit address, both included",
        "coinjoin_start_address": target_address,
        "coinjoin_rule": (
            "a transaction with at least 5 inputs and at least 5 outputs of one identical value"
        ),
        "cluster_rule": (
            "common-input ownership: all input addresses of a transaction with 2 or more "
            "inputs belong together; union over the whole ledger"
        ),
    }
    ctx.add_file(DAY4, "data/questions.json", dump_json(questions))
    ctx.add_answer(
        "day4_peel_chain_length",
        len(peel),
        hint=(
            "Follow the larger, fresh-address output hop by hop until"
            " everything goes to one deposit."
        ),
    )
    ctx.add_answer(
        "day4_cashout_exchange_deposit",
        d1,
        hint=("The last hop's only output: an address later swept into a tagged exchange wallet."),
    )
    ctx.add_answer(
        "day4_peel_total_to_deposit_sats",
        sum(o[1] for t in peel for o in sink.kept[t].outputs if o[0] == d1),
        hint=("Add every output of the chain's transactions paid to that deposit address."),
    )
    day4_taint(ctx, world, sink)
    ctx.add_answer(
        "day4_coinjoin_txid",
        facts["coinjoin"],
        hint=(
            "Among the transactions spending from the start address, the"
            " one matching the CoinJoin rule."
        ),
    )
    ctx.add_answer(
        "day4_cluster_size_of_target_naive",
        sink.naive.cluster_size(target_address),
        hint=("Union-find over every multi-input transaction, CoinJoins included."),
    )
    ctx.add_answer(
        "day4_cluster_size_of_target",
        sink.no_coinjoin.cluster_size(target_address),
        hint=("The same union-find, skipping transactions that match the CoinJoin rule."),
    )
    day4_graph(ctx, sink, target_address)


# -- day 4, part 2: taint on the way to the deposit --------------------------------------
def taint_to_deposit(world: World, sink: LedgerSink) -> dict[str, float]:
    """Satoshis from the shop's payout address that reach the cash-out deposit, per rule.

    The dirty coins are the outputs of the shop's payout address that the
    consolidation before the peel chain spends. Poison: every output after a dirty
    input is dirty; haircut: each output carries the inputs' dirty share (one input
    a hop, so the share stays the consolidation's); FIFO: the inputs' satoshis laid
    end to end, the dirty ones first within an input, go to the outputs in order.
    Computed from the generator's records along the consolidation and the chain.
    """
    a, facts = world.actors, world.facts
    shop = a.ru_payout[cast.VENDOR_TARGET].address
    d1 = a.exchanges[cast.EXCHANGE_REGULATED].customer_keys[cast.VENDOR_TARGET].address
    consolidation = sink.kept[facts["c2"][0]]
    total_in = sum(i[3] for i in consolidation.inputs)
    dirty_in = sum(i[3] for i in consolidation.inputs if i[2] == shop)
    spans, pos = [], 0
    for i in consolidation.inputs:
        if i[2] == shop:
            spans.append((pos, pos + i[3]))
        pos += i[3]
    (out_value,) = [o[1] for o in consolidation.outputs]
    fifo_dirty = float(sum(max(0, min(out_value, b) - a_) for a_, b in spans))
    poison = haircut = fifo = 0.0
    share = dirty_in / total_in
    for txid in facts["peel_txids"]:
        record = sink.kept[txid]
        pos, nxt = 0, 0.0
        for address, value, _type, _owner, is_change in record.outputs:
            taken = max(0.0, min(pos + value, fifo_dirty) - pos)
            pos += value
            if address == d1:
                poison += value
                haircut += value * share
                fifo += taken
            elif is_change:
                nxt = taken  # the rest, spent by the next hop
        fifo_dirty = nxt
    return {"poison": poison, "haircut": round(haircut, 2), "fifo": fifo}


def day4_taint(ctx: WorldContext, world: World, sink: LedgerSink) -> None:
    """The taint answer of day 4, part 2."""
    ctx.add_answer(
        "day4_taint_to_deposit_sats",
        taint_to_deposit(world, sink),
        compare="float_map",
        tolerance=2.0,
        hint=(
            "Only the outputs of the shop's payout address are dirty; the other inputs"
            " of the consolidation are the vendor's other coins."
        ),
    )


# -- day 4, part 1: the graph, clusters and change ----------------------------------------
#: the cases the hidden test of ``day4_round_change`` calls the trainee's function with:
#: output values, the change's position by the round-amount rule, the hint when it is wrong
ROUND_CHANGE_CASES: tuple[tuple[list[int], int | None, str], ...] = (
    ([1_000_000, 234_567], 1, "the change is the output that is not round"),
    ([4_321_000, 500_000], 0, "4,321,000 sat is not a multiple of 100,000: it is the change"),
    ([2_000_000, 300_000], None, "both outputs are round: no finding (None)"),
    ([123_456, 654_321], None, "neither output is round: no finding (None)"),
    ([200_000, 1_000_000, 87_654], 2, "three outputs, one not round: its position is 2"),
    ([7_654_321], None, "a single output is no payment with change: no finding (None)"),
)
#: the cases of ``day4_pair_precision``: clusters as their addresses' owners, the precision
PAIR_PRECISION_CASES: tuple[tuple[list[list[str]], float, str], ...] = (
    ([["A", "A", "B"]], 0.333, "A, A, B: 1 right pair (A-A) out of 3"),
    ([["A", "A"], ["B", "B"]], 1.0, "every pair of one owner: precision 1.0"),
    ([["A"] * 4 + ["B"] * 4], 0.429,
     "two owners of 4 merged: 6 + 6 right pairs out of 28 (divide c * (c - 1) by 2)"),
    ([["A"] * 4 + ["B"] * 4, ["C", "C"]], 0.448,
     "add the pairs of every cluster before dividing: 13 right out of 29"),
    ([["A"], ["B"]], 1.0, "no pairs put together: nothing wrong, 1.0"),
)


def day4_graph(ctx: WorldContext, sink: LedgerSink, target: str) -> None:
    """The answers of day 4, part 1, that its key entries above do not give."""
    ctx.add_answer(
        "day4_target_received_sats",
        sum(o[1] for r in sink.kept.values() for o in r.outputs if o[0] == target),
        hint="Add the value of every output paid to the target's address, and only those.",
    )
    ctx.add_answer(
        "day4_round_change",
        [{"args": [values], "result": n, "hint": hint} for values, n, hint in ROUND_CHANGE_CASES],
        compare="calls",
        hint="Collect the positions of the outputs whose value % 100_000 is not 0.",
    )
    ctx.add_answer(
        "day4_pair_precision",
        [{"args": [clusters], "result": p, "hint": hint}
         for clusters, p, hint in PAIR_PRECISION_CASES],
        compare="calls",
        hint="For each owner's count c in a cluster, add c * (c - 1) // 2 right pairs.",
    )
