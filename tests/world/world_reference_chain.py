"""Reference solutions, days 3-5: the bitcoin and evidence answers from a world's files.

Independent tools only: bip-utils decodes addresses and derives seed
phrases, the course's transaction parser is itself tested against real
transactions, networkx clusters the ledger, pandas reads the tables.
Also the naive heuristics' precision and recall against a ground truth
(used by ``benchmarks/bench_heuristics.py``).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import bip_utils
import networkx as nx
import pandas as pd
from bip_utils import (
    Bip39MnemonicValidator,
    Bip39SeedGenerator,
    Bip44Changes,
    P2PKHAddrDecoder,
    P2SHAddrDecoder,
    P2TRAddrDecoder,
    P2WPKHAddrDecoder,
    Secp256k1PublicKey,
    TrxAddrDecoder,
)
from world_reference import D3, D4, D5, ONION, Files, _evidence

from course.chain.tx import parse_tx
from course.chain.wallet import STANDARDS

DECODERS = {
    "p2pkh": lambda a: P2PKHAddrDecoder.DecodeAddr(a, net_ver=b"\x00"),
    "p2sh": lambda a: P2SHAddrDecoder.DecodeAddr(a, net_ver=b"\x05"),
    "p2wpkh": lambda a: P2WPKHAddrDecoder.DecodeAddr(a, hrp="bc"),
    "p2tr": lambda a: P2TRAddrDecoder.DecodeAddr(a, hrp="bc"),
}


def address_type(address: str) -> str | None:
    """The type bip-utils decodes ``address`` as (mainnet), or None if it decodes as none."""
    for kind, decode in DECODERS.items():
        try:
            payload = decode(address)
            if kind == "p2tr":  # an x-only key must be a point of the curve
                Secp256k1PublicKey.FromBytes(b"\x02" + payload)
        except Exception:  # noqa: BLE001 - any refusal means not this type
            continue
        return kind
    return None


def derive(phrase: str, standard: str, chains=(0, 1), count: int = 10, account: int = 0):
    """Addresses of ``phrase`` by bip-utils (BIP44/49/84/86 receive and change chains)."""
    cls, coin, _, _ = STANDARDS[standard]
    seed = Bip39SeedGenerator(phrase).Generate()
    acct = cls.FromSeed(seed, coin).Purpose().Coin().Account(account)
    out = []
    for chain in chains:
        node = acct.Change(Bip44Changes.CHAIN_EXT if chain == 0 else Bip44Changes.CHAIN_INT)
        out += [node.AddressIndex(i).PublicKey().ToAddress() for i in range(count)]
    return out


def ledger(f: Files) -> dict[str, pd.DataFrame]:
    """Day 4's tables: transactions, inputs, outputs, blocks, tags."""
    names = ("transactions", "inputs", "outputs", "blocks", "tags")
    return {n: f.table(D4, f"{n}.csv") for n in names}


def day3(f: Files) -> dict[str, Any]:
    """Raw transactions, explorer JSON, address checks and the seized wallet."""
    q = f.json(D3, "questions.json")
    explorer = {r[9:-5]: f.json(D3, r) for r in f.names(D3, "explorer/")}
    raw1 = parse_tx(f.text(D3, q["fee_of"]).strip())
    spent = sum(explorer[i.prev_txid]["vout"][i.prev_vout]["value"] for i in raw1.inputs)
    tx = explorer[q["fee_rate_txid"]]
    out: dict[str, Any] = {
        "day3_txid_of_raw_tx": parse_tx(f.text(D3, q["txid_of"]).strip()).txid,
        "day3_raw_tx_fee_sats": spent - sum(o.value for o in raw1.outputs),
        "day3_fee_rate_sat_vb": round(tx["fee"] / (tx["weight"] / 4), 2),
        "day3_address_types": {a: address_type(a) for a in q["classify_addresses"]},
    }
    notes = f.text(D3, q["seized_notes"])
    tokens = {t.strip(".,;:") for t in notes.split()}
    out["day3_valid_addresses_in_notes"] = sorted(t for t in tokens if address_type(t))
    phrases = [line for line in notes.splitlines() if len(line.split()) == 12]
    good = [p for p in phrases if Bip39MnemonicValidator().IsValid(p)]
    out["day3_valid_seed_phrase"] = good[0]
    w = q["seized_wallet"]
    wallet = {a for s in w["standards"] for a in derive(good[0], s, count=w["addresses_per_chain"])}
    spent_outs = {(i["txid"], i["vout"]) for t in explorer.values() for i in t["vin"]}
    out["day3_seized_wallet_balance_sats"] = sum(
        o["value"]
        for t in explorer.values()
        for n, o in enumerate(t["vout"])
        if o.get("scriptpubkey_address") in wallet and (t["txid"], n) not in spent_outs
    )
    out["day3_bip39_false_pass"] = {f"{n} words": bip39_last_word_pass_rate(n) for n in (12, 24)}
    out["day3_tron_address_check"] = [
        {"args": [text], "result": is_tron(text)} for text in TRON_CHECK_ARGS
    ]
    return out


#: the arguments of the Tron address check's hidden test (day 3, part 2)
TRON_CHECK_ARGS = (
    "T9yED5xMV5ARV98BexN97aLZ1UUq7eKSxm",
    "T9yED5xMV5ASV98BexN97aLZ1UUq7eKSxm",
    "T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb",
    "112D2adLM3UKy4Z4giRbReR6gjWuvHUqB",
    "2zSbBJLsKQuNb5Cri2XNJp29JH6HqBGqMGn7",
    "0x3c116482ea34375bee54fa4ec58984dffd3154af",
)


def is_tron(text: str) -> bool:
    """bip-utils' TRON address decoder accepts ``text``."""
    try:
        TrxAddrDecoder().DecodeAddr(text)
    except ValueError:
        return False
    return True


def bip39_last_word_pass_rate(words: int) -> float:
    """Share of the 2048 words that, put last in an all-"abandon" phrase of ``words``
    words, pass bip-utils' checksum: the chance a wrong word goes unnoticed."""
    words_file = Path(bip_utils.__file__).parent / "bip" / "bip39" / "wordlist" / "english.txt"
    wordlist = words_file.read_text(encoding="utf-8").split()
    head = " ".join(["abandon"] * (words - 1))
    passing = sum(Bip39MnemonicValidator().IsValid(f"{head} {w}") for w in wordlist)
    return passing / len(wordlist)


def clusters(tables: dict[str, pd.DataFrame], skip: frozenset[str] = frozenset()) -> nx.Graph:
    """Common-input-ownership graph: inputs of every multi-input transaction not in ``skip``."""
    graph = nx.Graph()
    for txid, group in tables["inputs"].groupby("txid"):
        if len(group) > 1 and txid not in skip:
            addrs = list(group.address)
            graph.add_edges_from(zip(addrs, addrs[1:], strict=False))
    return graph


def coinjoins(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Transactions with at least 5 inputs and at least 5 outputs of one identical value."""
    outs = tables["outputs"][tables["outputs"].value > 0]
    n_in = tables["inputs"].groupby("txid").size()
    equal = outs.groupby(["txid", "value"]).size().groupby("txid").max()
    return {t for t, k in equal.items() if k >= 5 and n_in.get(t, 0) >= 5}


def peel_chain(tables: dict[str, pd.DataFrame], start: str) -> list[str]:
    """Follow the larger output hop by hop until a transaction has a single output."""
    ins, outs = tables["inputs"], tables["outputs"]
    spender = {(r.prev_txid, r.prev_vout): r.txid for r in ins.itertuples()}
    by_tx = {t: g.sort_values("vout") for t, g in outs.groupby("txid")}
    chain, txid = [], start
    while True:
        chain.append(txid)
        vouts = by_tx[txid]
        if len(vouts) == 1:
            return chain
        biggest = vouts.sort_values("value").iloc[-1]
        txid = spender[(txid, int(biggest.vout))]


#: the arguments of day 4 part 1's function exercises (round-amount change, pair precision)
ROUND_CHANGE_ARGS = ([1_000_000, 234_567], [4_321_000, 500_000], [2_000_000, 300_000],
                     [123_456, 654_321], [200_000, 1_000_000, 87_654], [7_654_321])
PAIR_PRECISION_ARGS = ([["A", "A", "B"]], [["A", "A"], ["B", "B"]], [["A"] * 4 + ["B"] * 4],
                       [["A"] * 4 + ["B"] * 4, ["C", "C"]], [["A"], ["B"]])


def round_change(values: list[int]) -> int | None:
    """The one output that is not a multiple of 0.001 BTC, among two or more."""
    odd = [n for n, v in enumerate(values) if v % 100_000]
    return odd[0] if len(values) > 1 and len(odd) == 1 else None


def pair_precision(clusters: list[list[str]]) -> float:
    """Share of the address pairs put together whose owners are one, by listing the pairs."""
    pairs = [a == b for owners in clusters for a, b in itertools.combinations(owners, 2)]
    return round(sum(pairs) / len(pairs), 3) if pairs else 1.0


def day4_graph(f: Files) -> dict[str, Any]:
    """Day 4, part 1: what the target received, and the function exercises."""
    q, outs = f.json(D4, "questions.json"), ledger(f)["outputs"]
    return {
        "day4_target_received_sats": int(outs[outs.address == q["target_address"]].value.sum()),
        "day4_round_change": [{"args": [v], "result": round_change(v)}
                              for v in ROUND_CHANGE_ARGS],
        "day4_pair_precision": [{"args": [c], "result": pair_precision(c)}
                                for c in PAIR_PRECISION_ARGS],
    }


def day4(f: Files) -> dict[str, Any]:
    """Peel chain, CoinJoin and clusters, from the CSV ledger."""
    q, tables = f.json(D4, "questions.json"), ledger(f)
    outs, ins = tables["outputs"], tables["inputs"]
    chain = peel_chain(tables, q["peel_chain_start_txid"])
    deposit = outs[outs.txid == chain[-1]].address.iloc[0]
    joins = coinjoins(tables)
    from_target = set(ins[ins.address == q["coinjoin_start_address"]].txid)
    target = q["target_address"]
    return {
        "day4_peel_chain_length": len(chain),
        "day4_cashout_exchange_deposit": deposit,
        "day4_peel_total_to_deposit_sats": int(
            outs[outs.txid.isin(chain) & (outs.address == deposit)].value.sum()
        ),
        "day4_coinjoin_txid": sorted(from_target & joins)[0],
        "day4_cluster_size_of_target_naive": len(nx.node_connected_component(
            clusters(tables), target)),
        "day4_cluster_size_of_target": len(nx.node_connected_component(
            clusters(tables, frozenset(joins)), target)),
        **day4_graph(f),
        "day4_taint_to_deposit_sats": taint_to_deposit(tables, chain[0], target, deposit),
    }


def _taint_rule(rule: str, ins: list[tuple[int, float]], outs: list[int]) -> list[float]:
    """Dirty satoshis of each output from ``(value, dirty)`` inputs, by one taint rule."""
    if rule == "poison":
        return [float(v) if any(d > 0 for _, d in ins) else 0.0 for v in outs]
    if rule == "haircut":
        share = sum(d for _, d in ins) / sum(v for v, _ in ins)
        return [v * share for v in outs]
    dirty, start = [], 0  # fifo: dirty satoshis first within each input, inputs end to end
    for v, d in ins:
        dirty.append((start, start + d))
        start += v
    result, start = [], 0
    for v in outs:
        result.append(float(sum(max(0, min(start + v, b) - max(start, a)) for a, b in dirty)))
        start += v
    return result


def taint_to_deposit(tables: dict[str, pd.DataFrame], start: str, shop: str, deposit: str,
                     max_hops: int = 20) -> dict[str, float]:
    """Satoshis of the shop's outputs spent by the consolidation before the chain that reach
    ``deposit``, under poison, haircut and FIFO, transaction by transaction in block order."""
    ins, outs = tables["inputs"], tables["outputs"]
    height = dict(zip(tables["transactions"].txid, tables["transactions"].block_height,
                      strict=True))
    in_rows = {t: list(g.itertuples()) for t, g in ins.groupby("txid", sort=False)}
    out_rows = {t: list(g.sort_values("vout").itertuples()) for t, g in outs.groupby("txid")}
    spender = {(r.prev_txid, r.prev_vout): r.txid for r in ins.itertuples()}
    consolidation = in_rows[start][0].prev_txid
    sources = {(r.prev_txid, r.prev_vout): float(r.value)
               for r in in_rows[consolidation] if r.address == shop}
    result = {}
    for rule in ("poison", "haircut", "fifo"):
        dirty, hops, reached = dict(sources), {consolidation: 1}, 0.0
        todo = [consolidation]
        while todo:
            todo.sort(key=lambda t: height[t])
            txid = todo.pop(0)
            taint = _taint_rule(rule, [(r.value, dirty.get((r.prev_txid, r.prev_vout), 0.0))
                                       for r in in_rows[txid]],
                                [r.value for r in out_rows[txid]])
            for r, amount in zip(out_rows[txid], taint, strict=True):
                if amount <= 0:
                    continue
                dirty[(txid, r.vout)] = amount
                if r.address == deposit:
                    reached += amount
                nxt = spender.get((txid, r.vout))
                if nxt is not None and nxt not in hops and hops[txid] < max_hops:
                    hops[nxt] = hops[txid] + 1
                    todo.append(nxt)
        result[rule] = reached
    return result


def day5(f: Files) -> dict[str, Any]:
    """The exchange's response, the seized phone and laptop, the hash list."""
    q = f.json(D5, "evidence_questions.json")
    base = q["exchange_response"].rsplit("/", 1)[0]
    response = f.json(D5, q["exchange_response"])
    deposits = f.rows(D5, f"{base}/{response['files']['deposits']}")
    withdrawals = f.rows(D5, f"{base}/{response['files']['withdrawals']}")
    card = Counter(w["card_masked"] for w in withdrawals).most_common(1)[0][0]
    logins = Counter(r["ip"] for r in f.rows(D5, f"{base}/{response['files']['logins']}"))
    chats = f.json(D5, q["messenger_export"])["chats"]["list"]
    coords = {m for chat in chats for msg in chat["messages"]
              for m in re.findall(r"-?\d+\.\d+, -?\d+\.\d+", msg["text"])}
    note = next(n for n in f.json(D5, q["notes"])
                if Bip39MnemonicValidator().IsValid(" ".join(n["body"].split())))
    mismatched = []
    for line in f.text(D5, q["hash_list"]).splitlines():
        digest, rel = line.split("  ", 1)
        if hashlib.sha256(f.raw(D5, f"seized/{rel}")).hexdigest() != digest:
            mismatched.append(rel)
    signed: set[str] = set()
    for rel in f.names("day1-darkweb-tor", "mirrors/"):
        if rel.endswith(".txt.asc") and "repost" not in rel:
            signed |= set(ONION.findall(f.text("day1-darkweb-tor", rel)))
    bookmarked = set(ONION.findall(f.text(D5, q["bookmarks"])))
    return {
        "day5_exchange_account_holder": response["account"]["holder"]["full_name"],
        "day5_exchange_deposit_total_btc": round(sum(float(d["amount_btc"]) for d in deposits), 8),
        "day5_exchange_card_withdrawals_kzt": sum(
            int(w["amount_kzt"]) for w in withdrawals if w["card_masked"] == card),
        "day5_exchange_home_ip": logins.most_common(1)[0][0],
        "day5_phone_dead_drop_count": len(coords),
        "day5_seed_phrase": " ".join(note["body"].split()),
        "day5_hash_mismatch_files": mismatched,
        "day5_bookmarked_clones": sorted(bookmarked - signed),
        **day5_tip_to_exchange(f, q),
    }


def day5_tip_to_exchange(f: Files, q: dict[str, str]) -> dict[str, Any]:
    """From the tip's listing to the shop sharing its vendor's PGP key, and the peel
    chain's end, read from Day 5's own copies of the pages and the ledger."""
    pages = q["market_pages"]
    vendor = f.soup(D5, q["tip_listing"]).select_one(".vendor a").text
    keys: set[str] = set()
    for rel in f.names(D5, f"{pages}/market_en/vendor_"):
        soup = f.soup(D5, rel)
        if soup.select_one("h1.vendor-name").text == vendor:
            keys = _evidence(soup)[0]
    shops = [f.soup(D5, rel) for rel in f.names(D5, f"{pages}/market_ru/shop_")
             if not rel.endswith("_reviews.html")]
    linked = [s.select_one("h1.shop-name").text for s in shops
              if s.select_one("h1.shop-name") is not None and keys & _evidence(s)[0]]
    tables = {n: f.table(D5, f"{q['ledger']}/{n}.csv") for n in ("inputs", "outputs")}
    start = f.json(D5, f"{q['ledger']}/questions.json")["peel_chain_start_txid"]
    outs = tables["outputs"]
    payout = f.json(D5, f"{q['ledger']}/questions.json")["target_address"]
    graph = clusters(tables, frozenset(coinjoins(tables)))
    return {"day5_tip_linked_shop": linked[0] if len(linked) == 1 else linked,
            "day5_vendor_cluster_size": len(nx.node_connected_component(graph, payout)),
            "day5_cashout_deposit": outs[outs.txid == peel_chain(tables, start)[-1]]
            .address.iloc[0]}

