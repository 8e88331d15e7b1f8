"""Reading the consensus into a relay table (course.tor.consensus)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from stem.descriptor.networkstatus import NetworkStatusDocumentV3

from course.tor import consensus
from course.world import tor as world_tor
from course.world.context import WorldContext


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ctx = WorldContext(seed=2026)
    world_tor.generate(ctx)
    root = tmp_path_factory.mktemp("day1")
    for (_, relpath), content in ctx.files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(content)
    return root / "data" / "tor"


@pytest.fixture(scope="module")
def doc(data: Path) -> NetworkStatusDocumentV3:
    return consensus.load_consensus(data / "cached-consensus")


@pytest.fixture(scope="module")
def relays(doc, data: Path) -> pd.DataFrame:
    return consensus.relays_table(doc, data / "onionoo_details.json")


def test_table_has_one_row_per_relay(doc, relays: pd.DataFrame) -> None:
    """Check the table's columns and that it holds stem's values."""
    assert list(relays.columns) == list(consensus.COLUMNS)
    assert len(relays) == len(doc.routers)
    row = relays.iloc[0]
    entry = doc.routers[row["fingerprint"]]
    assert row["nickname"] == entry.nickname and row["bandwidth"] == entry.bandwidth
    assert set(row["flags"]) == set(entry.flags)
    assert row["subnet16"] == ".".join(entry.address.split(".")[:2])
    assert relays["fingerprint"].is_unique


def test_families_come_from_onionoo(relays: pd.DataFrame, data: Path) -> None:
    """Check family members share a family_id and list each other; alleged
    one-sided families are ignored."""
    import json

    grouped = relays[relays["family_id"] != ""].groupby("family_id")
    assert grouped.ngroups >= 5
    for _, members in grouped:
        fps = set(members["fingerprint"])
        assert len(fps) >= 2
        for _, row in members.iterrows():
            assert set(row["family"]) == fps - {row["fingerprint"]}
    details = json.loads((data / "onionoo_details.json").read_text())
    lonely = [r["fingerprint"] for r in details["relays"] if "alleged_family" in r]
    assert all(relays.set_index("fingerprint").loc[fp, "family_id"] == "" for fp in lonely)
    alone = consensus.relays_table(data / "cached-consensus")
    assert (alone["family_id"] == "").all()


def test_count_by_flag(relays: pd.DataFrame, doc) -> None:
    """Check flag counts against a direct count over stem's entries."""
    counts = consensus.count_by_flag(relays)
    for flag in ("Guard", "Exit", "BadExit", "HSDir", "Fast", "Stable"):
        assert counts[flag] == sum(flag in r.flags for r in doc.routers.values())
    assert counts["Running"] == len(relays)


def test_port_policies() -> None:
    """Check p-line policies: accept lists, ranges and reject lists."""
    assert consensus.accepts_port("accept 80,443", 443)
    assert not consensus.accepts_port("accept 80,443", 22)
    assert consensus.accepts_port("accept 20-23,400-500", 443)
    assert not consensus.accepts_port("reject 25,443,465", 443)
    assert consensus.accepts_port("reject 25,465", 443)
    assert not consensus.accepts_port("reject 1-65535", 443)


def test_exits_for_port(relays: pd.DataFrame, doc) -> None:
    """Check usable exits need no BadExit and an open port, not the Exit flag
    (path-spec 2.2.1), and that the world has exits without the flag."""
    exits = consensus.exits_for_port(relays, 443)
    expected = {r.fingerprint for r in doc.routers.values()
                if "BadExit" not in r.flags and r.exit_policy.can_exit_to(port=443)}
    assert set(exits["fingerprint"]) == expected
    assert (~exits["is_exit"]).sum() >= 2  # exits to 443 without the Exit flag
    with_bad = consensus.exits_for_port(relays, 443, include_badexit=True)
    assert len(with_bad) > len(exits) and with_bad["is_badexit"].any()


def test_exit_flag_means_ports_80_and_443(doc) -> None:
    """Check the Exit flag follows dir-spec 3.4.2 since tor 0.3.2: 80 and 443 open."""
    for r in doc.routers.values():
        both = r.exit_policy.can_exit_to(port=80) and r.exit_policy.can_exit_to(port=443)
        assert ("Exit" in r.flags) == both, r.nickname


def test_check_flag_counts_says_agree_without_the_numbers(relays: pd.DataFrame, doc) -> None:
    """Check the comparison table: right counts agree, wrong or non-numbers do not,
    and the library's own counts are not in the table."""
    guards = sum("Guard" in r.flags for r in doc.routers.values())
    exits = sum("Exit" in r.flags for r in doc.routers.values())
    table = consensus.check_flag_counts(relays, {"Guard": guards, "Exit": exits + 1,
                                                 "HSDir": None, "BadExit": True})
    assert table.columns.tolist() == ["flag", "your_count", "agrees"]
    assert table["agrees"].tolist() == [True, False, False, False]
    assert exits not in table["your_count"].tolist()
    with pytest.raises(ValueError, match="'badexit' is not a relay flag"):
        consensus.count_by_flag(relays, ["badexit"])


def test_collector_annotation_is_accepted(data: Path, tmp_path: Path) -> None:
    """Check a consensus saved from CollecTor (with an @type line) loads the same."""
    annotated = tmp_path / "2025-10-18-23-00-00-consensus"
    annotated.write_bytes(b"@type network-status-consensus-3 1.0\n"
                          + (data / "cached-consensus").read_bytes())
    assert len(consensus.load_consensus(annotated).routers) == len(
        consensus.load_consensus(data / "cached-consensus").routers)


def test_weights_and_signatures(doc, data: Path) -> None:
    """Check the bandwidth weights and the authorities' signatures."""
    weights = consensus.bandwidth_weights(doc)
    assert weights["Wgg"] + weights["Wmg"] == 10000
    certs = consensus.load_certificates(data / "cached-certs")
    assert consensus.check_signatures(doc, certs) == 4
    for cert in certs:
        cert.signing_key = certs[0].signing_key
    with pytest.raises(ValueError, match="do not check out"):
        consensus.check_signatures(doc, certs)


def test_find_relay(relays: pd.DataFrame) -> None:
    """Check relays are found by nickname or fingerprint, and unknown names refused."""
    row = relays.iloc[5]
    assert consensus.find_relay(relays, row["nickname"])["fingerprint"] == row["fingerprint"]
    assert consensus.find_relay(relays, "$" + row["fingerprint"].lower())["nickname"] == (
        row["nickname"])
    with pytest.raises(ValueError, match="No relay 'NoSuchRelay'"):
        consensus.find_relay(relays, "NoSuchRelay")
    twice = pd.concat([relays.iloc[[5]], relays.iloc[[5]].assign(fingerprint="F" * 40)])
    with pytest.raises(ValueError, match="Several relays"):
        consensus.find_relay(twice, row["nickname"])


def test_bad_input_gives_one_line_messages(tmp_path: Path, relays: pd.DataFrame) -> None:
    """Check missing files, broken documents and wrong arguments raise ValueError."""
    with pytest.raises(ValueError, match="Data file not found"):
        consensus.load_consensus(tmp_path / "nope")
    broken = tmp_path / "cached-consensus"
    broken.write_text("network-status-version 3\nvote-status consensus\n")
    with pytest.raises(ValueError, match="not a valid Tor consensus") as info:
        consensus.load_consensus(broken)
    assert "\n" not in str(info.value)
    bad_json = tmp_path / "details.json"
    bad_json.write_text("[1, 2]")
    with pytest.raises(ValueError, match="not an Onionoo details document"):
        consensus.load_families(bad_json)
    with pytest.raises(ValueError, match="from 1 to 65535, got 70000"):
        consensus.exits_for_port(relays, 70000)
    with pytest.raises(ValueError, match="relay table"):
        consensus.count_by_flag([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lacks the column"):
        consensus.exits_for_port(relays.drop(columns=["policy"]), 443)
