"""BIP32 test vectors 1 and 2 (every chain, public and private), and the first
address of each standard for the 'abandon ... about' phrase (BIP44 and BIP49 have
no official mainnet vector; these are the values every wallet test suite uses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.chain.wallet import HDAccount, derive_addresses, extended_keys

VECTORS = json.loads((Path(__file__).parent / "data" / "bip32_vectors.json").read_text())
CASES = [(v["seed"], path, xpub, xprv) for v in VECTORS["vectors"]
         for path, xpub, xprv in v["chains"]]
PHRASE = "abandon " * 11 + "about"


def test_the_fixture_names_its_source_and_holds_both_vectors() -> None:
    assert "bip-0032.mediawiki" in VECTORS["source"]
    assert len(CASES) == 12


@pytest.mark.parametrize(("seed", "path", "xpub", "xprv"), CASES, ids=[c[1] for c in CASES])
def test_bip32_vectors(seed: str, path: str, xpub: str, xprv: str) -> None:
    assert extended_keys(bytes.fromhex(seed), path) == (xpub, xprv)
    assert extended_keys(bytes.fromhex(seed), path.replace("H", "'")) == (xpub, xprv)


def test_bad_path_is_one_line() -> None:
    with pytest.raises(ValueError, match="m/0/x") as info:
        extended_keys(bytes(16), "m/0/x")
    assert "\n" not in str(info.value)


# first receiving address of each standard for PHRASE, as published with the BIPs'
# vectors (BIP84, BIP86) and in wallet test suites (BIP44, BIP49: e.g. bitcoinjs-lib's
# message-signing tests and Unchained's Caravan fixtures)
FIRST = {
    "bip44": "1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA",
    "bip49": "37VucYSaXLCAsxYyAPfbSi9eh4iEcbShgf",
    "bip84": "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
    "bip86": "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr",
}


@pytest.mark.parametrize("standard", sorted(FIRST))
def test_first_address_of_each_standard(standard: str) -> None:
    assert derive_addresses(PHRASE, standard, count=1) == [FIRST[standard]]


def test_account_xpub_is_the_bip32_path_of_the_standard() -> None:
    from course.chain.wallet import seed_from_mnemonic

    seed = seed_from_mnemonic(PHRASE)
    xpub, _ = extended_keys(seed, "m/44H/0H/0H")
    assert HDAccount(seed, "bip44").xpub == xpub
