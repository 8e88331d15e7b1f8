"""BIP39 against the official vectors and bip-utils; derivation against BIP84/86 vectors."""

from __future__ import annotations

import hashlib

import pytest
from bip_utils import Bip39MnemonicGenerator, Bip39MnemonicValidator, Bip39SeedGenerator

from course.chain import wallet as W

# BIP39 reference vectors (passphrase "TREZOR"): entropy, mnemonic, seed prefix
VECTORS = [
    (
        "00000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",  # noqa: E501
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e5349553",
    ),
    (
        "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6f",
    ),
    (
        "9e885d952ad362caeb4efe34a8e91bd2",
        "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
        "274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e547",
    ),
    (
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",  # noqa: E501
        "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e16",
    ),
]
ABANDON = VECTORS[0][1]


@pytest.mark.parametrize(("entropy", "phrase", "seed"), VECTORS)
def test_bip39_reference_vectors(entropy, phrase, seed):
    assert W.mnemonic_from_entropy(bytes.fromhex(entropy)) == phrase
    assert W.check_mnemonic(phrase) == bytes.fromhex(entropy)
    assert W.seed_from_mnemonic(phrase, "TREZOR").hex().startswith(seed)


def test_mnemonics_agree_with_bip_utils():
    for i in range(30):
        entropy = hashlib.sha256(b"e%d" % i).digest()[: (16, 20, 24, 28, 32)[i % 5]]
        phrase = W.mnemonic_from_entropy(entropy)
        assert phrase == Bip39MnemonicGenerator().FromEntropy(entropy).ToStr()
        assert W.seed_from_mnemonic(phrase) == Bip39SeedGenerator(phrase).Generate()
        words = phrase.split()
        words[3], words[7] = words[7], words[3]
        swapped = " ".join(words)
        assert W.validate_mnemonic(swapped) == Bip39MnemonicValidator().IsValid(swapped)


def test_check_mnemonic_says_what_is_wrong():
    with pytest.raises(W.MnemonicError, match="11 words"):
        W.check_mnemonic(" ".join(ABANDON.split()[:11]))
    with pytest.raises(W.MnemonicError, match="bitcoinz"):
        W.check_mnemonic(ABANDON.replace("about", "bitcoinz"))
    with pytest.raises(W.MnemonicError, match="checksum"):
        W.check_mnemonic(ABANDON.replace("about", "abandon"))
    assert W.validate_mnemonic("  Abandon " + ABANDON[8:].upper())


def test_bip84_and_bip86_reference_addresses():
    # BIP84 and BIP86 test vectors for the "abandon ... about" phrase
    assert W.derive_addresses(ABANDON, "bip84", count=2) == [
        "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
        "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g",
    ]
    assert W.derive_addresses(ABANDON, "bip84", count=1, change=1) == [
        "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el"
    ]
    assert W.derive_addresses(ABANDON, "bip86", count=1) == [
        "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr"
    ]
    assert W.derive_addresses(ABANDON, "bip44", count=1) == ["1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA"]
    assert W.derive_addresses(ABANDON, "bip49", count=1) == ["37VucYSaXLCAsxYyAPfbSi9eh4iEcbShgf"]


def test_account_xpub_and_paths():
    acct = W.HDAccount.from_mnemonic(ABANDON, "bip84")
    assert acct.xpub.startswith("zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1A")
    first = acct.address(0, 0)
    assert first.path == "m/84'/0'/0'/0/0" and len(first.pubkey) == 33
    with pytest.raises(ValueError, match="unknown standard"):
        W.HDAccount.from_mnemonic(ABANDON, "bip99")


@pytest.mark.parametrize(("entropy_bytes", "rate"), [(16, 1 / 16), (32, 1 / 256)])
def test_one_wrong_listed_word_passes_as_often_as_the_docs_say(entropy_bytes, rate):
    """Check the documented rates: one wrong word from the list passes 1 in 16 (12 words),
    1 in 256 (24 words), counted with bip-utils' validator, not the code under test."""
    import random

    rng = random.Random(2026)
    words = W.wordlist()
    trials = 6000
    passed = 0
    for _ in range(trials):
        phrase = W.mnemonic_from_entropy(rng.randbytes(entropy_bytes)).split()
        i = rng.randrange(len(phrase))
        right = phrase[i]
        while phrase[i] == right:
            phrase[i] = rng.choice(words)
        text = " ".join(phrase)
        ok = Bip39MnemonicValidator().IsValid(text)
        assert W.validate_mnemonic(text) == ok
        passed += ok
    expected = trials * rate
    assert abs(passed - expected) < 4 * (expected * (1 - rate)) ** 0.5 + 1, (passed, expected)
