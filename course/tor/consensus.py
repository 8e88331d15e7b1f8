"""Read a Tor network-status consensus into a table an investigator can query.

The consensus is the hourly list of every relay of the Tor network, voted and
signed by the directory authorities. Each relay has an ``r`` line (nickname,
identity, address, ports), an ``s`` line (flags), a ``w`` line (bandwidth
weight) and a ``p`` line (the ports it lets traffic out to). The footer holds
the ``bandwidth-weights`` that clients use to pick relays for each position.

This is the full ("ns") flavour, as directory caches keep it (Tor names the
file ``cached-consensus``) and CollecTor archives it. Tor clients normally
download the smaller microdescriptor flavour (``cached-microdesc-consensus``,
dir-spec 3.9.2): the same relays and flags, with the exit policies moved
into the relays' microdescriptors. Bridges are never listed in either.

Families are not in the consensus: operators declare them in their relays'
descriptors, and services such as Onionoo (Relay Search) publish them as
``effective_family`` (declared by both sides). :func:`relays_table` joins
them when given an Onionoo details file.

Examples
--------
>>> doc = load_consensus("data/cached-consensus")            # doctest: +SKIP
>>> relays = relays_table(doc, "data/onionoo_details.json")  # doctest: +SKIP
>>> count_by_flag(relays)["Guard"]                           # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import stem.descriptor
from stem.descriptor.networkstatus import KeyCertificate, NetworkStatusDocumentV3
from stem.exit_policy import MicroExitPolicy

from course.messages import t

COLUMNS = (
    "nickname", "fingerprint", "address", "or_port", "dir_port", "flags", "bandwidth",
    "policy", "is_guard", "is_exit", "is_badexit", "subnet16", "family", "family_id",
)
FLAGS = ("Guard", "Exit", "BadExit", "Fast", "Stable", "Running", "Valid", "HSDir", "V2Dir",
         "Authority")
#: every flag dir-spec 3.4.2 documents today (the consensus's known-flags line)
KNOWN_FLAGS = (*FLAGS, "MiddleOnly", "NoEdConsensus", "StaleDesc", "Sybil")
#: the flags whose counts Day 1 asks for, in the order of its exercises
COUNTED_FLAGS = ("Guard", "Exit", "HSDir", "BadExit")

__all__ = [
    "accepts_port",
    "bandwidth_weights",
    "check_flag_counts",
    "check_signatures",
    "count_by_flag",
    "exits_for_port",
    "find_relay",
    "load_certificates",
    "load_consensus",
    "load_families",
    "relays_table",
]


def _path(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ValueError(t("data.missing", path=path))
    return path


def load_consensus(path: str | Path) -> NetworkStatusDocumentV3:
    """Parse and validate a consensus file with stem.

    Parameters
    ----------
    path
        The consensus (Tor names it ``cached-consensus``).

    Raises
    ------
    ValueError
        If the file is missing or not a valid v3 consensus.
    """
    path = _path(path)
    content = path.read_bytes()
    if content.startswith(b"@type"):  # files downloaded from CollecTor carry an annotation
        content = content.split(b"\n", 1)[-1]
    try:
        return NetworkStatusDocumentV3(content, validate=True)
    except (ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0][:160]
        raise ValueError(t("tor.consensus.unreadable", path=path, reason=reason)) from None


def load_certificates(path: str | Path) -> list[KeyCertificate]:
    """Parse the directory authorities' key certificates (Tor's ``cached-certs``)."""
    path = _path(path)
    try:
        return list(stem.descriptor.parse_file(str(path), "dir-key-certificate-3 1.0",
                                               validate=True))
    except (ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0][:160]
        raise ValueError(t("tor.consensus.unreadable", path=path, reason=reason)) from None


def check_signatures(consensus: NetworkStatusDocumentV3, certificates: list[KeyCertificate]) -> int:
    """Check the authorities' signatures; return how many signatures there are.

    Raises
    ------
    ValueError
        If fewer than half of the signatures are valid for these certificates.
    """
    try:
        consensus.validate_signatures(certificates)
    except ValueError as exc:
        raise ValueError(t("tor.consensus.bad_signatures", reason=exc)) from None
    return len(consensus.signatures)


def load_families(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Read the mutual families of an Onionoo details file.

    Returns
    -------
    dict
        Fingerprint -> the fingerprints of the *other* members of its family
        (``effective_family``; one-sided ``alleged_family`` claims do not count).
    """
    path = _path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        rows = doc["relays"]
        out = {}
        for row in rows:
            fp = row["fingerprint"].upper()
            members = (m.lstrip("$").upper() for m in row.get("effective_family", []))
            out[fp] = tuple(sorted(m for m in members if m != fp))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ValueError(t("tor.consensus.bad_details", path=path)) from None
    return out


def _as_consensus(consensus: NetworkStatusDocumentV3 | str | Path) -> NetworkStatusDocumentV3:
    if isinstance(consensus, (str, Path)):
        return load_consensus(consensus)
    return consensus


def relays_table(
    consensus: NetworkStatusDocumentV3 | str | Path,
    details: str | Path | dict[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """One row per relay: identity, address, flags, bandwidth, exit policy, family.

    Parameters
    ----------
    consensus
        A document from :func:`load_consensus`, or the path of the file.
    details
        An Onionoo details file (or the mapping :func:`load_families` returns)
        giving the families; without it every relay is alone.

    Returns
    -------
    pandas.DataFrame
        Columns ``COLUMNS``; ``flags`` is a tuple of flag names, ``policy`` the
        ``p`` line (e.g. ``accept 80,443``), ``subnet16`` the first two octets,
        ``family`` the other members' fingerprints and ``family_id`` a label
        shared by a family's members ("" for a relay without family).
    """
    doc = _as_consensus(consensus)
    if isinstance(details, (str, Path)):
        details = load_families(details)
    families = details or {}
    rows = []
    for entry in doc.routers.values():
        flags = tuple(sorted(entry.flags))
        fp = entry.fingerprint
        family = tuple(families.get(fp, ()))
        rows.append({
            "nickname": entry.nickname,
            "fingerprint": fp,
            "address": entry.address,
            "or_port": entry.or_port,
            "dir_port": entry.dir_port or 0,
            "flags": flags,
            "bandwidth": entry.bandwidth or 0,
            "policy": str(entry.exit_policy) if entry.exit_policy else "reject 1-65535",
            "is_guard": "Guard" in flags,
            "is_exit": "Exit" in flags,
            "is_badexit": "BadExit" in flags,
            "subnet16": ".".join(entry.address.split(".")[:2]),
            "family": family,
            "family_id": min((fp, *family)) if family else "",
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def count_by_flag(relays: pd.DataFrame, flags: Iterable[str] = FLAGS) -> pd.Series:
    """How many relays carry each flag (a Series indexed by flag name)."""
    _need(relays, ("flags",))
    flags = list(flags)
    unknown = [f for f in flags if f not in KNOWN_FLAGS]
    if unknown:
        raise ValueError(t("tor.consensus.unknown_flag", flag=unknown[0],
                           known=", ".join(KNOWN_FLAGS)))
    return pd.Series({flag: int(relays["flags"].map(lambda fs, f=flag: f in fs).sum())
                      for flag in flags}, name="relays")


def bandwidth_weights(consensus: NetworkStatusDocumentV3 | str | Path) -> dict[str, int]:
    """The footer's ``bandwidth-weights`` (``Wgg``, ``Wgd``, ``Wmg`` ...), scale 10000.

    Raises
    ------
    ValueError
        If the document has no bandwidth-weights line.
    """
    doc = _as_consensus(consensus)
    if not doc.bandwidth_weights:
        raise ValueError(t("tor.consensus.no_weights"))
    return dict(doc.bandwidth_weights)


def _port(port: int) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError(t("tor.port.bad", port=port))
    return port


def accepts_port(policy: str, port: int) -> bool:
    """Whether a ``p`` line policy (``accept 80,443`` / ``reject 25``) allows ``port``."""
    return bool(MicroExitPolicy(policy).can_exit_to(port=_port(port)))


def exits_for_port(relays: pd.DataFrame, port: int, include_badexit: bool = False) -> pd.DataFrame:
    """The relays a client may use as exit to ``port``.

    A client picks its exit among the relays whose exit policy accepts the
    port and that do not carry the BadExit flag (unless ``include_badexit``);
    the Exit flag is not required (path-spec 2.2.1: the policy decides; the
    consensus weights ``Wem`` and ``Weg`` are for exits without the flag).
    """
    _need(relays, ("is_badexit", "policy"))
    port = _port(port)
    mask = relays["policy"].map(lambda p: accepts_port(p, port))
    if not include_badexit:
        mask &= ~relays["is_badexit"]
    return relays[mask]


def check_flag_counts(relays: pd.DataFrame, answers: dict[str, object]) -> pd.DataFrame:
    """Compare counts given for some flags with the table, without showing the right ones.

    Parameters
    ----------
    relays
        The table from :func:`relays_table`.
    answers
        Flag name -> the count given (e.g. ``{"Guard": answer_2_4}``).

    Returns
    -------
    pandas.DataFrame
        One row per flag: ``flag``, ``your_count`` and ``agrees`` (True/False).
    """
    counts = count_by_flag(relays, list(answers))
    rows = [{"flag": flag, "your_count": given,
             "agrees": not isinstance(given, bool) and given == int(counts[flag])}
            for flag, given in answers.items()]
    return pd.DataFrame(rows, columns=["flag", "your_count", "agrees"])


def find_relay(relays: pd.DataFrame, name: str) -> pd.Series:
    """The row of the relay with this nickname or fingerprint (``$`` allowed).

    Raises
    ------
    ValueError
        If no relay, or several relays, have that name.
    """
    _need(relays, ("nickname", "fingerprint"))
    key = str(name).strip().lstrip("$")
    found = relays[relays["fingerprint"] == key.upper()]
    if found.empty:
        found = relays[relays["nickname"] == key]
    if found.empty:
        raise ValueError(t("tor.relay.unknown", name=name))
    if len(found) > 1:
        raise ValueError(t("tor.relay.ambiguous", name=name))
    return found.iloc[0]


def _need(relays: object, columns: Iterable[str]) -> None:
    if not isinstance(relays, pd.DataFrame):
        raise ValueError(t("tor.consensus.not_table", kind=type(relays).__name__))
    missing = [c for c in columns if c not in relays.columns]
    if missing:
        raise ValueError(t("tor.consensus.missing_columns", columns=", ".join(missing)))
