"""The address inspector against published lists: BIP350's valid and invalid
addresses (with the part each breaks), EIP-55's examples, Tron's, and typos."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from bip_utils import P2PKHAddrEncoder, P2SHAddrEncoder, Secp256k1PrivateKey

from course.chain.base58 import ALPHABET
from course.chain.inspect import BECH32_CHARSET, eip55, inspect_address

VECTORS = json.loads((Path(__file__).parent / "data" / "bech32_vectors.json").read_text())

# BIP350's reason for each invalid address -> the part the inspector must blame
PART_OF_REASON = {
    "Invalid human-readable part": "prefix",
    "Invalid checksum (Bech32 instead of Bech32m)": "variant",
    "Invalid checksum (Bech32m instead of Bech32)": "variant",
    "Invalid character in checksum": "alphabet",
    "Invalid witness version": "version",
    "Invalid program length (1 byte)": "length",
    "Invalid program length (41 bytes)": "length",
    "Invalid program length for witness version 0 (per BIP141)": "length",
    "Mixed case": "case",
    "zero padding of more than 4 bits": "length",
    "Non-zero padding in 8-to-5 conversion": "length",
    "Empty data section": "length",
}

# EIP-55 (eips.ethereum.org/EIPS/eip-55), "Test Cases": all caps, all lower, normal
EIP55 = [
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


@pytest.mark.parametrize("case", VECTORS["bip350_valid_addresses"], ids=lambda c: c["address"][:14])
def test_bip350_valid_addresses(case: dict) -> None:
    v = inspect_address(case["address"])
    assert v.valid and v.part is None and v.coin == "bitcoin"
    assert v.network == {"bc": "mainnet", "tb": "testnet"}[case["address"][:2].lower()]
    version = case["script_pubkey"][:2]
    assert v.encoding == ("bech32" if version == "00" else "bech32m")


@pytest.mark.parametrize("case", VECTORS["bip350_invalid_addresses"],
                         ids=lambda c: c["reason"][:30])
def test_bip350_invalid_addresses_name_the_part(case: dict) -> None:
    v = inspect_address(case["address"])
    assert not v.valid
    assert v.part == PART_OF_REASON[case["reason"]]


def test_every_published_reason_is_mapped() -> None:
    assert {c["reason"] for c in VECTORS["bip350_invalid_addresses"]} <= set(PART_OF_REASON)


@pytest.mark.parametrize("address", EIP55)
def test_eip55_examples(address: str) -> None:
    v = inspect_address(address)
    assert v.valid and v.coin == "ethereum" and v.payload_hex == address[2:].lower()
    mixed = address[2:] not in (address[2:].lower(), address[2:].upper())
    if mixed:
        assert eip55(address) == address
        flipped = address[:-1] + address[-1].swapcase() if address[-1].isalpha() else (
            address[:2] + address[2].swapcase() + address[3:])
        assert inspect_address(flipped).part == "checksum"
    else:
        assert "no checksum" in v.reason


def _legacy_addresses() -> list[tuple[str, str]]:
    keys = [Secp256k1PrivateKey.FromBytes(bytes([i]) * 32).PublicKey() for i in range(1, 4)]
    out = [(P2PKHAddrEncoder.EncodeKey(k, net_ver=b"\x00"), "p2pkh") for k in keys]
    out += [(P2SHAddrEncoder.EncodeKey(k, net_ver=b"\x05"), "p2sh") for k in keys]
    return out


def test_base58_types_and_networks() -> None:
    for address, kind in _legacy_addresses():
        v = inspect_address(address)
        assert (v.valid, v.coin, v.type, v.network) == (True, "bitcoin", kind, "mainnet")
    genesis = inspect_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")  # the genesis block's address
    assert genesis.valid and genesis.payload_hex == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"
    tron = inspect_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")  # the USDT contract on Tron
    assert (tron.valid, tron.coin, tron.payload_hex[:2]) == (True, "tron", "41")
    assert inspect_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0").part == "alphabet"
    assert inspect_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf").part == "length"


def test_single_typos_are_located() -> None:
    rng = random.Random(3)
    valid = [a for a, _ in _legacy_addresses()] + ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]
    valid += [c["address"].lower() for c in VECTORS["bip350_valid_addresses"]
              if c["address"][:3].lower() == "bc1"]
    located = 0
    for address in valid:
        for _ in range(6):
            bech = address.startswith("bc1")
            i = rng.randrange(4 if bech else 1, len(address))
            alphabet = BECH32_CHARSET if bech else ALPHABET
            typo = address[:i] + rng.choice(alphabet.replace(address[i], "")) + address[i + 1:]
            v = inspect_address(typo)
            assert not v.valid, typo
            if v.part == "checksum" and v.position is not None:
                assert v.position == i + 1 and v.suggestion == address
                located += 1
    assert located >= 0.9 * 6 * len(valid)


def test_other_coins_and_garbage() -> None:
    assert inspect_address("").part == "empty"
    assert inspect_address("hello world").part == "format"
    assert inspect_address("0x" + "ab" * 19).part == "length"
    v = inspect_address("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn")  # testnet P2PKH
    assert (v.valid, v.network) == (True, "testnet")
    assert inspect_address(" bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n").valid
    assert inspect_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").to_dict()["type"] == (
        "p2wpkh")


def test_russian_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert "Контрольная сумма" in inspect_address(
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").reason
    assert "действителен" in inspect_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").reason
