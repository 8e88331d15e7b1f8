"""The teaching v3 onion address code, checked against stem's implementation."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3 as StemHS

from course.tor import onion

KEYS = [random.Random(i).randbytes(32) for i in range(40)]


@pytest.mark.parametrize("key", KEYS[:20])
def test_address_matches_stem(key: bytes) -> None:
    """Check address_from_key gives stem's address for the same key."""
    assert onion.address_from_key(key) == StemHS.address_from_identity_key(key)


def test_checksum_is_the_sha3_rule() -> None:
    """Check the checksum is the first two bytes of SHA3-256 over prefix, key, version."""
    import hashlib

    key = KEYS[0]
    expected = hashlib.sha3_256(b".onion checksum" + key + b"\x03").digest()[:2]
    assert onion.onion_checksum(key) == expected
    assert onion.onion_checksum(key, version=4) != expected


@pytest.mark.parametrize("key", KEYS[20:])
def test_split_address_inverts_and_matches_stem(key: bytes) -> None:
    """Check splitting an address returns stem's identity key, its checksum and 3."""
    address = StemHS.address_from_identity_key(key)
    parts = onion.split_address(address)
    assert parts.public_key == key == StemHS.identity_key_from_address(address)
    assert parts.version == 3 and parts.checksum_ok
    assert parts.checksum == onion.onion_checksum(key)


def test_accepts_key_objects_hex_and_urls() -> None:
    """Check a cryptography key, hex text and an http:// form all work."""
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = private.public_key()
    address = onion.address_from_key(public)
    assert address == StemHS.address_from_identity_key(public.public_bytes_raw())
    assert onion.address_from_key(public.public_bytes_raw().hex()) == address
    assert onion.is_valid_address(f"http://{address.upper()}/")
    assert address.endswith("d.onion") and len(address) == 62


def test_validation_reasons() -> None:
    """Check each kind of bad address is rejected with the reason, like stem."""
    good = onion.address_from_key(KEYS[1])
    assert onion.check_address(good).valid and "checksum OK" in onion.check_address(good).reason
    typo = good[:10] + ("a" if good[10] != "a" else "b") + good[11:]
    verdict = onion.check_address(typo)
    assert not verdict and "checksum" in verdict.reason and "mistyped or forged" in verdict.reason
    with pytest.raises(ValueError):
        StemHS.identity_key_from_address(typo)
    short = onion.check_address(good[:50] + ".onion")
    assert not short.valid and "50 characters" in short.reason
    bad_char = onion.check_address(good[:5] + "1" + good[6:])
    assert not bad_char.valid and "'1'" in bad_char.reason
    parts = onion.split_address(good)
    import base64

    v4 = base64.b32encode(parts.public_key + parts.checksum + b"\x04").decode().lower()
    assert "version byte 4" in onion.check_address(v4).reason
    assert not onion.check_address(None).valid  # type: ignore[arg-type]


def test_stem_and_teaching_code_agree_on_validity() -> None:
    """Check on random mutations that the teaching validator agrees with stem."""
    rng = random.Random(5)
    for key in KEYS:
        address = onion.address_from_key(key)
        chars = list(address[:56])
        chars[rng.randrange(56)] = rng.choice(onion.BASE32_ALPHABET)
        mutated = "".join(chars) + ".onion"
        try:
            StemHS.identity_key_from_address(mutated)
            stem_ok = True
        except ValueError:
            stem_ok = False
        assert onion.is_valid_address(mutated) == stem_ok


def test_bad_keys_give_one_line_messages() -> None:
    """Check bad keys raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match="32 bytes long, got 31 bytes"):
        onion.address_from_key(bytes(31))
    with pytest.raises(ValueError, match="not a hex-encoded key"):
        onion.address_from_key("zz" * 32)
    with pytest.raises(ValueError, match="got a int"):
        onion.address_from_key(12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be text"):
        onion.split_address(b"abc")  # type: ignore[arg-type]


def test_public_key_file(tmp_path) -> None:
    """Check Tor's hs_ed25519_public_key format is read, and other files refused."""
    key = KEYS[2]
    path = tmp_path / "hs_ed25519_public_key"
    path.write_bytes(onion.PUBLIC_KEY_FILE_HEADER + key)
    assert onion.read_public_key_file(path) == key
    assert onion.read_public_key_file(path.read_bytes()) == key
    with pytest.raises(ValueError, match="not Tor's hs_ed25519_public_key file"):
        onion.read_public_key_file(key)
    with pytest.raises(ValueError, match="Data file not found"):
        onion.read_public_key_file(tmp_path / "missing")


def test_shared_prefix() -> None:
    """Check the lookalike measure counts the common leading characters."""
    assert onion.shared_prefix("abcdef.onion", "abcxyz.onion") == 3
    assert onion.shared_prefix("abc.onion", "xbc.onion") == 0


def test_classify_candidates_finds_the_clones() -> None:
    """Check the world's candidates sort into exactly the genuine, typo and lookalike sets."""
    import csv
    import io

    from course.world import tor as world_tor
    from course.world.context import WorldContext

    ctx = WorldContext(seed=2026)
    world_tor.generate(ctx)
    rows = csv.DictReader(io.StringIO(
        ctx.files[(world_tor.ASSIGNMENT, world_tor.CANDIDATES_FILE)].decode()))
    candidates = [r["address"] for r in rows]
    official = [a for f in ctx.state["onion"].values() for a in (f["address"], *f["mirrors"])]
    table = onion.classify_candidates(candidates, official)
    unverified = set(table.loc[~table["listed"], "address"])
    assert unverified == set(ctx.answers["day1_unverified_addresses"]["value"])
    assert set(table.loc[table["valid"], "address"]) == set(
        ctx.answers["day1_valid_addresses"]["value"])
    truth = ctx.truth["tor"]["onion"]
    verdicts = dict(zip(table["address"], table["verdict"], strict=True))
    assert all(verdicts[a].startswith("unverified: the checksum fails")
               for a in truth["typo_clones"])
    assert all(verdicts[a].startswith("unverified, likely phishing")
               for a in truth["lookalike_clones"])
    assert all(verdicts[a].startswith("verified") for a in official)
    prefixes = table.set_index("address").loc[truth["lookalike_clones"], "shared_prefix"]
    assert prefixes.between(5, 8).all()  # as vanity tools make them
    with pytest.raises(ValueError, match="list of text"):
        onion.classify_candidates(candidates[0], official)


def test_two_shared_characters_are_chance_not_a_lookalike() -> None:
    """Check a valid unlisted address sharing only 2 (or 3) leading characters is
    'unverified', not 'likely phishing': 2 characters match once in 1,024 pairs."""
    official = onion.address_from_key(KEYS[3])
    rng = random.Random(11)
    hits = {2: 0, 4: 0}
    found: dict[int, str] = {}
    for _ in range(60_000):
        address = onion.address_from_key(rng.randbytes(32))
        n = onion.shared_prefix(address, official)
        if n >= 2:
            hits[2] += 1
            found.setdefault(n, address)
        if n >= 4:
            hits[4] += 1
    assert 30 <= hits[2] <= 90  # about 60,000 / 1,024 = 59 by chance
    assert hits[4] <= 1  # about 60,000 / 1,048,576
    table = onion.classify_candidates([found[2]], [official])
    assert table["verdict"].iloc[0].startswith("unverified: a valid address")
    assert onion.LOOKALIKE_PREFIX == 4


def test_address_parts_are_bytes_with_a_one_byte_version() -> None:
    """Check address_parts gives bytes: the version is b'\\x03', never equal to 3."""
    address = onion.address_from_key(KEYS[4])
    key, checksum, version = onion.address_parts(address)
    assert (key, checksum) == (KEYS[4], onion.onion_checksum(KEYS[4]))
    assert version == b"\x03" and version != 3


def test_find_addresses_in_text() -> None:
    """Check addresses are found once each, in order, in any case; others ignored."""
    a, b = onion.address_from_key(KEYS[5]), onion.address_from_key(KEYS[6])
    text = f"Mirrors:\n{a}\nhttp://{b.upper()}/login\n{a}\nnot an address: abc.onion"
    assert onion.find_addresses(text) == [a, b]
    assert onion.find_addresses("") == []
    with pytest.raises(ValueError, match="must be text"):
        onion.find_addresses(None)  # type: ignore[arg-type]


def test_secret_key_proves_control_the_public_file_does_not(tmp_path) -> None:
    """Check the public key derived (with stem) from Tor's expanded secret key
    equals cryptography's public key of the same seed; and that a public key
    file can be written from any address alone."""
    from course.world.tor.onions import secret_key_file

    for seed in KEYS[:8]:
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        path = tmp_path / "hs_ed25519_secret_key"
        path.write_bytes(secret_key_file(seed))
        secret = onion.read_secret_key_file(path)
        assert len(secret) == 64
        assert onion.public_key_from_secret_key(secret) == public
    other = Ed25519PrivateKey.from_private_bytes(KEYS[9]).public_key().public_bytes_raw()
    assert onion.public_key_from_secret_key(onion.read_secret_key_file(path)) != other
    address = onion.address_from_key(other)
    forged = onion.public_key_file(onion.split_address(address).public_key)
    assert onion.read_public_key_file(forged) == other  # anyone can write this file


def test_secret_key_bad_input() -> None:
    """Check the secret-key readers refuse other files and lengths in one line."""
    with pytest.raises(ValueError, match="not Tor's hs_ed25519_secret_key file"):
        onion.read_secret_key_file(onion.PUBLIC_KEY_FILE_HEADER + bytes(32))
    with pytest.raises(ValueError, match="64 bytes long .* got 32"):
        onion.public_key_from_secret_key(bytes(32))
    with pytest.raises(ValueError, match="got str"):
        onion.public_key_from_secret_key("00" * 64)  # type: ignore[arg-type]
