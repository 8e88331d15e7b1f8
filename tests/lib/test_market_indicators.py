"""Indicators with their place: hand-made text, and the saved pages of seeds 2026 and 7."""

from __future__ import annotations

import random
from html import unescape

import pytest
from market_world import SEEDS, world

from course.market.indicators import extract_indicators, indicator_table

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: BIP-173 and the bitcoin wiki's examples (valid), and the same with one character changed
P2WPKH = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
P2PKH = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"  # the Tor Project's


def test_hand_made_text() -> None:
    text = (f"Pay {P2WPKH} or {P2PKH}. Not {P2WPKH[:-1]}5, not 1{''.join(['A'] * 33)}.\n"
            f"Mirror: http://{ONION}/ - fake: {ONION[:5]}b{ONION[6:]}\n"
            "Telegram @khim_shop or t.me/khimbot2, jabber: xmpp:himik@jabb.example, "
            "himik77@jabber.example.invalid, mail ops@example.org\n"
            "Session 05" + "ab" * 32 + "\n"
            "Key 5E13 C206 0896 589F 705E  F3CA EABC B080 A15E 9B54 is not 40 hex in a row.\n"
            "Fingerprint 5e13c2060896589f705ef3caeabcb080a15e9b54.")
    found = {(i.kind, i.value): i for i in extract_indicators(text, "t.html")}
    assert set(found) == {
        ("btc_address", P2WPKH), ("btc_address", P2PKH), ("onion_address", ONION),
        ("telegram", "@khim_shop"), ("telegram", "@khimbot2"),
        ("jabber", "himik@jabb.example"), ("jabber", "himik77@jabber.example.invalid"),
        ("email", "ops@example.org"), ("session", "05" + "ab" * 32),
        ("pgp_fingerprint", "5E13C2060896589F705EF3CAEABCB080A15E9B54"),
    }
    assert found[("btc_address", P2PKH)].offset == text.index(P2PKH)
    assert found[("onion_address", ONION)].line == 2
    assert found[("session", "05" + "ab" * 32)].line == 4
    assert all(i.file == "t.html" and i.valid for i in found.values())
    rejected = [i for i in extract_indicators(text, "t.html", include_rejected=True)
                if not i.valid]
    assert {(i.kind, i.value) for i in rejected} == {
        ("btc_address", P2WPKH[:-1] + "5"), ("btc_address", "1" + "A" * 33),
        ("onion_address", ONION[:5] + "b" + ONION[6:])}


def test_random_strings_are_rejected() -> None:
    rng = random.Random(14)
    for _ in range(300):
        fake = "1" + "".join(rng.choice(B58) for _ in range(33))
        assert extract_indicators(f"pay {fake} now", "r.html") == []


def test_not_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in bytes"):
        extract_indicators(b"x", "b.html")  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", SEEDS)
def test_saved_pages(seed: int) -> None:
    w = world(seed)
    table = indicator_table(w.data / "pages", include_rejected=True)
    valid = table[table["valid"]]
    btc = valid[valid["kind"] == "btc_address"]
    assert sorted(set(btc["value"])) == sorted(w.answer("day2_valid_btc_addresses_in_page"))
    assert set(btc["file"]) == {"market_en/listing.html"}
    bad = table[(table["kind"] == "btc_address") & ~table["valid"]]
    assert len(set(bad["value"])) == 2  # the two one-character look-alikes of the page
    state = w.state["markets"]
    onions = set(valid.loc[valid["kind"] == "onion_address", "value"])
    assert onions == {state["addresses"][m]["address"] for m in ("market_ru", "market_en")}
    assert not ((table["kind"] == "onion_address") & ~table["valid"]).any()
    shown = {v.lower() for hs in state["handles"].values() for v in hs.values()}
    handles = set(valid.loc[valid["kind"].isin(["telegram", "jabber", "session"]), "value"])
    assert handles == shown
    fingerprints = {f.upper() for fs in state["pgp_fingerprints"].values() for f in fs.values()}
    keys = valid[valid["kind"] == "pgp_fingerprint"]
    assert set(keys["value"]) <= fingerprints
    target = state["pgp_fingerprints"]["vendor_target"]["market_en"].upper()
    assert len(set(keys.loc[keys["value"] == target, "file"])) == 2
    # each indicator is where it says it is in the saved file
    for row in valid.itertuples():
        text = (w.data / "pages" / row.file).read_text(encoding="utf-8")
        assert text.count("\n", 0, row.offset) + 1 == row.line
        if row.kind in ("btc_address", "onion_address", "session"):
            assert text[row.offset:row.offset + len(row.value)] == row.value
        elif row.kind == "pgp_fingerprint":
            assert unescape(text[row.offset:]).startswith("-----BEGIN PGP PUBLIC KEY BLOCK")
