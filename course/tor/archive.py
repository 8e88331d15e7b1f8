"""Was this IP address a Tor relay at that moment? ExoneraTor's question, offline.

An IP address in a log (a forum's answer to a production order, a web
server's access log) may be a Tor relay: then it is not the person who
posted, only the last relay of someone's circuit. The Tor Project's
ExoneraTor service answers the question for the real network from the
archive of every consensus (CollecTor). Relays join and leave every hour, so
the answer must come from the consensus valid *at the time of the log
entry*, not from today's.

A consensus is valid from its ``valid-after`` time until its ``valid-until``
time (3 hours later; a newer one replaces it every hour). :func:`relay_at`
finds the newest consensus of the archive valid at the moment asked, and
the relays it lists on that address.

Examples
--------
>>> archive = load_archive("data/tor/archive")                      # doctest: +SKIP
>>> was_relay(archive, "100.72.8.10", "2025-09-29T15:48:00Z")       # doctest: +SKIP
True
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from pathlib import Path

import pandas as pd

from course.messages import t
from course.tor.consensus import load_consensus

COLUMNS = ("valid_after", "valid_until", "nickname", "fingerprint", "address", "or_port",
           "flags", "policy", "is_exit", "is_badexit", "file")

__all__ = ["COLUMNS", "consensus_at", "load_archive", "relay_at", "was_relay"]


def load_archive(folder: str | Path) -> pd.DataFrame:
    """Read every consensus of a folder (CollecTor names: ``...-consensus``).

    Returns
    -------
    pandas.DataFrame
        One row per relay and consensus: ``COLUMNS`` (times as UTC timestamps
        without time zone, ``flags`` a tuple, ``file`` the consensus's name).

    Raises
    ------
    ValueError
        If the folder is missing, holds no consensus, or a file is not one.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(t("data.missing", path=folder))
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith("consensus"))
    if not files:
        raise ValueError(t("tor.archive.empty", path=folder))
    rows = []
    for path in files:
        doc = load_consensus(path)
        for entry in doc.routers.values():
            flags = tuple(sorted(entry.flags))
            rows.append({
                "valid_after": pd.Timestamp(doc.valid_after),
                "valid_until": pd.Timestamp(doc.valid_until),
                "nickname": entry.nickname,
                "fingerprint": entry.fingerprint,
                "address": entry.address,
                "or_port": entry.or_port,
                "flags": flags,
                "policy": str(entry.exit_policy) if entry.exit_policy else "reject 1-65535",
                "is_exit": "Exit" in flags,
                "is_badexit": "BadExit" in flags,
                "file": path.name,
            })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _moment(when: str | datetime | pd.Timestamp) -> pd.Timestamp:
    try:
        moment = pd.Timestamp(when)
    except (ValueError, TypeError):
        raise ValueError(t("tor.archive.bad_time", when=when)) from None
    if moment is pd.NaT:
        raise ValueError(t("tor.archive.bad_time", when=when))
    if moment.tzinfo is not None:
        moment = moment.tz_convert("UTC").tz_localize(None)
    return moment


def _ip(ip: str) -> str:
    try:
        return str(ipaddress.IPv4Address(str(ip).strip()))
    except ValueError:
        raise ValueError(t("tor.archive.bad_ip", ip=ip)) from None


def _need_archive(archive: object) -> pd.DataFrame:
    if not isinstance(archive, pd.DataFrame) or not set(COLUMNS) <= set(archive.columns):
        raise ValueError(t("tor.archive.not_archive", kind=type(archive).__name__))
    return archive


def consensus_at(archive: pd.DataFrame, when: str | datetime | pd.Timestamp) -> pd.Timestamp:
    """The ``valid_after`` of the newest consensus of the archive valid at ``when`` (UTC).

    Raises
    ------
    ValueError
        If no consensus of the archive was valid then.
    """
    archive = _need_archive(archive)
    moment = _moment(when)
    spans = archive[["valid_after", "valid_until"]].drop_duplicates()
    live = spans[(spans["valid_after"] <= moment) & (moment < spans["valid_until"])]
    if live.empty:
        raise ValueError(t("tor.archive.no_consensus", when=moment))
    return live["valid_after"].max()


def relay_at(archive: pd.DataFrame, ip: str, when: str | datetime | pd.Timestamp) -> pd.DataFrame:
    """The relays listed on address ``ip`` in the consensus valid at ``when``.

    An empty table means the address was not a relay then (several relays
    may share one address).
    """
    ip = _ip(ip)
    valid_after = consensus_at(archive, when)
    rows = archive[(archive["valid_after"] == valid_after) & (archive["address"] == ip)]
    return rows.reset_index(drop=True)


def was_relay(archive: pd.DataFrame, ip: str, when: str | datetime | pd.Timestamp) -> bool:
    """Whether ``ip`` was a Tor relay in the consensus valid at ``when``."""
    return not relay_at(archive, ip, when).empty
