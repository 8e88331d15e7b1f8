"""Day 3's plausible wrong answers (one per autograded exercise), the Russian of
what their feedback shows, in the shape of ``wrong_answers.py`` and ``shown_ru.py``."""

from __future__ import annotations

WRONG_ANSWERS: dict[str, tuple[str, str]] = {
    # -- part 1: addresses and transactions ------------------------------------------
    # every bc1 address taken for native segwit v0: taproot (bc1p) counted as p2wpkh
    "day3_address_types": (
        "def address_type(address):\n"
        '    if address.startswith("1"):\n'
        '        return "p2pkh"\n'
        '    if address.startswith("3"):\n'
        '        return "p2sh"\n'
        '    if address.startswith("bc1"):\n'
        '        return "p2wpkh"\n'
        "    return None\n\n\n"
        "address_types = {address: address_type(address)\n"
        '                 for address in questions["classify_addresses"]}',
        "taproot is not p2wpkh",
    ),
    # judges by the look (prefix and length), never by the checksum: typos are kept
    "day3_valid_addresses_in_notes": (
        "valid_in_notes = []\n"
        "for word in notes.split():\n"
        '    if word.startswith(("1", "3", "bc1")) and len(word) >= 26 \\\n'
        "            and word not in valid_in_notes:\n"
        "        valid_in_notes.append(word)",
        "checksum verifies on mainnet",
    ),
    # forgets to reverse the bytes: the hash as computed, not as bitcoin displays it
    "day3_txid_of_raw_tx": (
        "legacy_bytes = tx.serialize(include_witness=False)\n"
        "txid = hashlib.sha256(hashlib.sha256(legacy_bytes).digest()).hexdigest()",
        "then reverse the bytes",
    ),
    # counts the whole parent transaction instead of the one output the input spends
    "day3_raw_tx_fee_sats": (
        "spent_values = []\n"
        "for txin in tx1.inputs:\n"
        '    parent = read_json(f"explorer/{txin.prev_txid}.json")\n'
        '    spent_values.append(sum(out["value"] for out in parent["vout"]))\n'
        "fee_sats = sum(spent_values) - sum(out.value for out in tx1.outputs)",
        "values of the spent outputs",
    ),
    # divides by the size in bytes (witness counted in full) instead of the virtual size
    "day3_fee_rate_sat_vb": (
        'fee_rate = round(batch["fee"] / batch["size"], 2)',
        "virtual size, weight / 4",
    ),
    # -- part 2: wallets and cash-out ------------------------------------------------
    # checks that the words are on the list, not the checksum: the first phrase wins
    "day3_valid_seed_phrase": (
        "seed_phrase = None\n"
        "for phrase in phrases:\n"
        "    if all(word in wordlist() for word in phrase.split()):\n"
        "        seed_phrase = phrase\n"
        "        break",
        "passes the BIP39 checksum",
    ),
    # takes the bits of one word (11) for the checksum's
    "day3_bip39_false_pass": (
        "def checksum_bits(words):\n"
        "    return 11\n\n\n"
        "false_pass = {}\n"
        "for words in (12, 24):\n"
        '    false_pass[f"{words} words"] = 1 / 2 ** checksum_bits(words)',
        "4 for 12 words, 8 for 24",
    ),
    # adds every output ever received, spent ones included
    "day3_seized_wallet_balance_sats": (
        'wallet = questions["seized_wallet"]\n'
        "wallet_addresses = set()\n"
        'for standard in wallet["standards"]:\n'
        '    for chain in wallet["chains"]:\n'
        "        wallet_addresses.update(derive_addresses(wallet_phrase, standard,"
        ' count=wallet["addresses_per_chain"], change=chain))\n\n'
        "balance_sats = 0\n"
        "for tx in transactions:\n"
        '    for out in tx["vout"]:\n'
        '        if out.get("scriptpubkey_address") in wallet_addresses:\n'
        '            balance_sats += out["value"]',
        "add up outputs not spent later",
    ),
    # judges a Tron address by its look: a T and 34 characters, no checksum
    "day3_tron_address_check": (
        "def is_tron_address(text):\n"
        '    return text.startswith("T") and len(text) == 34',
        "only the checksum catches it",
    ),
    # compares the address as wallets show it shortened (first and last characters):
    # the poisoned look-alike matches too, and it is the newer transfer
    "day3_tron_exchanger_txid": (
        'exchanger = tron_questions["exchanger_usdt_address"]\n'
        "short = exchanger[:6] + exchanger[-3:]\n"
        'to_short = transfers["to_address"].str[:6] + transfers["to_address"].str[-3:]\n'
        'is_cashout = (to_short == short) & (transfers["contract_address"] == USDT_CONTRACT)\n'
        'cashout_txid = transfers[is_cashout]["transaction_id"].iloc[0]',
        "a look-alike shares only its first and last characters",
    ),
    # trusts the name a token gives itself: the fake "USDT" is counted
    "day3_tron_usdt_received": (
        'wallet = tron_questions["wallet"]\n'
        'is_received = (transfers["to_address"] == wallet) \\\n'
        '              & (transfers["tokenInfo.tokenAbbr"] == "USDT")\n'
        'usdt_received = round(float(transfers[is_received]["usdt"].sum()), 2)',
        "a token can call itself USDT without being it",
    ),
}

SHOWN_RU: dict[str, str] = {
    "taproot is not p2wpkh": "taproot — это не p2wpkh",
    "checksum verifies on mainnet": "контрольная сумма Base58Check или bech32/bech32m сходится",
    "then reverse the bytes": "затем переверните порядок байтов",
    "values of the spent outputs": "суммы потраченных выходов",
    "virtual size, weight / 4": "виртуальный размер, weight / 4",
    "passes the BIP39 checksum": "проходит проверку контрольной суммы BIP39",
    "4 for 12 words, 8 for 24": "4 для 12 слов, 8 для 24",
    "add up outputs not spent later": "сложите выходы, не потраченные позже",
    "only the checksum catches it": "ошибку ловит только контрольная сумма",
    "a look-alike shares only its first and last characters": (
        "у адреса-двойника совпадают только первые и последние символы"
    ),
    "a token can call itself USDT without being it": (
        "токен может называть себя USDT, не являясь им"
    ),
}
