"""The Day 1 Tor world: a consensus stem accepts, coherent onion services,
answers that follow from the files, and determinism."""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest
import stem.descriptor
from stem.descriptor import DocumentHandler
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3
from stem.descriptor.networkstatus import NetworkStatusDocumentV3

from course.grading.compare import matches
from course.world import cast
from course.world import tor as world_tor
from course.world.context import WorldContext

A = world_tor.ASSIGNMENT


def build(seed: int) -> WorldContext:
    ctx = WorldContext(seed=seed)
    world_tor.generate(ctx)
    return ctx


@pytest.fixture(scope="module")
def ctx() -> WorldContext:
    return build(2026)


@pytest.fixture(scope="module")
def doc(ctx: WorldContext) -> NetworkStatusDocumentV3:
    return NetworkStatusDocumentV3(ctx.files[(A, world_tor.CONSENSUS_FILE)], validate=True)


def text(ctx: WorldContext, relpath: str) -> str:
    return ctx.files[(A, relpath)].decode("utf-8")


def is_valid_onion(address: str) -> bool:
    try:
        HiddenServiceDescriptorV3.identity_key_from_address(address)
    except ValueError:
        return False
    return True


# --- the consensus ---------------------------------------------------------


def test_stem_parses_the_consensus_file_with_validation(ctx: WorldContext, tmp_path: Path) -> None:
    """Check that stem reads the file by its Tor name, validating every part."""
    path = tmp_path / "cached-consensus"
    path.write_bytes(ctx.files[(A, world_tor.CONSENSUS_FILE)])
    entries = list(stem.descriptor.parse_file(str(path), validate=True))
    assert 300 <= len(entries) <= 400
    (document,) = stem.descriptor.parse_file(
        str(path), validate=True, document_handler=DocumentHandler.DOCUMENT
    )
    assert len(document.routers) == len(entries)
    assert document.is_consensus and document.consensus_method == 34
    assert len(document.directory_authorities) == len(document.signatures) == 4


def test_signatures_verify_against_the_certificates(ctx: WorldContext, doc) -> None:
    """Check that the authorities' RSA signatures are real, and a wrong key fails."""
    certs_text = ctx.files[(A, world_tor.CERTS_FILE)]
    certs = list(stem.descriptor.parse_file(io.BytesIO(certs_text), "dir-key-certificate-3 1.0",
                                            validate=True))
    assert {c.fingerprint for c in certs} == {s.identity for s in doc.signatures}
    doc.validate_signatures(certs)  # raises if not valid
    other = list(stem.descriptor.parse_file(
        io.BytesIO(build(99).files[(A, world_tor.CERTS_FILE)]), "dir-key-certificate-3 1.0"))
    for cert, wrong in zip(certs, other, strict=True):
        cert.signing_key = wrong.signing_key
    with pytest.raises(ValueError):
        doc.validate_signatures(certs)


def test_relays_have_realistic_identities(doc) -> None:
    """Check nicknames are unique, addresses public IPv4 and ports plausible."""
    routers = list(doc.routers.values())
    assert len({r.nickname.lower() for r in routers}) == len(routers)
    assert len({r.address for r in routers}) == len(routers)
    for r in routers:
        first = int(r.address.split(".")[0])
        assert first not in (0, 10, 127, 172, 192) and first < 224
        assert 1 <= r.or_port <= 65535 and r.bandwidth > 0
        assert "Running" in r.flags and "Valid" in r.flags
        if "Guard" in r.flags:
            assert {"Fast", "Stable"} <= set(r.flags)


def test_flags_exit_policies_and_traps_are_present(doc) -> None:
    """Check every teaching case exists: Guard+Exit, BadExit open to 443, exits
    closed to 443, and non-exits whose policy accepts 443."""
    routers = list(doc.routers.values())
    counts = Counter(f for r in routers for f in r.flags)
    assert counts["Guard"] > 60 and counts["Exit"] > 30 and counts["HSDir"] > 60
    assert 3 <= counts["BadExit"] <= 5
    assert any("Guard" in r.flags and "Exit" in r.flags for r in routers)
    bad = [r for r in routers if "BadExit" in r.flags]
    assert all(r.exit_policy.can_exit_to(port=443) and "Guard" not in r.flags for r in bad)
    assert any("Exit" in r.flags and not r.exit_policy.can_exit_to(port=443) for r in routers)
    assert any("Exit" not in r.flags and r.exit_policy.can_exit_to(port=443) for r in routers)


def test_families_and_shared_subnets(ctx: WorldContext, doc) -> None:
    """Check there are mutual families and /16 networks shared by unrelated relays."""
    details = json.loads(text(ctx, world_tor.DETAILS_FILE))
    by_fp = {row["fingerprint"]: row for row in details["relays"]}
    assert set(by_fp) == set(doc.routers)
    families = {tuple(row["effective_family"]) for row in details["relays"]
                if "effective_family" in row}
    assert len(families) >= 5
    for family in families:  # mutual: every member lists the same family
        assert all(tuple(by_fp[fp]["effective_family"]) == family for fp in family)
    nets = Counter(".".join(r.address.split(".")[:2]) for r in doc.routers.values())
    crowded = [net for net, n in nets.items() if n >= 5]
    assert len(crowded) >= 4
    alleged = [row for row in details["relays"] if "alleged_family" in row]
    assert alleged and all("effective_family" not in row for row in alleged)


def test_bandwidth_weights_follow_dir_spec(ctx: WorldContext, doc) -> None:
    """Check the footer weights obey the dir-spec sums and match a recomputation."""
    w = doc.bandwidth_weights
    scale = 10000
    assert w["Wgg"] + w["Wmg"] == scale
    assert w["Wee"] + w["Wme"] == scale
    assert abs(w["Wed"] + w["Wmd"] + w["Wgd"] - scale) <= 2
    assert w["Wgm"] == w["Wgg"] and w["Weg"] == w["Wed"] and w["Wmm"] == scale
    assert w == ctx.truth["tor"]["network"]["bandwidth_weights"]
    totals = Counter()
    for r in doc.routers.values():
        exit_ = "Exit" in r.flags and "BadExit" not in r.flags
        guard = "Guard" in r.flags
        totals["D" if guard and exit_ else "E" if exit_ else "G" if guard else "M"] += r.bandwidth
    total = sum(totals.values())
    assert 3 * totals["E"] < total  # exits are scarce, as on the real network
    assert 0 < w["Wgg"] < scale


# --- answers follow from the files ----------------------------------------


def test_flag_counts_match_the_consensus(ctx: WorldContext, doc) -> None:
    """Check the day1_*_count answers against stem's view of the file."""
    for flag in ("Guard", "Exit", "HSDir", "BadExit"):
        expected = sum(flag in r.flags for r in doc.routers.values())
        assert ctx.answers[f"day1_{flag.lower()}_count"]["value"] == expected
    assert ctx.answers["day1_relay_count"]["value"] == len(doc.routers)


def test_guard_probability_from_the_consensus(ctx: WorldContext, doc) -> None:
    """Check day1_guard_probability, recomputed from stem, and that ignoring the
    weights gives an answer the tolerance rejects."""
    questions = json.loads(text(ctx, world_tor.QUESTIONS_FILE))
    name = questions["guard_probability_relay"]
    w = doc.bandwidth_weights
    weights = {}
    for r in doc.routers.values():
        if "Guard" in r.flags:
            both = "Exit" in r.flags and "BadExit" not in r.flags
            weights[r.nickname] = r.bandwidth * w["Wgd" if both else "Wgg"]
    expected = weights[name] / sum(weights.values())
    entry = ctx.answers["day1_guard_probability"]
    assert matches(expected, entry["value"], entry["compare"], entry["tolerance"])
    named = next(r for r in doc.routers.values() if r.nickname == name)
    assert "Guard" in named.flags and "Exit" not in named.flags
    naive = named.bandwidth / sum(r.bandwidth for r in doc.routers.values() if "Guard" in r.flags)
    assert not matches(naive, entry["value"], entry["compare"], entry["tolerance"])
    assert ctx.state["tor"]["named_relay"] == name


def test_exits_for_443_from_the_consensus(ctx: WorldContext, doc) -> None:
    """Check day1_exits_port_443 with stem's exit policy evaluation."""
    expected = {r.nickname for r in doc.routers.values()
                if "Exit" in r.flags and "BadExit" not in r.flags
                and r.exit_policy.can_exit_to(port=443)}
    assert set(ctx.answers["day1_exits_port_443"]["value"]) == expected
    with_bad = {r.nickname for r in doc.routers.values()
                if "Exit" in r.flags and r.exit_policy.can_exit_to(port=443)}
    assert with_bad > expected


# --- onion services --------------------------------------------------------


def test_onion_state_for_the_market_pages(ctx: WorldContext) -> None:
    """Check ctx.state["onion"] has every service with valid genuine addresses."""
    onion = ctx.state["onion"]
    assert set(onion) == {cast.MARKET_RU, cast.MARKET_EN, cast.FORUM}
    for facts in onion.values():
        assert HiddenServiceDescriptorV3.address_from_identity_key(
            bytes.fromhex(facts["public_key_hex"])) == facts["address"]
        assert len(facts["mirrors"]) >= 1 and len(facts["clones"]) == 4
        for address in (facts["address"], *facts["mirrors"]):
            assert is_valid_onion(address)
        assert not set(facts["clones"]) & {facts["address"], *facts["mirrors"]}


def test_every_address_but_the_typo_clones_passes_the_checksum(ctx: WorldContext) -> None:
    """Check genuine addresses and lookalikes are valid, typo clones are not,
    and lookalikes share their first two characters with a genuine address."""
    truth = ctx.truth["tor"]["onion"]
    rows = list(csv.DictReader(io.StringIO(text(ctx, world_tor.CANDIDATES_FILE))))
    listed = [r["address"] for r in rows]
    assert len(listed) == len(set(listed))
    typos = set(truth["typo_clones"])
    for address in listed:
        assert is_valid_onion(address) == (address not in typos), address
    genuine = [a for f in ctx.state["onion"].values() for a in (f["address"], *f["mirrors"])]
    for fake in truth["lookalike_clones"]:
        assert any(fake[:2] == real[:2] for real in genuine)
        assert fake not in genuine
    assert set(ctx.answers["day1_valid_addresses"]["value"]) == set(listed) - typos
    clones = set(ctx.answers["day1_phishing_clones"]["value"])
    assert clones == set(listed) - set(genuine)
    assert clones == typos | set(truth["lookalike_clones"])


def test_public_key_file_gives_a_market_mirror(ctx: WorldContext) -> None:
    """Check the seized key file is in Tor's format and derives a listed mirror."""
    data = ctx.files[(A, world_tor.PUBLIC_KEY_FILE)]
    assert len(data) == 64 and data.startswith(b"== ed25519v1-public: type0 ==")
    address = HiddenServiceDescriptorV3.address_from_identity_key(data[32:])
    assert ctx.answers["day1_derived_address"]["value"] == address
    assert address in ctx.state["onion"][cast.MARKET_RU]["mirrors"]


# --- determinism, size, speed ---------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(ctx: WorldContext) -> None:
    """Check two builds of one seed are byte-identical and another seed differs."""
    again = build(2026)
    assert again.files == ctx.files
    assert again.answers == ctx.answers
    other = build(7)
    assert set(other.files) == set(ctx.files)
    for key in ctx.files:
        if key[1] != world_tor.QUESTIONS_FILE:
            assert other.files[key] != ctx.files[key], key
    assert other.state["onion"] != ctx.state["onion"]


def test_files_are_small_and_under_data(ctx: WorldContext) -> None:
    """Check every file goes to day1-darkweb-tor/data/ and all weigh under 1 MB."""
    assert all(a == A and rel.startswith("data/") for a, rel in ctx.files)
    assert sum(len(v) for v in ctx.files.values()) < 1_000_000


def test_generation_is_fast() -> None:
    """Check a fresh seed builds in under 3 seconds of CPU (RSA keys included)."""
    start = time.process_time()
    build(31337)
    assert time.process_time() - start < 3.0
