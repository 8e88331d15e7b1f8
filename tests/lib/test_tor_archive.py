"""ExoneraTor's question offline (course.tor.archive) and signed mirror lists
(course.tor.mirrors), checked against stem and pysequoia directly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
import stem.descriptor
from stem.descriptor import DocumentHandler

from course.tor import archive as tor_archive
from course.tor.mirrors import verified_addresses
from course.world import tor as world_tor
from course.world.context import WorldContext


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[WorldContext, Path]:
    ctx = WorldContext(seed=2026)
    world_tor.generate(ctx)
    root = tmp_path_factory.mktemp("day1")
    for (_, relpath), content in ctx.files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(content)
    return ctx, root


@pytest.fixture(scope="module")
def archive(world) -> pd.DataFrame:
    return tor_archive.load_archive(world[1] / world_tor.ARCHIVE_DIR)


def stem_consensuses(folder: Path) -> list:
    docs = []
    for path in sorted(folder.iterdir()):
        (doc,) = stem.descriptor.parse_file(str(path), validate=True,
                                            document_handler=DocumentHandler.DOCUMENT)
        docs.append(doc)
    return docs


def test_archive_holds_every_relay_of_every_consensus(world, archive: pd.DataFrame) -> None:
    """Check one row per relay and consensus, as stem reads the CollecTor files."""
    docs = stem_consensuses(world[1] / world_tor.ARCHIVE_DIR)
    assert len(docs) == 3
    assert len(archive) == sum(len(d.routers) for d in docs)
    assert archive["valid_after"].nunique() == 3
    for doc in docs:
        rows = archive[archive["valid_after"] == pd.Timestamp(doc.valid_after)]
        assert set(rows["fingerprint"]) == set(doc.routers)
        assert set(rows["address"]) == {r.address for r in doc.routers.values()}


def test_relay_at_uses_the_consensus_of_that_hour(world, archive: pd.DataFrame) -> None:
    """Check each log entry against stem's consensus valid at its time, and that
    the answer differs from a look-up in today's consensus."""
    ctx, root = world
    docs = stem_consensuses(root / world_tor.ARCHIVE_DIR)
    rows = list(csv.DictReader(io.StringIO((root / world_tor.LOG_FILE).read_text())))
    today = {r.address for r in stem_consensuses_single(root / world_tor.CONSENSUS_FILE)}
    relays_then, relays_today = set(), set()
    for row in rows:
        when = pd.Timestamp(row["time_utc"]).tz_localize(None)
        doc = max((d for d in docs if pd.Timestamp(d.valid_after) <= when
                   < pd.Timestamp(d.valid_until)), key=lambda d: d.valid_after)
        expected = row["ip"] in {r.address for r in doc.routers.values()}
        assert tor_archive.was_relay(archive, row["ip"], row["time_utc"]) == expected
        found = tor_archive.relay_at(archive, row["ip"], row["time_utc"])
        assert len(found) == int(expected)
        if expected:
            relays_then.add(row["ip"])
        if row["ip"] in today:
            relays_today.add(row["ip"])
    assert relays_then == set(ctx.answers["day1_tor_ips"]["value"])
    assert relays_then - relays_today and relays_today - relays_then  # both traps exist


def stem_consensuses_single(path: Path) -> list:
    (doc,) = stem.descriptor.parse_file(str(path), "network-status-consensus-3 1.0",
                                        validate=True, document_handler=DocumentHandler.DOCUMENT)
    return list(doc.routers.values())


def test_consensus_at_the_edges(archive: pd.DataFrame) -> None:
    """Check a consensus is valid from valid-after (included) to valid-until (excluded)."""
    first = archive["valid_after"].min()
    until = archive.loc[archive["valid_after"] == first, "valid_until"].iloc[0]
    assert tor_archive.consensus_at(archive, first) == first
    assert tor_archive.consensus_at(archive, until - pd.Timedelta(seconds=1)) == first
    assert tor_archive.consensus_at(archive, first.isoformat() + "+00:00") == first
    with pytest.raises(ValueError, match="No consensus of the archive was valid"):
        tor_archive.consensus_at(archive, until)
    with pytest.raises(ValueError, match="No consensus of the archive was valid"):
        tor_archive.was_relay(archive, "100.64.0.1", first - pd.Timedelta(seconds=1))


def test_bad_input_gives_one_line_messages(archive: pd.DataFrame, tmp_path: Path) -> None:
    """Check bad addresses, times, tables and folders are refused with a clear line."""
    when = archive["valid_after"].min()
    with pytest.raises(ValueError, match="'300.1.1.1' is not an IPv4 address"):
        tor_archive.was_relay(archive, "300.1.1.1", when)
    with pytest.raises(ValueError, match="'yesterday' is not a date and time"):
        tor_archive.was_relay(archive, "100.64.0.1", "yesterday")
    with pytest.raises(ValueError, match="archive table from load_archive"):
        tor_archive.was_relay([1, 2], "100.64.0.1", when)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Data file not found"):
        tor_archive.load_archive(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no consensus"):
        tor_archive.load_archive(tmp_path)
    (tmp_path / "2025-10-06-12-00-00-consensus").write_text("not a consensus\n")
    with pytest.raises(ValueError, match="not a valid Tor consensus"):
        tor_archive.load_archive(tmp_path)


def test_verified_addresses_only_from_lists_a_key_verifies(world) -> None:
    """Check the official addresses are the genuine mirrors, not the swapped one of the
    re-posted list, and that no key means no address."""
    ctx, root = world
    from course.world import markets  # the mirror lists are written by the market generator

    markets.generate(ctx)
    for (_, relpath), content in ctx.files.items():
        if relpath.startswith("data/mirrors/"):
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            (root / relpath).write_bytes(content)
    lists = sorted((root / "data" / "mirrors").glob("*.txt.asc"))
    keys = sorted((root / "data" / "mirrors" / "keys").glob("*.asc"))
    genuine = {a for f in ctx.state["onion"].values() for a in (f["address"], *f["mirrors"])}
    assert set(verified_addresses(lists, keys)) == genuine
    assert verified_addresses(lists, []) == []
