"""Bitcoin for investigators: addresses, transactions and wallets (Days 3-4).

One concept a module:

- :mod:`course.chain.base58` and :mod:`course.chain.bech32`: the two address
  encodings and their checksums;
- :mod:`course.chain.addresses`: make, decode, classify and extract addresses;
- :mod:`course.chain.tx`: transactions, their serialization, txid and parsing;
- :mod:`course.chain.wallet`: BIP39 seed phrases and BIP32 derivation;
- :mod:`course.chain.anatomy`: a raw transaction field by field, with byte ranges;
- :mod:`course.chain.explorer`: explorer JSON (Esplora: blockstream.info, mempool.space),
  rebuilt and checked against its txid; fees and balances;
- :mod:`course.chain.scan`: a seed phrase's wallet scanned with a gap limit;
- :mod:`course.chain.inspect`: what an address is and which part of it is wrong;
- :mod:`course.chain.tron`: Tron (USDT TRC-20) addresses.
"""

from __future__ import annotations

from course.chain.addresses import classify_address, extract_addresses, is_valid_address
from course.chain.tx import Transaction, TxIn, TxOut, parse_tx
from course.chain.wallet import HDAccount, derive_addresses, validate_mnemonic

__all__ = [
    "HDAccount",
    "Transaction",
    "TxIn",
    "TxOut",
    "classify_address",
    "derive_addresses",
    "extract_addresses",
    "is_valid_address",
    "parse_tx",
    "validate_mnemonic",
]
