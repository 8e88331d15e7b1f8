"""Day 4, part 2 (peel chains, CoinJoin, taint, cash-out): plausible wrong answers (one per
autograded exercise) and the Russian of what their feedback shows, in the shape of
``wrong_answers.py`` and ``shown_ru.py``."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # leaves out the last transaction (the sweep has no peel): one transaction short
    "day4_peel_chain_length": (
        "chain = []\n"
        "txid = start\n"
        "while True:\n"
        '    outs = outputs[outputs["txid"] == txid]\n'
        "    if len(outs) == 1:\n"
        "        break\n"
        "    chain.append(txid)\n"
        '    rest = outs.sort_values("value").iloc[-1]\n'
        '    txid = spent_by[(txid, rest["vout"])]\n'
        "peel_chain_length = len(chain)",
        "until everything goes to one deposit",
    ),
    # counts only the final sweep, not the peels paid to the same deposit on the way
    "day4_peel_total_to_deposit_sats": (
        'to_deposit = outputs[(outputs["txid"] == chain[-1]) & (outputs["address"] == deposit)]\n'
        'peel_total_to_deposit = int(to_deposit["value"].sum())',
        "every output of the chain's transactions",
    ),
    # many inputs taken for a CoinJoin: the vendor's own consolidation is chosen
    "day4_coinjoin_txid": (
        'candidates = sorted(set(inputs[inputs["address"] == questions["coinjoin_start_address"]]'
        '["txid"]))\n'
        "coinjoin_txid = None\n"
        "for txid in candidates:\n"
        '    n_inputs = int((inputs["txid"] == txid).sum())\n'
        "    if n_inputs >= 5:\n"
        "        coinjoin_txid = txid",
        "matching the CoinJoin rule",
    ),
    # every coin of the consolidation taken as dirty, the vendor's other coins included
    "day4_taint_to_deposit_sats": (
        "from course.tracing.taint import compare\n\n"
        "dirty_sources = {}\n"
        "for row in spent.itertuples():\n"
        '    dirty_sources[f"{row.prev_txid}:{row.prev_vout}"] = row.value\n'
        "taint_at_deposit = compare(ledger, dirty_sources, deposit, max_hops=20)",
        "Only the outputs of the shop's payout address are dirty",
    ),
    # any exchange finding kept, however weak: the vendor's own change (which paid the
    # instant exchanger on the next hop) received the most
    "day4_cashout_exchange_deposit": (
        'chain_outputs = outputs[outputs["txid"].isin(chain)]\n'
        "received = {}\n"
        "for row in chain_outputs.itertuples():\n"
        "    finding = deposit_finding(ledger, row.address, tag_index)\n"
        "    if finding is not None:\n"
        "        received[row.address] = received.get(row.address, 0) + row.value\n"
        "cashout_deposit = max(received, key=received.get)",
        "swept into a tagged exchange wallet",
    ),
}

SHOWN_RU: dict[str, str] = {
    "until everything goes to one deposit": "пока всё оставшееся не уйдёт на один депозитный адрес",
    "every output of the chain's transactions": "все выходы транзакций цепочки",
    "matching the CoinJoin rule": "подходит под правило CoinJoin",
    "Only the outputs of the shop's payout address are dirty": (
        "«Грязные» только выходы адреса выплат магазина"
    ),
    "swept into a tagged exchange wallet": "переведены (sweep) на помеченный кошелёк биржи",
}
