"""The gap-limit scan: addresses placed by bip-utils at chosen indexes are found
exactly when the gap limit allows, and the totals add up."""

from __future__ import annotations

import pytest
from bip_utils import (
    Bip39SeedGenerator,
    Bip44Changes,
    Bip84,
    Bip84Coins,
    Bip86,
    Bip86Coins,
)

from course.chain.scan import scan_wallet
from course.chain.wallet import MnemonicError

PHRASE = "abandon " * 11 + "about"  # the BIP84/BIP86 test-vector phrase


def _address(cls, coin, change: int, index: int, passphrase: str = "") -> str:
    seed = Bip39SeedGenerator(PHRASE).Generate(passphrase)
    chain = cls.FromSeed(seed, coin).Purpose().Coin().Account(0).Change(
        Bip44Changes.CHAIN_INT if change else Bip44Changes.CHAIN_EXT)
    return chain.AddressIndex(index).PublicKey().ToAddress()


@pytest.fixture(scope="module")
def ledger() -> dict[str, int]:
    return {
        _address(Bip84, Bip84Coins.BITCOIN, 0, 0): 5_000,
        _address(Bip84, Bip84Coins.BITCOIN, 0, 25): 70_000,  # behind a gap of 24
        _address(Bip84, Bip84Coins.BITCOIN, 1, 3): 700,
        _address(Bip86, Bip86Coins.BITCOIN, 0, 1): 0,  # used, emptied
        "bc1qnotours0000000000000000000000000000000": 99,
    }


def test_bip84_receive_0_is_the_published_address() -> None:
    # BIP84's test vector: first receiving address of the "abandon ... about" wallet
    assert _address(Bip84, Bip84Coins.BITCOIN, 0, 0) == (
        "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu")


def test_gap_limit_20_misses_what_hides_behind_a_gap(ledger) -> None:
    scan = scan_wallet(PHRASE, ledger, gap_limit=20)
    assert scan.balance == 5_000 + 700 + 0
    chains = {(c.standard, c.change): c for c in scan.chains}
    assert chains[("bip84", 0)].stopped_at == 21  # index 0 used, 1..20 unused
    assert chains[("bip84", 1)].stopped_at == 24  # index 3 used, 4..23 unused
    assert chains[("bip86", 0)].stopped_at == 22
    assert chains[("bip44", 0)].stopped_at == 20 and chains[("bip44", 0)].used == []
    assert [a.path for a in scan.used] == [
        "m/84'/0'/0'/0/0", "m/84'/0'/0'/1/3", "m/86'/0'/0'/0/1"]
    assert scan.by_standard() == {"bip44": 0, "bip49": 0, "bip84": 5_700, "bip86": 0}


def test_a_larger_gap_limit_finds_it(ledger) -> None:
    scan = scan_wallet(PHRASE, ledger, gap_limit=30)
    assert scan.balance == 5_000 + 70_000 + 700
    chains = {(c.standard, c.change): c for c in scan.chains}
    assert chains[("bip84", 0)].stopped_at == 56  # 25 used, then 26..55 unused
    plain = scan.to_dict()
    assert plain["balance"] == 75_700 and plain["gap_limit"] == 30
    assert {u["address"] for c in plain["chains"] for u in c["used"]} == set(ledger) - {
        "bc1qnotours0000000000000000000000000000000"}


def test_a_passphrase_opens_another_wallet(ledger) -> None:
    assert scan_wallet(PHRASE, ledger, passphrase="TREZOR").balance == 0
    other = {_address(Bip84, Bip84Coins.BITCOIN, 0, 2, "TREZOR"): 1234}
    assert scan_wallet(PHRASE, other, passphrase="TREZOR").balance == 1234


def test_bad_input_is_one_line() -> None:
    with pytest.raises(MnemonicError, match="Checksum"):
        scan_wallet("abandon " * 12, {})
    for bad in (0, -1, 1001, 2.5, True, "20"):
        with pytest.raises(ValueError, match="gap limit") as info:
            scan_wallet(PHRASE, {}, gap_limit=bad)
        assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match="unknown standard"):
        scan_wallet(PHRASE, {}, standards=("bip99",))
