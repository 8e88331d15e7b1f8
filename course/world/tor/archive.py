"""The network's past: archived consensuses and a log of IP addresses to check.

Relays come and go. An investigator who finds an IP address in a log (a
forum's answer to a production order, a web server's access log) asks
ExoneraTor's question: *was this address a Tor relay at that moment?* The
answer comes from the consensus valid at that time, not from today's.

This module draws that history around the case's consensus:

- most relays of the case's consensus were already running weeks before;
  some joined only days before it;
- some relays ran earlier and had left the network by the case's consensus
  (they are in the archive, not in ``cached-consensus``);
- for a few dates, the consensus valid at a given hour is written as
  CollecTor archives it (``YYYY-MM-DD-HH-MM-SS-consensus``, with its
  ``@type`` annotation), signed by the same authorities;
- a forum's answer lists the IP address behind each post: some are Tor
  exits at that time (one that has since left the network), one is a relay
  that joined only later, the others are not relays at all (subscriber lines
  from a documentation range, and a neighbour of a relay in its /16).

Everything is drawn from ``ctx.rng("tor.archive")``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from course.world.context import WorldContext, csv_text
from course.world.tor import document
from course.world.tor.relays import (
    EXIT_POLICIES,
    Relay,
    RelayFactory,
    policy_accepts,
)

ARCHIVE_DIR = "data/tor/archive"
LOG_FILE = "data/tor/forum_post_ips.csv"
#: how many days before the case's consensus each archived consensus is valid
DAYS_BEFORE = (19, 8, 2)
#: how far back the churn reaches (relays join or leave within this window)
WINDOW = timedelta(days=25)
#: relays that ran earlier and left before the case's consensus
DEPARTED_EXITS = 6
DEPARTED_OTHERS = 18
#: share of the case's relays that joined within the window
JOINED_SHARE = 0.12
#: subscriber lines of the log (TEST-NET-2, RFC 5737: never a real host)
SUBSCRIBER_NET = "198.51.100"
EXIT_PORT = 443


@dataclass(frozen=True)
class Snapshot:
    """One archived consensus: when it became valid, and the relays it lists."""

    valid_after: datetime
    relays: list[Relay]

    @property
    def file_name(self) -> str:
        return self.valid_after.strftime("%Y-%m-%d-%H-%M-%S") + "-consensus"


@dataclass
class History:
    """The archive and the log of one world."""

    snapshots: list[Snapshot]
    log: list[dict[str, str]]
    tor_ips: list[str]
    truth: dict[str, object]


def usable_exit(relay: Relay, port: int = EXIT_PORT) -> bool:
    """Whether a client may use ``relay`` as exit to ``port`` (policy, no BadExit)."""
    return "BadExit" not in relay.flags and policy_accepts(relay.policy, port)


def _at(relay: Relay, valid_after: datetime, rng) -> Relay:
    """The relay as a consensus valid at ``valid_after`` lists it."""
    published = valid_after - timedelta(seconds=rng.randint(600, 18 * 3600))
    return dataclasses.replace(relay, published=published)


def make_history(ctx: WorldContext, population: list[Relay], factory: RelayFactory,
                 valid_after: datetime) -> History:
    """Draw the archived consensuses and the IP log around ``valid_after``."""
    rng = ctx.rng("tor.archive")
    factory.rng = rng  # the case's population is drawn: new relays come from this stream
    start = valid_after - WINDOW
    span = int((valid_after - start).total_seconds()) - 3600

    def moment() -> datetime:
        return start + timedelta(seconds=rng.randint(0, span))

    dates = [(valid_after - timedelta(days=d)).replace(hour=rng.randrange(24)) for d in
             DAYS_BEFORE]
    joined = {r.fingerprint: moment() for r in population if rng.random() < JOINED_SHARE}
    # a usable exit of today's consensus that joined after the last archived date
    late = rng.choice(sorted((r for r in population if usable_exit(r) and r.is_exit),
                             key=lambda r: r.fingerprint))
    joined[late.fingerprint] = dates[-1] + timedelta(hours=rng.randint(2, 40))
    departed: dict[str, datetime] = {}
    extra: list[Relay] = []
    for k in range(DEPARTED_EXITS + DEPARTED_OTHERS):
        if k < DEPARTED_EXITS:
            policy = rng.choice([p for p, _ in EXIT_POLICIES if policy_accepts(p, EXIT_PORT)])
            relay = factory.relay("exit", factory.nickname(), None, policy=policy)
        else:
            relay = factory.random_relay()
        extra.append(relay)
        departed[relay.fingerprint] = moment()
    # the first departed exit left after the first archived date
    departed[extra[0].fingerprint] = dates[0] + timedelta(days=rng.randint(2, 6))

    snapshots = []
    for when in dates:
        listed = [r for r in population if joined.get(r.fingerprint, start) <= when]
        listed += [r for r in extra if departed[r.fingerprint] > when]
        listed = sorted((_at(r, when, rng) for r in listed), key=lambda r: r.fingerprint)
        snapshots.append(Snapshot(when, listed))

    log, tor_ips = _log(rng, snapshots, population, extra[0], late)
    truth = {
        "archive_dates": [s.valid_after.isoformat() for s in snapshots],
        "departed": sorted(r.nickname for r in extra),
        "joined_late": sorted(r.nickname for r in population if r.fingerprint in joined),
        "log_relays": tor_ips,
        "departed_exit_in_log": extra[0].address,
        "late_exit_in_log": late.address,
    }
    return History(snapshots, log, tor_ips, truth)


def _log(rng, snapshots: list[Snapshot], population: list[Relay], gone: Relay,
         late: Relay) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of the forum's answer: (time, ip) per post, and the IPs that were relays."""
    first, middle, last = snapshots
    today = {r.fingerprint for r in population}

    def during(snapshot: Snapshot) -> datetime:
        return snapshot.valid_after + timedelta(minutes=rng.randint(1, 58),
                                                seconds=rng.randint(0, 59))

    chosen: set[str] = {gone.address, late.address}

    def stable_exit(snapshot: Snapshot) -> Relay:
        """A usable exit then, still in today's consensus, not yet in the log."""
        relay = rng.choice([r for r in snapshot.relays if usable_exit(r) and r.fingerprint
                            in today and r.address not in chosen])
        chosen.add(relay.address)
        return relay

    relay_nets = {".".join(r.address.split(".")[:2]) for s in snapshots for r in s.relays}
    relay_ips = {r.address for s in snapshots for r in s.relays} | {r.address for r in population}
    while True:
        neighbour = f"{rng.choice(sorted(relay_nets))}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if neighbour not in relay_ips:
            break
    home = f"{SUBSCRIBER_NET}.{rng.randint(2, 254)}"
    rows = [
        (during(first), stable_exit(first).address, True),
        (during(first), gone.address, True),  # an exit then, gone from today's consensus
        (during(middle), home, False),
        (during(middle), stable_exit(middle).address, True),
        (during(middle), late.address, False),  # a relay today, not yet at that time
        (during(last), neighbour, False),
        (during(last), home, False),
        (during(last), f"{SUBSCRIBER_NET}.{rng.randint(2, 254)}", False),
    ]
    rows.sort(key=lambda row: row[0])
    log = [{"post_id": str(9000 + 37 * i + rng.randint(0, 30)),
            "time_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "ip": ip}
           for i, (when, ip, _) in enumerate(rows)]
    tor_ips = sorted({ip for _, ip, relay in rows if relay})
    return log, tor_ips


def write(ctx: WorldContext, assignment: str, history: History, authorities) -> None:
    """Write the archived consensuses and the log into ``assignment``'s data."""
    for k, snapshot in enumerate(history.snapshots):
        text = document.render_consensus(ctx, snapshot.relays, snapshot.valid_after,
                                         authorities, stream=f"tor.archive.consensus.{k}")
        ctx.add_file(assignment, f"{ARCHIVE_DIR}/{snapshot.file_name}",
                     "@type network-status-consensus-3 1.0\n" + text)
    ctx.add_file(assignment, LOG_FILE, csv_text(history.log, ("post_id", "time_utc", "ip")))
