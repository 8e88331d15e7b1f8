"""Day 5's plausible wrong answers (one per autograded exercise), the Russian of
what their feedback shows, in the shape of ``wrong_answers.py`` and ``shown_ru.py``."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # keeps the last strong-looking link of any vendor, not the link of the tip's vendor
    "day5_tip_linked_shop": (
        "links = linking.link_aliases(pages)\n"
        "linked_shop = None\n"
        "for link in links:\n"
        "    if link.confidence >= 0.85:\n"
        "        linked_shop = link.subject[0]",
        "Among the links of the tip's vendor",
    ),
    # clusters without leaving the CoinJoins out: strangers merged into the vendor's cluster
    "day5_vendor_cluster_size": (
        "coinjoins = coinjoin_mask_of(ledger)\n"
        "vendor_cluster = cluster_of(ledger, common_input_clusters(ledger), payout)\n"
        "vendor_cluster_size = len(vendor_cluster)",
        "leave the CoinJoins out",
    ),
    # the chain's last transaction (a txid) instead of the address it pays
    "day5_cashout_deposit": (
        "cashout = find_cashout(ledger, start, tag_index)\n"
        "cashout_deposit = peel.txids[-1]",
        "the address where the peel chain ends",
    ),
    # hashes the text with its last line break stripped: one byte less, every hash differs
    "day5_hash_mismatch_files": (
        "mismatched = []\n"
        "for name, digest in recorded.items():\n"
        '    text = (seized / name).read_text(encoding="utf-8").strip()\n'
        "    if hashlib.sha256(text.encode()).hexdigest() != digest:\n"
        "        mismatched.append(name)",
        "compare with hashes.sha256",
    ),
    # the surname only, as a form's first field would take it
    "day5_exchange_account_holder": (
        'holder = account["holder"]\n'
        'account_holder = holder["last_name"]',
        "account.holder.full_name",
    ),
    # only the deposits to the first address of the response, not to every address
    "day5_exchange_deposit_total_btc": (
        'first_address = response["deposit_addresses"][0]\n'
        'total = deposits[deposits["address"] == first_address]["amount_btc"].sum()\n'
        "deposit_total_btc = round(float(total), 8)",
        "Add up amount_btc",
    ),
    # every withdrawal, to every card
    "day5_exchange_card_withdrawals_kzt": (
        'main_card = withdrawals["card_masked"].value_counts().index[0]\n'
        'to_main_card = withdrawals["status"] == "completed"\n'
        'card_total_kzt = int(withdrawals[to_main_card]["amount_kzt"].sum())',
        "the card used most often",
    ),
    # the address of the latest login, a VPN's
    "day5_exchange_home_ip": (
        'counts = logins["ip"].value_counts()\n'
        'home_ip = logins["ip"].iloc[-1]',
        "(not the VPNs)",
    ),
    # the note's text as it is, line breaks included
    "day5_seed_phrase": (
        'reserve = next(note for note in notes if len(note["body"].split()) in (12, 24))\n'
        'seed_phrase = reserve["body"]',
        "separated by single spaces",
    ),
    # counts the courier's messages, not the distinct places
    "day5_phone_dead_drop_count": (
        "drops = set()\n"
        'for message in courier_chat["messages"]:\n'
        '    drops.add(message["id"])\n'
        "dead_drop_count = len(drops)",
        "count distinct ones",
    ),
    # keeps the addresses that pass the checksum: the genuine markets
    "day5_bookmarked_clones": (
        "clones = [address for address in onions if is_valid_address(address)]",
        "on no signed mirror list",
    ),
}

SHOWN_RU: dict[str, str] = {
    "Among the links of the tip's vendor": "Среди связей продавца из сигнала",
    "leave the CoinJoins out": "исключены CoinJoin",
    "the address where the peel chain ends": "адрес, на котором заканчивается цепочка",
    "compare with hashes.sha256": "сравните с hashes.sha256",
    "account.holder.full_name": "account.holder.full_name",
    "Add up amount_btc": "Сложите amount_btc",
    "the card used most often": "на карту, которая встречается чаще всех",
    "(not the VPNs)": "(не с VPN)",
    "separated by single spaces": "через один пробел",
    "count distinct ones": "посчитайте различные",
    "on no signed mirror list": "нет ни в одном подписанном списке зеркал",
}
