"""course.pgp.verified_text: real signatures checked with Sequoia-PGP."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.pgp import verified_text
from course.world.openpgp import clearsign, make_key

CREATED = 1_735_689_600  # 2025-01-01


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    market = make_key(b"market" * 6, "Market <ops@example.onion>", CREATED)
    other = make_key(b"other" * 7, "Phisher <x@example.onion>", CREATED)
    text = "Official mirrors:\nabc.onion\n"
    paths = {
        "signed": tmp_path / "mirrors.txt.asc",
        "market_key": tmp_path / "market.asc",
        "other_key": tmp_path / "other.asc",
        "tampered": tmp_path / "tampered.txt.asc",
    }
    signed = clearsign(market, text, CREATED)
    paths["signed"].write_text(signed)
    paths["tampered"].write_text(signed.replace("abc.onion", "abd.onion"))
    paths["market_key"].write_text(market.armored())
    paths["other_key"].write_text(other.armored())
    return paths


def test_the_signers_key_verifies_and_returns_the_text(files) -> None:
    text = verified_text(files["signed"], files["market_key"])
    assert text is not None and "abc.onion" in text


def test_another_key_does_not_verify(files) -> None:
    assert verified_text(files["signed"], files["other_key"]) is None


def test_a_changed_text_does_not_verify(files) -> None:
    assert verified_text(files["tampered"], files["market_key"]) is None


def test_a_file_that_is_not_a_key_is_a_clear_error(files, tmp_path: Path) -> None:
    junk = tmp_path / "junk.asc"
    junk.write_text("not a key")
    with pytest.raises(ValueError, match="junk.asc is not a readable OpenPGP key"):
        verified_text(files["signed"], junk)
