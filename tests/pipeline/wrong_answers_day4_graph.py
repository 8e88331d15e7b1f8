"""Day 4, part 1 (the graph, clusters and change): plausible wrong answers (one per
autograded exercise) and the Russian of what their feedback shows, in the shape of
``wrong_answers.py`` and ``shown_ru.py``."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # adds the whole value of every transaction that pays the target, other payees included
    "day4_target_received_sats": (
        'tx_table = read_table("transactions.csv")\n'
        'paying = set(outputs[outputs["address"] == target]["txid"])\n'
        'received_sats = int(tx_table[tx_table["txid"].isin(paying)]["output_value"].sum())',
        "and only those",
    ),
    # "2 or more inputs" written as more than 2: two-input transactions are not linked
    "day4_cluster_size_of_target_naive": (
        'inputs = read_table("inputs.csv")\n'
        "graph = nx.Graph()\n"
        "graph.add_node(target)\n"
        'for txid, rows in inputs.groupby("txid"):\n'
        '    addresses = list(rows["address"])\n'
        "    if len(addresses) > 2:\n"
        "        graph.add_edges_from(zip(addresses, addresses[1:]))\n"
        "naive_size = len(nx.node_connected_component(graph, target))",
        "every multi-input transaction",
    ),
    # counts only the outputs equal to the first one: a CoinJoin whose change comes first
    # is not recognised, and the strangers stay in the cluster
    "day4_cluster_size_of_target": (
        "def is_coinjoin(n_inputs, output_values):\n"
        "    if not output_values:\n"
        "        return False\n"
        "    return n_inputs >= 5 and output_values.count(output_values[0]) >= 5\n\n\n"
        'n_inputs = inputs.groupby("txid").size()\n'
        'values = outputs[outputs["value"] > 0].groupby("txid")["value"].apply(list)\n'
        "coinjoins = {txid for txid, vals in values.items()\n"
        "             if is_coinjoin(int(n_inputs.get(txid, 0)), vals)}\n\n"
        "graph = nx.Graph()\n"
        "graph.add_node(target)\n"
        'for txid, rows in inputs.groupby("txid"):\n'
        '    addresses = list(rows["address"])\n'
        "    if len(addresses) >= 2 and txid not in coinjoins:\n"
        "        graph.add_edges_from(zip(addresses, addresses[1:]))\n"
        "cluster_size = len(nx.node_connected_component(graph, target))",
        "match the CoinJoin rule",
    ),
    # takes "round" for a whole 0.01 BTC (1,000,000 sat) instead of 0.001 BTC
    "day4_round_change": (
        "ROUND_UNIT = 100_000\n\n\n"
        "def round_change(output_values):\n"
        "    odd = []\n"
        "    for n, value in enumerate(output_values):\n"
        "        if value % 1_000_000 != 0:\n"
        "            odd.append(n)\n"
        "    if len(odd) == 1 and len(output_values) > 1:\n"
        "        return odd[0]\n"
        "    return None",
        "is not a multiple of 100,000",
    ),
    # counts only the pairs of the cluster's main owner: merged clusters look worse than they are
    "day4_pair_precision": (
        "from collections import Counter\n\n\n"
        "def pair_precision(clusters):\n"
        "    put = right = 0\n"
        "    for owners in clusters:\n"
        "        k = len(owners)\n"
        "        put += k * (k - 1) // 2\n"
        "        c = max(Counter(owners).values())\n"
        "        right += c * (c - 1) // 2\n"
        "    return round(right / put, 3) if put else 1.0",
        "two owners of 4 merged",
    ),
}

SHOWN_RU: dict[str, str] = {
    "and only those": "и только их",
    "every multi-input transaction": "каждой транзакции с несколькими входами",
    "match the CoinJoin rule": "подходящие под правило CoinJoin",
    "is not a multiple of 100,000": "не кратно 100 000",
    "two owners of 4 merged": "слиты два владельца по 4 адреса",
}
