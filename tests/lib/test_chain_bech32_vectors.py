"""Bech32, bech32m and segwit addresses against every test vector of BIP173 and BIP350.

The vectors are in ``data/bech32_vectors.json``, copied verbatim from the
"Test vectors" sections of bip-0173.mediawiki and bip-0350.mediawiki (the
file names the bitcoin/bips commit). BIP350 supersedes BIP173 for witness
versions 1-16: BIP173's valid v1+ addresses use bech32 and must now fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bip_utils import SegwitBech32Decoder

from course.chain import addresses as A
from course.chain.bech32 import (
    Bech32Error,
    Variant,
    bech32_decode,
    bech32_encode,
    segwit_decode,
    segwit_encode,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "bech32_vectors.json").read_text())
HRPS = ("bc", "tb")


def _decode_any_network(address: str) -> tuple[str, int, bytes]:
    """Decode with the hrp the address claims (mainnet or testnet), as the BIPs' tests do."""
    for hrp in HRPS:
        try:
            return (hrp, *segwit_decode(hrp, address))
        except Bech32Error:
            continue
    raise Bech32Error(f"{address!r} is not a valid bc/tb segwit address")


def _script(version: int, program: bytes) -> str:
    return (bytes([0x50 + version if version else 0, len(program)]) + program).hex()


def test_the_fixture_is_complete() -> None:
    """Check that the fixture holds every list of both BIPs, with its source named."""
    assert "bitcoin/bips" in VECTORS["source"]
    sizes = {k: len(v) for k, v in VECTORS.items() if isinstance(v, list)}
    assert sizes == {
        "bip173_valid_bech32": 7, "bip173_invalid_bech32": 12, "bip173_valid_v0": 3,
        "bip173_superseded_v1plus": 3, "bip173_invalid_addresses": 10,
        "bip350_valid_bech32m": 7, "bip350_invalid_bech32m": 14,
        "bip350_valid_addresses": 8, "bip350_invalid_addresses": 15,
    }


@pytest.mark.parametrize(
    ("text", "variant"),
    [(s, Variant.BECH32) for s in VECTORS["bip173_valid_bech32"]]
    + [(s, Variant.BECH32M) for s in VECTORS["bip350_valid_bech32m"]],
)
def test_valid_strings_decode_with_their_variant(text: str, variant: Variant) -> None:
    """Check that each valid string decodes, with the right variant, and re-encodes."""
    hrp, data, got = bech32_decode(text)
    assert got is variant
    assert bech32_encode(hrp, data, variant) == text.lower()
    # no string is valid in both variants (BIP350): re-encoding in the other one differs
    other = Variant.BECH32M if variant is Variant.BECH32 else Variant.BECH32
    assert bech32_encode(hrp, data, other) != text.lower()


@pytest.mark.parametrize(
    "case",
    VECTORS["bip173_invalid_bech32"] + VECTORS["bip350_invalid_bech32m"],
    ids=lambda c: c["reason"],
)
def test_invalid_strings_are_refused(case: dict[str, str]) -> None:
    """Check that each invalid bech32/bech32m string is refused with a Bech32Error."""
    with pytest.raises(Bech32Error):
        bech32_decode(case["string"])


@pytest.mark.parametrize(
    "case",
    VECTORS["bip173_valid_v0"] + VECTORS["bip350_valid_addresses"],
    ids=lambda c: c["address"][:14],
)
def test_valid_addresses_give_their_script(case: dict[str, str]) -> None:
    """Check that each valid address decodes to its scriptPubKey and re-encodes."""
    hrp, version, program = _decode_any_network(case["address"])
    assert _script(version, program) == case["script_pubkey"]
    assert segwit_encode(hrp, version, program) == case["address"].lower()


@pytest.mark.parametrize(
    "case",
    VECTORS["bip173_invalid_addresses"]
    + VECTORS["bip350_invalid_addresses"]
    + [
        {"address": c["address"], "reason": "v1+ in bech32 (valid in BIP173, not since BIP350)"}
        for c in VECTORS["bip173_superseded_v1plus"]
    ],
    ids=lambda c: c["reason"],
)
def test_invalid_addresses_are_refused(case: dict[str, str]) -> None:
    """Check that each invalid address fails on both networks and is no mainnet address."""
    with pytest.raises(Bech32Error):
        _decode_any_network(case["address"])
    assert A.classify_address(case["address"]) is None


@pytest.mark.parametrize(
    "case",
    [c for c in VECTORS["bip350_valid_addresses"] if c["address"].lower().startswith("bc1")],
    ids=lambda c: c["address"][:14],
)
def test_every_valid_mainnet_vector_is_a_valid_recipient(case: dict[str, str]) -> None:
    """Check that every witness version is a valid recipient, as BIP350 asks."""
    address = case["address"]
    assert A.is_valid_address(address)
    assert A.script_pubkey(address).hex() == case["script_pubkey"]
    assert A.address_from_script(A.script_pubkey(address)) == address.lower()
    assert A.extract_addresses(f"pay to {address} today") == [address]
    version, program = SegwitBech32Decoder.Decode("bc", address)  # an independent decoder
    assert _script(version, program) == case["script_pubkey"]


def test_future_versions_are_witness_unknown() -> None:
    """Check the type of v2-v16 and of v1 programs that are not 32 bytes (BIP350)."""
    assert A.classify_address("BC1SW50QGDZ25J") == A.WITNESS_UNKNOWN  # v16, 2 bytes
    assert A.classify_address("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs") == A.WITNESS_UNKNOWN  # v2
    v1_20 = segwit_encode("bc", 1, bytes(range(20)))
    assert A.classify_address(v1_20) == A.WITNESS_UNKNOWN
    assert A.script_type(A.script_pubkey(v1_20)) == A.WITNESS_UNKNOWN
    assert A.classify_address(segwit_encode("bc", 1, bytes(range(32)))) == A.P2TR
    assert A.decode_address("BC1SW50QGDZ25J").payload == bytes([16]) + bytes.fromhex("751e")


def test_the_insertion_weakness_bech32m_fixes() -> None:
    """Check BIP350's reason for bech32m: 'q's inserted before a final 'p'.

    A bech32 string ending in 'p' stays valid when 'q' is inserted just before
    that 'p'; the same data in bech32m is refused.
    """
    found = 0
    for n in range(200):
        data = [(n * 7 + i * 13) % 32 for i in range(n % 20 + 4)]
        weak = bech32_encode("bc", data, Variant.BECH32)
        if not weak.endswith("p"):
            continue
        found += 1
        mangled = weak[:-1] + "qq" + weak[-1]
        assert bech32_decode(mangled)[2] is Variant.BECH32  # still "valid": the weakness
        strong = bech32_encode("bc", data, Variant.BECH32M)
        if strong.endswith("p"):
            with pytest.raises(Bech32Error):
                bech32_decode(strong[:-1] + "qq" + strong[-1])
        for m in (1, 2):  # bech32m refuses them (a chance of about 2**-30 to pass)
            with pytest.raises(Bech32Error):
                bech32_decode(strong[:-1] + "q" * m + strong[-1])
    assert found >= 3
