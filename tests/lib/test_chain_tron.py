"""Tron addresses against published valid and invalid sets, and against bip-utils.

Sources of the vectors
----------------------
- USDT TRC-20 contract ``TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t``: Tether's list of
  supported protocols (tether.to) and its Tronscan contract page; its hex form
  ``41a614f8...`` as Tronscan shows it (and bip-utils decodes it, checked below).
- ``TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL`` = ``418840E6...``: the example of the
  TRON developer documentation, "Accounts", address format.
- public keys and addresses, and the invalid list: bip-utils' own test vectors,
  ebellocchia/bip_utils ``tests/addr/test_trx_addr.py``.
"""

from __future__ import annotations

import pytest
from bip_utils import Bip44, Bip44Changes, Bip44Coins, TrxAddrDecoder, TrxAddrEncoder

from course.chain import tron as T
from course.messages import t

# (base58, hex): published pairs
KNOWN_PAIRS = [
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "41a614f803b6fd780986a42c78ec9c7f77e6ded13c"),
    ("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "418840e6c55b9ada326d211d818c34a994aeced808"),
]

# bip_utils tests/addr/test_trx_addr.py TEST_VECT: (compressed public key, account id, address)
BIP_UTILS_VECTORS = [
    ("033d77bf3f63edd7aad3163c6f04eb48e968a76c3043def375c21a8414675e11ae",
     "2b6e3782fbedade9e4c05078f46a9e29841f0bbe", "TDvr6Jpwfp1wDiV7PhaB19YMsMHRSXmY7p"),
    ("03436c3e77f7738dcbfc2cfbb6e12e1509979cde41f216eed86c82ab661b5b3fc0",
     "e9e9d3001799a9fa785bed8cf3a7995e8aebb8bd", "TXJ2Z9VAwDpQ4W6zwTpXxRUpwFVDetPQuC"),
    ("02f6cd3a2761360cd7e8c183aca501ee0ce0e42fc270a68aafd153dd06c857a8c4",
     "8ae776b9997f92f90a25a156423918e751496db5", "TNdfXv6WTTyS2ohkTu8YA62WmLTNWqK46i"),
    ("0360e11323f918ade5a53bd5ac7171712f019f62e9ad8e0e18ec2b8ca01d4daba4",
     "386fd4b1ad845ca6495e45544acf2b32f25f45d2", "TF7cowibxyJdMyGtjP2yP7oyN5ZmSMPnWd"),
    ("034767fb943ddb893377754ba71e4f82ec15134c7fe4240529d3d0ff473650b210",
     "f616473322599b7cb664e438e7264dbb06996336", "TYQPvAG6AuzQed8RPuH62pcbZBKj9TkPk1"),
]

# bip_utils tests/addr/test_trx_addr.py TEST_VECT_DEC_INVALID, with the part each breaks
BIP_UTILS_INVALID = [
    ("T94nw3xoTjXXqBzLNUwmYhLovg4nNVZKB6", T.VERSION_PART),
    ("TLc6WnRN9DxA4uygPrHGr9A1DhVMxx2w45", T.CHECKSUM_PART),
    ("6w9cP3taF7zAsCtmViHprBoiiK68GnrsC", T.LENGTH_PART),
    ("319DKUdrbDY8tXmD2xWfQW5aJ3akX7ytypnG", T.LENGTH_PART),
]


@pytest.mark.parametrize(("b58", "hex_form"), KNOWN_PAIRS)
def test_published_pairs_convert_both_ways(b58, hex_form):
    assert T.is_valid_tron_address(b58)
    assert T.tron_base58_to_hex(b58) == hex_form
    assert T.tron_hex_to_base58(hex_form) == b58
    assert T.tron_hex_to_base58(hex_form.upper()) == b58
    assert T.tron_hex_to_base58("0x" + hex_form) == b58
    # the independent library agrees (it returns the account id without 0x41)
    assert TrxAddrDecoder.DecodeAddr(b58).hex() == hex_form[2:]


@pytest.mark.parametrize(("pubkey", "account_id", "address"), BIP_UTILS_VECTORS)
def test_bip_utils_vectors(pubkey, account_id, address):
    assert T.tron_address_from_pubkey(bytes.fromhex(pubkey)) == address
    assert T.tron_address_from_account_id(bytes.fromhex(account_id)) == address
    assert T.tron_base58_to_hex(address) == "41" + account_id
    verdict = T.check_tron_address(address)
    assert (verdict.valid, verdict.part, verdict.hex) == (True, None, "41" + account_id)


@pytest.mark.parametrize(("text", "part"), BIP_UTILS_INVALID)
def test_bip_utils_invalid_list_names_the_part(text, part):
    verdict = T.check_tron_address(text)
    assert not verdict.valid
    assert verdict.part == part
    with pytest.raises(T.TronAddressError, match=text):
        T.decode_tron_address(text)
    with pytest.raises(ValueError):  # the independent library rejects them too
        TrxAddrDecoder.DecodeAddr(text)


def test_every_single_character_typo_of_usdt_is_caught():
    usdt = T.USDT_CONTRACT
    caught = 0
    for i in range(1, len(usdt)):
        for ch in "23456789ABCabc":
            if ch == usdt[i]:
                continue
            typo = usdt[:i] + ch + usdt[i + 1:]
            verdict = T.check_tron_address(typo)
            assert not verdict.valid, typo
            assert verdict.part in (T.CHECKSUM_PART, T.VERSION_PART)
            caught += 1
    assert caught > 400


def test_reasons_say_what_is_wrong():
    usdt = T.USDT_CONTRACT
    assert T.check_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6a").part == T.CHECKSUM_PART
    short = T.check_tron_address(usdt[:-1])
    assert short.part == T.LENGTH_PART and "33" in short.reason and "34" in short.reason
    long_ = T.check_tron_address(usdt + "1")
    assert long_.part == T.LENGTH_PART
    bad_chars = T.check_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0O")
    assert bad_chars.part == T.ALPHABET_PART and "'0'" in bad_chars.reason
    assert T.check_tron_address("").part == T.ALPHABET_PART
    # a bitcoin address has the right alphabet and length but version 0x00
    btc = T.check_tron_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
    assert btc.part == T.VERSION_PART and "0x00" in btc.reason
    assert T.check_tron_address("  " + usdt + "\n").valid
    assert T.check_tron_address(usdt).reason == t("chain.tron.valid")


def test_russian_reason(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert "Контрольная сумма" in T.check_tron_address("TLc6WnRN9DxA4uygPrHGr9A1DhVMxx2w45").reason


def test_hex_errors_are_one_line():
    for bad, word in (("41zz", "hexadecimal"), ("41" + "00" * 19, "21 bytes"),
                      ("00a614f803b6fd780986a42c78ec9c7f77e6ded13c", "0x41")):
        with pytest.raises(T.TronAddressError, match=word) as info:
            T.tron_hex_to_base58(bad)
        assert "\n" not in str(info.value)
    with pytest.raises(T.TronAddressError):
        T.tron_address_from_pubkey(b"\x05" * 33)
    with pytest.raises(T.TronAddressError):
        T.tron_address_from_account_id(b"\x00" * 19)
    assert T.looks_like_tron_hex("41a614f803b6fd780986a42c78ec9c7f77e6ded13c")
    assert not T.looks_like_tron_hex("42a614f803b6fd780986a42c78ec9c7f77e6ded13c")


def test_extract_keeps_valid_and_drops_look_alikes():
    text = (
        "usdt trc20: TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL, old TLc6WnRN9DxA4uygPrHGr9A1DhVMxx2w45;\n"
        "contract TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t and again TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL\n"
        "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 longer XTNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"
    )
    assert T.extract_tron_addresses(text) == [
        "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]


def test_addresses_from_a_bip44_tron_wallet():
    """Keys derived by bip-utils (m/44'/195'/0'/0/i): our address equals bip-utils' encoder."""
    wallet = Bip44.FromSeed(bytes(range(64)), Bip44Coins.TRON).Purpose().Coin().Account(0)
    chain = wallet.Change(Bip44Changes.CHAIN_EXT)
    for i in range(5):
        pub = chain.AddressIndex(i).PublicKey()
        expected = TrxAddrEncoder.EncodeKey(pub.RawCompressed().ToBytes())
        assert T.tron_address_from_pubkey(pub.RawCompressed().ToBytes()) == expected
        assert T.tron_address_from_pubkey(pub.RawUncompressed().ToBytes()) == expected
