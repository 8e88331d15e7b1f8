"""The teaching address codecs against bip-utils; typos, scripts and free text."""

from __future__ import annotations

import hashlib

import pytest
from bip_utils import Base58Decoder as BuBase58Decoder
from bip_utils import Base58Encoder as BuBase58Encoder
from bip_utils import (
    P2PKHAddrDecoder,
    P2PKHAddrEncoder,
    P2SHAddrEncoder,
    P2TRAddrDecoder,
    P2WPKHAddrEncoder,
    Secp256k1PrivateKey,
)

from course.chain import addresses as A
from course.chain.base58 import Base58Error, b58check_decode, b58decode, b58encode
from course.chain.bech32 import Bech32Error, bech32_decode, segwit_decode

# The BIP173/BIP350 vector lists are checked in test_chain_bech32_vectors.py.


def test_bech32_rejects_mixed_case_and_bad_checksum():
    with pytest.raises(Bech32Error):
        bech32_decode("bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    with pytest.raises(Bech32Error):
        segwit_decode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")


def test_base58_against_bip_utils():
    for n in range(40):
        data = bytes([0] * (n % 3)) + hashlib.sha256(bytes([n])).digest()[: n % 25 + 1]
        assert b58encode(data) == BuBase58Encoder.Encode(data)
        assert b58decode(b58encode(data)) == data
        assert BuBase58Decoder.Decode(b58encode(data)) == data


def test_base58check_catches_a_typo():
    address = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    assert b58check_decode(address)[0] == 0
    with pytest.raises(Base58Error):
        b58check_decode("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")
    with pytest.raises(Base58Error):
        b58decode("10OIl")


def _keys(n):
    return [
        Secp256k1PrivateKey.FromBytes(hashlib.sha256(b"k%d" % i).digest()).PublicKey()
        for i in range(n)
    ]


def test_addresses_from_keys_match_bip_utils():
    for pub in _keys(25):
        raw = pub.RawCompressed().ToBytes()
        assert A.p2pkh_address(raw) == P2PKHAddrEncoder.EncodeKey(pub, net_ver=b"\x00")
        assert A.p2sh_p2wpkh_address(raw) == P2SHAddrEncoder.EncodeKey(pub, net_ver=b"\x05")
        assert A.p2wpkh_address(raw) == P2WPKHAddrEncoder.EncodeKey(pub, hrp="bc", wit_ver=0)
        assert A.classify_address(A.p2pkh_address(raw)) == A.P2PKH
        assert A.classify_address(A.p2sh_p2wpkh_address(raw)) == A.P2SH
        assert A.classify_address(A.p2wpkh_address(raw)) == A.P2WPKH
        program = raw[1:]
        taproot = A.p2tr_address(program)
        assert P2TRAddrDecoder.DecodeAddr(taproot, hrp="bc") == program
        assert A.classify_address(taproot) == A.P2TR


def test_script_roundtrip_and_types():
    for pub in _keys(5):
        raw = pub.RawCompressed().ToBytes()
        for address in (
            A.p2pkh_address(raw),
            A.p2sh_p2wpkh_address(raw),
            A.p2wpkh_address(raw),
            A.p2tr_address(raw[1:]),
        ):
            script = A.script_pubkey(address)
            assert A.address_from_script(script) == address
            assert A.script_type(script) == A.classify_address(address)
    assert A.script_type(b"\x6a\x04abcd") == "nulldata"
    assert A.address_from_script(b"\x6a") is None


def test_other_networks_and_coins_are_not_bitcoin_mainnet():
    testnet = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
    tron_like = P2PKHAddrEncoder.EncodeKey(_keys(1)[0], net_ver=b"\x41")
    assert P2PKHAddrDecoder.DecodeAddr(tron_like, net_ver=b"\x41")
    for text in (testnet, tron_like, "0x" + "ab" * 20, ""):
        assert not A.is_valid_address(text)


def test_extract_addresses_keeps_only_valid_ones_in_order():
    good = [A.p2wpkh_address(k.RawCompressed().ToBytes()) for k in _keys(2)]
    legacy = A.p2pkh_address(_keys(3)[2].RawCompressed().ToBytes())
    typo = good[0][:-1] + ("q" if good[0][-1] != "q" else "p")
    text = f"pay {good[1]}, old {typo}; legacy:{legacy}\n again {good[1]} and {good[0]}."
    assert A.extract_addresses(text) == [good[1], legacy, good[0]]
