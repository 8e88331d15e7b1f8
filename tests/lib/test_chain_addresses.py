"""The teaching address codecs against the BIP173/BIP350 vectors and bip-utils."""

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
from course.chain.bech32 import Bech32Error, bech32_decode, segwit_decode, segwit_encode

# BIP350 (which supersedes BIP173 for v1+): valid segwit addresses -> scriptPubKey
VALID_SEGWIT = [
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
    (
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    ("BC1SW50QGDZ25J", "6002751e"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ),
]
# BIP350 invalid addresses (mainnet ones; wrong variant, bad padding, bad lengths ...)
INVALID_SEGWIT = [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # v1 with bech32
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  # v16 with bech32
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # v0 with bech32m
    "bc130xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq7zws8r",  # version 17
    "bc1pw5dgrnzv",  # program too short
    "bc1r0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5s9lj0",  # bad
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # invalid program length for v0
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # zero padding > 4 bits
    "bc1gmk9yu",  # empty data
]


def test_bip350_valid_vectors_decode_to_their_scripts():
    for address, script_hex in VALID_SEGWIT:
        version, program = segwit_decode("bc", address)
        op = 0 if version == 0 else 0x50 + version
        assert (bytes([op, len(program)]) + program).hex() == script_hex
        assert segwit_encode("bc", version, program) == address.lower()


@pytest.mark.parametrize("address", INVALID_SEGWIT)
def test_bip350_invalid_vectors_are_refused(address):
    with pytest.raises(Bech32Error):
        segwit_decode("bc", address)
    assert A.classify_address(address) is None


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
