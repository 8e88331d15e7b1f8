"""The Day 1 Tor world: a consensus stem accepts, coherent onion services,
answers that follow from the files, and determinism."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import stem.descriptor
from stem.descriptor import DocumentHandler
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3
from stem.descriptor.networkstatus import NetworkStatusDocumentV3
from stem.util import ed25519

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


SYNTHETIC = (ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("240.0.0.0/4"))


def test_relays_are_synthetic_with_plausible_identities(doc) -> None:
    """Check nicknames are unique, ports plausible, and every address in a range no
    real host uses (100.64.0.0/10 shared space, 240.0.0.0/4 reserved), never
    255.255.255.255; and that there are enough /16 networks for the path rules."""
    routers = list(doc.routers.values())
    assert len({r.nickname.lower() for r in routers}) == len(routers)
    assert len({r.address for r in routers}) == len(routers)
    for r in routers:
        ip = ipaddress.ip_address(r.address)
        assert any(ip in net for net in SYNTHETIC) and not ip.is_global, r.address
        assert r.address != "255.255.255.255"
        assert 1 <= r.or_port <= 65535 and r.bandwidth > 0
        assert "Running" in r.flags and "Valid" in r.flags
        if "Guard" in r.flags:  # dir-spec 3.4.2: Guard needs Fast, Stable and V2Dir
            assert {"Fast", "Stable", "V2Dir"} <= set(r.flags)
    nets = {".".join(r.address.split(".")[:2]) for r in routers}
    assert len(nets) > 0.6 * len(routers)


def test_flags_exit_policies_and_traps_are_present(doc) -> None:
    """Check the Exit flag rule of dir-spec 3.4.2 (ports 80 and 443) and every
    teaching case: Guard+Exit, BadExit open to 443, relays without the Exit flag
    that exit to 443 (80 closed), and relays that exit to 80 but not 443."""
    routers = list(doc.routers.values())
    counts = Counter(f for r in routers for f in r.flags)
    assert counts["Guard"] > 60 and counts["Exit"] > 30 and counts["HSDir"] > 60
    assert 3 <= counts["BadExit"] <= 5
    for r in routers:
        both = r.exit_policy.can_exit_to(port=80) and r.exit_policy.can_exit_to(port=443)
        assert ("Exit" in r.flags) == both, r.nickname
    assert any("Guard" in r.flags and "Exit" in r.flags for r in routers)
    bad = [r for r in routers if "BadExit" in r.flags]
    assert all(r.exit_policy.can_exit_to(port=443) and "Guard" not in r.flags for r in bad)
    no_flag_443 = [r for r in routers if "Exit" not in r.flags
                   and r.exit_policy.can_exit_to(port=443)]
    assert len(no_flag_443) >= 2
    assert any(r.exit_policy.can_exit_to(port=80) and not r.exit_policy.can_exit_to(port=443)
               for r in routers)


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
    totals = Counter({"G": 1, "E": 1, "D": 1, "M": 1})  # consensus method >= 26
    for r in doc.routers.values():
        exit_ = "Exit" in r.flags and "BadExit" not in r.flags
        guard = "Guard" in r.flags
        totals["D" if guard and exit_ else "E" if exit_ else "G" if guard else "M"] += r.bandwidth
    total = sum(totals.values())
    g, e, d, m = (totals[k] for k in "GEDM")
    # dir-spec 3.8.3 case 3, subcase a, E scarce: exits are scarce, as on the real network
    assert 3 * e < total <= 3 * g and 3 * (e + d) < total
    assert w["Wee"] == w["Wed"] == scale and w["Wgd"] == w["Wmd"] == w["Wme"] == 0
    assert w["Wmg"] == (scale * (g - m) // (2 * g) if g >= m else 0)
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
        if {"Guard", "Fast", "Stable", "V2Dir"} <= set(r.flags):  # guard-spec 4.0
            both = "Exit" in r.flags and "BadExit" not in r.flags
            weights[r.nickname] = r.bandwidth * w["Wgd" if both else "Wgg"]
    expected = weights[name] / sum(weights.values())
    entry = ctx.answers["day1_guard_probability"]
    assert matches(expected, entry["value"], entry["compare"], entry["tolerance"])
    # the exercise asks for 4 decimal places: rounding to 4 (or 5) places passes
    for places in (4, 5):
        assert matches(round(expected, places), entry["value"], entry["compare"],
                       entry["tolerance"])
    assert not matches(round(expected, 3), entry["value"], entry["compare"], entry["tolerance"])
    assert not matches(expected * 100, entry["value"], entry["compare"], entry["tolerance"])
    named = next(r for r in doc.routers.values() if r.nickname == name)
    assert "Guard" in named.flags and "Exit" not in named.flags
    naive = named.bandwidth / sum(r.bandwidth for r in doc.routers.values() if "Guard" in r.flags)
    assert not matches(naive, entry["value"], entry["compare"], entry["tolerance"])
    assert not matches(round(naive, 4), entry["value"], entry["compare"], entry["tolerance"])
    assert ctx.state["tor"]["named_relay"] == name


def test_exits_for_443_from_the_consensus(ctx: WorldContext, doc) -> None:
    """Check day1_exits_port_443 with stem's exit policy evaluation (path-spec 2.2.1:
    the policy and no BadExit; the Exit flag is not needed), and that both plausible
    mistakes - requiring the flag, forgetting BadExit - are rejected by the key."""
    entry = ctx.answers["day1_exits_port_443"]
    expected = {r.nickname for r in doc.routers.values()
                if "BadExit" not in r.flags and r.exit_policy.can_exit_to(port=443)}
    assert set(entry["value"]) == expected
    with_flag = [r.nickname for r in doc.routers.values() if "Exit" in r.flags
                 and "BadExit" not in r.flags and r.exit_policy.can_exit_to(port=443)]
    with_bad = [r.nickname for r in doc.routers.values() if r.exit_policy.can_exit_to(port=443)]
    assert set(with_flag) < expected < set(with_bad)
    assert matches(sorted(expected), entry["value"], entry["compare"])
    assert not matches(with_flag, entry["value"], entry["compare"])
    assert not matches(with_bad, entry["value"], entry["compare"])


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
    for fake in truth["lookalike_clones"]:  # like vanity clones: 5 to 8 shared characters
        shared = max(next(i for i in range(56) if fake[i] != real[i]) for real in genuine)
        assert 5 <= shared <= 8, fake
        assert fake not in genuine
        key = HiddenServiceDescriptorV3.identity_key_from_address(fake)
        ed25519.decodepoint(key)  # raises unless the key is a point of the curve
    assert set(ctx.answers["day1_valid_addresses"]["value"]) == set(listed) - typos
    unverified = set(ctx.answers["day1_unverified_addresses"]["value"])
    assert unverified == set(listed) - set(genuine)
    assert unverified == typos | set(truth["lookalike_clones"])


def test_public_key_file_gives_a_market_mirror(ctx: WorldContext) -> None:
    """Check the seized key file is in Tor's format and derives a listed mirror."""
    data = ctx.files[(A, world_tor.PUBLIC_KEY_FILE)]
    assert len(data) == 64 and data.startswith(b"== ed25519v1-public: type0 ==\0\0\0")
    address = HiddenServiceDescriptorV3.address_from_identity_key(data[32:])
    assert ctx.answers["day1_derived_address"]["value"] == address
    assert address in ctx.state["onion"][cast.MARKET_RU]["mirrors"]


def test_secret_key_file_is_tors_expanded_key_of_the_same_service(ctx: WorldContext) -> None:
    """Check hs_ed25519_secret_key: Tor's 32-byte header, then 64 bytes whose clamped
    scalar (first half, little-endian) times the base point is the public key -
    computed here with stem's reference arithmetic, independently of the library."""
    data = ctx.files[(A, world_tor.SECRET_KEY_FILE)]
    assert len(data) == 96 and data.startswith(b"== ed25519v1-secret: type0 ==\0\0\0")
    secret = data[32:]
    assert secret[0] & 7 == 0 and secret[31] & 0xC0 == 0x40  # clamped as tor does
    scalar = int.from_bytes(secret[:32], "little")
    public = bytes(ed25519.encodepoint(ed25519.scalarmult(ed25519.B, scalar)))
    assert public == ctx.files[(A, world_tor.PUBLIC_KEY_FILE)][32:]


# --- determinism, size, speed ---------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(ctx: WorldContext) -> None:
    """Check two builds of one seed are byte-identical and another seed differs."""
    again = build(2026)
    assert again.files == ctx.files
    assert again.answers == ctx.answers
    other = build(7)

    def fixed_names(files) -> set:
        return {k for k in files if not k[1].startswith(world_tor.ARCHIVE_DIR + "/")}

    assert fixed_names(other.files) == fixed_names(ctx.files)
    archived = set(ctx.files) - fixed_names(ctx.files)
    assert len(archived) == 3 and not archived & set(other.files)  # other dates
    for key in fixed_names(ctx.files):
        if key[1] != world_tor.QUESTIONS_FILE:
            assert other.files[key] != ctx.files[key], key
    assert other.state["onion"] != ctx.state["onion"]


# --- the archive and the IP log -------------------------------------------


def test_archive_consensuses_are_valid_signed_and_earlier(ctx: WorldContext, doc) -> None:
    """Check each archived consensus: CollecTor's name and @type line, stem's
    validation, the authorities' signatures, a date before the case's consensus,
    and relays that joined or left between them."""
    certs = list(stem.descriptor.parse_file(io.BytesIO(ctx.files[(A, world_tor.CERTS_FILE)]),
                                            "dir-key-certificate-3 1.0", validate=True))
    names = sorted(rel for a, rel in ctx.files if rel.startswith(world_tor.ARCHIVE_DIR + "/"))
    assert len(names) == 3
    fingerprints = []
    for name in names:
        data = ctx.files[(A, name)]
        assert data.startswith(b"@type network-status-consensus-3 1.0\n")
        (old,) = stem.descriptor.parse_file(io.BytesIO(data), validate=True,
                                            document_handler=DocumentHandler.DOCUMENT)
        old.validate_signatures(certs)
        assert name.endswith(old.valid_after.strftime("%Y-%m-%d-%H-%M-%S") + "-consensus")
        assert old.valid_after < doc.valid_after
        assert all(r.published < old.valid_after for r in old.routers.values())
        fingerprints.append(set(old.routers))
    today = set(doc.routers)
    assert all(f - today for f in fingerprints)  # relays that have left since
    assert all(today - f for f in fingerprints)  # relays that joined since


def test_ip_log_answer_follows_from_the_archive(ctx: WorldContext) -> None:
    """Check day1_tor_ips from stem's view of the consensus valid at each post's time;
    today's consensus gives a different answer; non-relay addresses are synthetic."""
    docs = [next(stem.descriptor.parse_file(io.BytesIO(ctx.files[(A, rel)]), validate=True,
                                            document_handler=DocumentHandler.DOCUMENT))
            for a, rel in sorted(ctx.files) if rel.startswith(world_tor.ARCHIVE_DIR + "/")]
    today = NetworkStatusDocumentV3(ctx.files[(A, world_tor.CONSENSUS_FILE)])
    rows = list(csv.DictReader(io.StringIO(text(ctx, world_tor.LOG_FILE))))
    assert len(rows) >= 6
    then, now = set(), set()
    for row in rows:
        when = datetime.strptime(row["time_utc"], "%Y-%m-%dT%H:%M:%SZ")
        live = [d for d in docs if d.valid_after <= when < d.valid_until]
        assert live, row
        if row["ip"] in {r.address for r in max(live, key=lambda d: d.valid_after)
                         .routers.values()}:
            then.add(row["ip"])
        if row["ip"] in {r.address for r in today.routers.values()}:
            now.add(row["ip"])
        ip = ipaddress.ip_address(row["ip"])
        assert not ip.is_global, row["ip"]
    entry = ctx.answers["day1_tor_ips"]
    assert set(entry["value"]) == then and len(then) >= 2
    relay_rows = [row["ip"] for row in rows if row["ip"] in then]
    assert len(relay_rows) == len(then)  # each relay address appears once in the log
    assert then - now and now - then
    assert not matches(sorted(now), entry["value"], entry["compare"])


def test_fixed_rendezvous_order_accepts_every_order_the_spec_allows() -> None:
    """Check day1_rendezvous_order: rend-spec-v3's own order (1.1: the client builds
    its rendezvous circuit first, then fetches the descriptor) and tor's
    (descriptor first) pass; introducing before the rendezvous point is set up,
    or fetching before the upload, fails."""
    from course.world import fixed_answers

    fixed = WorldContext(seed=2026)
    fixed_answers.generate(fixed)
    entry = fixed.answers["day1_rendezvous_order"]

    def ok(order: str) -> bool:
        return matches(list(order), entry["value"], entry["compare"])

    assert ok("DGAFCHBE") and ok("DGFACHBE") and ok("FDGACHBE") and ok("DFGACHBE")
    assert not ok("DGACFHBE")  # INTRODUCE1 names a rendezvous point not yet set up
    assert not ok("DGFCAHBE")  # INTRODUCE1 before the client knows an introduction point
    assert not ok("DAGFCHBE")  # fetches the descriptor before it is uploaded
    assert not ok("GDAFCHBE")  # the descriptor lists introduction points not yet chosen
    assert not ok("DGAFCBHE")  # the service cannot answer before INTRODUCE2 reaches it
    assert not ok("DGAFCHB")


def test_files_are_small_and_under_data(ctx: WorldContext) -> None:
    """Check every file goes to day1-darkweb-tor/data/ and all weigh under 1 MB."""
    assert all(a == A and rel.startswith("data/") for a, rel in ctx.files)
    assert sum(len(v) for v in ctx.files.values()) < 1_000_000


def test_generation_is_fast() -> None:
    """Check a fresh seed builds in under 3 seconds of CPU (RSA keys included)."""
    start = time.process_time()
    build(31337)
    assert time.process_time() - start < 3.0
