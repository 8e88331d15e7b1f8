"""Hand-built OpenPGP keys and cleartext signatures, checked with pysequoia."""

from __future__ import annotations

import pysequoia
import pytest

from course.world.openpgp import (
    OpenPGPError,
    clearsign,
    crc24,
    dearmor,
    make_key,
    parse_public_key,
    verify_cleartext,
)

CREATED = 1_717_200_000  # 2024-06-01


def _key(seed: bytes = b"market-en", uid: str = "Market <pgp@market.invalid>"):
    return make_key(seed, uid, CREATED)


def test_key_parses_with_sequoia_and_fingerprints_agree() -> None:
    """Check that sequoia reads the key, its user id and the same fingerprint."""
    key = _key()
    cert = pysequoia.Cert.from_bytes(key.armored().encode())
    assert cert.fingerprint.upper() == key.fingerprint
    assert [str(u) for u in cert.user_ids] == ["Market <pgp@market.invalid>"]
    info = parse_public_key(key.armored(comment="vendor key"))
    assert info.fingerprint == key.fingerprint and info.key_id == key.fingerprint[-16:]
    assert info.user_ids == ("Market <pgp@market.invalid>",) and info.created == CREATED


def test_a_broken_self_signature_is_rejected_by_sequoia() -> None:
    """Check that sequoia really checks our self-signature (a flipped bit fails)."""
    key = _key()
    broken = bytearray(key.cert)
    broken[-3] ^= 1
    cert = pysequoia.Cert.from_bytes(bytes(broken))
    with pytest.raises(Exception, match="binding signature"):
        _ = cert.user_ids


def test_fingerprints_are_unique_and_deterministic() -> None:
    """Check that seeds give distinct fingerprints and one seed always the same bytes."""
    keys = [_key(f"seed-{i}".encode()) for i in range(20)]
    assert len({k.fingerprint for k in keys}) == 20
    assert _key(b"seed-3").armored() == keys[3].armored()
    assert _key(b"seed-3").armored() != keys[4].armored()


def test_cleartext_signature_verifies_and_tampering_fails() -> None:
    """Check a signed mirror list with sequoia and ours; a changed address fails both."""
    key = _key()
    text = "Official mirrors\n- http://aaaa.onion\nhttp://bbbb.onion  \n"
    signed = clearsign(key, text, CREATED + 86_400)
    cert = pysequoia.Cert.from_bytes(key.armored().encode())
    result = pysequoia.verify(bytes=signed.encode(), store=lambda ids: [cert])
    assert [s.certificate.upper() for s in result.valid_sigs] == [key.fingerprint]
    assert verify_cleartext(signed, key.armored())
    assert signed == clearsign(key, text, CREATED + 86_400)

    tampered = signed.replace("bbbb", "bbbc")
    assert not verify_cleartext(tampered, key.armored())
    with pytest.raises(Exception, match="no valid signatures"):
        pysequoia.verify(bytes=tampered.encode(), store=lambda ids: [cert])
    other = _key(b"clone-operator")
    assert not verify_cleartext(signed, other.armored())


def test_armor_checksum_and_errors() -> None:
    """Check the CRC-24 against RFC 4880's initial value and that bad armor is refused."""
    assert crc24(b"") == 0xB704CE
    armored = _key().armored()
    assert dearmor(armored) == _key().cert
    lines = armored.splitlines()
    lines[2] = lines[2][:-1] + ("A" if lines[2][-1] != "A" else "B")
    with pytest.raises(OpenPGPError, match="checksum"):
        dearmor("\n".join(lines))
    with pytest.raises(OpenPGPError, match="no '-----BEGIN PGP"):
        parse_public_key("hello")
