"""Day 1: the world's Tor network and the markets' onion services.

``generate(ctx)`` writes, for assignment ``day1-darkweb-tor``:

``data/tor/cached-consensus``
    A signed v3 network-status consensus (ns flavour), as found in a Tor
    data directory; stem parses it with validation.
``data/tor/cached-certs``
    The directory authorities' key certificates, to check the signatures.
``data/tor/onionoo_details.json``
    Relay details as the Onionoo service (Relay Search) gives them: country,
    AS, contact and the declared, mutual families (``effective_family``).
``data/onion/candidates.csv``
    Onion addresses found during the investigation: genuine mirrors and
    phishing clones, shuffled.
``data/onion/hs_ed25519_public_key``, ``data/onion/hs_ed25519_secret_key``
    The service key pair in Tor's own file formats, from a seized server.
``data/tor/archive/YYYY-MM-DD-HH-MM-SS-consensus``
    Consensuses of three earlier dates, as CollecTor archives them.
``data/tor/forum_post_ips.csv``
    A forum's answer: the IP address behind each post, with its time (UTC).
``data/tor/questions.json``
    The parameters of the exercises (which relay, which port, which files,
    as paths relative to ``data/``).

It records the Day 1 answers (``day1_*``), the ground truth (``tor``) and
shares ``ctx.state["onion"]`` and ``ctx.state["tor"]`` with later generators.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from course.world.context import WorldContext, csv_text
from course.world.tor import archive, document, onions, relays

ASSIGNMENT = "day1-darkweb-tor"
CONSENSUS_FILE = "data/tor/cached-consensus"
CERTS_FILE = "data/tor/cached-certs"
DETAILS_FILE = "data/tor/onionoo_details.json"
CANDIDATES_FILE = "data/onion/candidates.csv"
PUBLIC_KEY_FILE = "data/onion/hs_ed25519_public_key"
SECRET_KEY_FILE = "data/onion/hs_ed25519_secret_key"
ARCHIVE_DIR = archive.ARCHIVE_DIR
LOG_FILE = archive.LOG_FILE
QUESTIONS_FILE = "data/tor/questions.json"
EXIT_PORT = 443
#: Ex 2.9 asks for 4 decimal places: any answer within half a unit of the 4th place passes
GUARD_PROBABILITY_TOLERANCE = 0.000051
#: the consensus is from this period (the case's market activity)
PERIOD_START = datetime(2025, 10, 6)
PERIOD_DAYS = 50


def _valid_after(ctx: WorldContext) -> datetime:
    rng = ctx.rng("tor.time")
    return PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS), hours=rng.randrange(24))


#: the flags a client needs in a guard (guard-spec 4.0)
GUARD_FLAGS = ("Guard", "Fast", "Stable", "V2Dir")


def guard_weights(population: list[relays.Relay], weights: dict[str, int]) -> dict[str, float]:
    """Fingerprint -> guard-position weight: bandwidth x Wgg (Guard only) or
    x Wgd (Guard and a usable Exit), for every relay a client may pick as
    guard (Guard, Fast, Stable and V2Dir flags: guard-spec 4.0)."""
    out = {}
    for r in population:
        if all(f in r.flags for f in GUARD_FLAGS):
            usable_exit = r.is_exit and "BadExit" not in r.flags
            out[r.fingerprint] = r.bandwidth * weights["Wgd" if usable_exit else "Wgg"]
    return out


def _details(population: list[relays.Relay], valid_after: datetime) -> str:
    fams = relays.families(population)
    rows = []
    for r in population:
        row: dict[str, object] = {
            "nickname": r.nickname,
            "fingerprint": r.fingerprint,
            "or_addresses": [f"{r.address}:{r.or_port}"],
            "country": r.country,
            "as": r.as_number,
            "as_name": r.as_name,
            "platform": f"Tor {r.version} on Linux",
        }
        if r.contact:
            row["contact"] = r.contact
        if r.family:
            row["effective_family"] = sorted(fams[r.family])
        if r.alleged_family:
            row["alleged_family"] = list(r.alleged_family)
        rows.append(row)
    doc = {
        "version": "8.0",
        "relays_published": valid_after.strftime("%Y-%m-%d %H:%M:%S"),
        "relays": rows,
        "bridges_published": valid_after.strftime("%Y-%m-%d %H:%M:%S"),
        "bridges": [],
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _candidates_csv(rows: list[dict[str, str]]) -> str:
    return csv_text(rows, ("address", "found_in"))


def _named_relay(ctx: WorldContext, population: list[relays.Relay]) -> relays.Relay:
    """A Guard-only relay of middling bandwidth: the relay of the guard exercise."""
    guards = sorted((r for r in population if r.is_guard and not r.is_exit),
                    key=lambda r: (r.bandwidth, r.fingerprint))
    low, high = int(len(guards) * 0.4), int(len(guards) * 0.8)
    return ctx.rng("tor.questions").choice(guards[low:high])


def _network(ctx: WorldContext) -> dict[str, object]:
    valid_after = _valid_after(ctx)
    population, factory = relays.make_relays(ctx, valid_after)
    authorities = document.make_authorities(ctx)
    weights = document.bandwidth_weights(population)
    ctx.add_file(ASSIGNMENT, CONSENSUS_FILE,
                 document.render_consensus(ctx, population, valid_after, authorities))
    ctx.add_file(ASSIGNMENT, CERTS_FILE, document.render_certificates(authorities, valid_after))
    ctx.add_file(ASSIGNMENT, DETAILS_FILE, _details(population, valid_after))

    def count(flag: str) -> int:
        return sum(flag in r.flags for r in population)

    ctx.add_answer("day1_relay_count", len(population),
                   hint="Count the router status entries (the 'r' lines) of the consensus.")
    for flag in ("Guard", "Exit", "HSDir", "BadExit"):
        ctx.add_answer(f"day1_{flag.lower()}_count", count(flag),
                       hint=f"Count the relays whose flags include '{flag}' (the 's' line).")
    named = _named_relay(ctx, population)
    gw = guard_weights(population, weights)
    probability = gw[named.fingerprint] / sum(gw.values())
    ctx.add_answer(
        "day1_guard_probability", probability, compare="float",
        tolerance=GUARD_PROBABILITY_TOLERANCE,
        hint="Divide the named relay's guard_weight (bandwidth x Wgg) by the sum of the "
             "guard_weight column of all guards - not its bandwidth by the sum of bandwidths. "
             "Four decimal places are enough.",
    )
    exits_443 = sorted(r.nickname for r in population if archive.usable_exit(r, EXIT_PORT))
    ctx.add_answer(
        "day1_exits_port_443", exits_443, compare="set",
        hint="Two conditions: a 'p' policy that accepts port 443, and no BadExit flag. "
             "The Exit flag is not needed: a client uses any relay whose policy allows the port.",
    )
    history = archive.make_history(ctx, population, factory, valid_after)
    archive.write(ctx, ASSIGNMENT, history, authorities)
    ctx.add_answer(
        "day1_tor_ips", history.tor_ips, compare="set",
        hint="Check each IP against the consensus valid at the time of its post (the archive), "
             "not against today's consensus: relays join and leave.",
    )
    ctx.state["tor"] = {
        "assignment": ASSIGNMENT,
        "consensus_file": CONSENSUS_FILE,
        "valid_after": valid_after.isoformat(),
        "named_relay": named.nickname,
        "named_relay_fingerprint": named.fingerprint,
        "exit_port": EXIT_PORT,
    }
    naive = named.bandwidth / sum(r.bandwidth for r in population if r.is_guard)
    return {
        "valid_after": valid_after.isoformat(),
        "relay_count": len(population),
        "bandwidth_weights": weights,
        "families": {fam: sorted(r.nickname for r in population if r.family == fam)
                     for fam in relays.families(population)},
        "alleged_not_mutual": [(r.nickname, r.alleged_family[0]) for r in population
                               if r.alleged_family],
        "named_relay": {"nickname": named.nickname, "fingerprint": named.fingerprint,
                        "guard_probability": probability,
                        "naive_bandwidth_share": naive},
        "authorities": [a.nickname for a in authorities],
        "archive": history.truth,
    }


def _services(ctx: WorldContext) -> dict[str, object]:
    services = onions.make_services(ctx)
    rows = onions.candidates(ctx, services)
    ctx.add_file(ASSIGNMENT, CANDIDATES_FILE, _candidates_csv(rows))
    ctx.state["onion"] = {s.service: s.public_facts() for s in services}

    rng = ctx.rng("tor.onion.seized")
    seized = next(s for s in services if s.service == onions.SERVICES[0])
    seized_key = rng.choice(seized.mirror_keys)
    ctx.add_file(ASSIGNMENT, PUBLIC_KEY_FILE, onions.public_key_file(seized_key))
    ctx.add_file(ASSIGNMENT, SECRET_KEY_FILE, onions.secret_key_file(seized.seeds[seized_key]))
    derived = onions.address_of(seized_key)
    ctx.add_answer("day1_derived_address", derived,
                   hint="checksum = SHA3-256(b'.onion checksum' + key + b'\\x03')[:2]; "
                        "address = base32(key + checksum + b'\\x03'), lower case, + '.onion'.")

    listed = [row["address"] for row in rows]
    genuine = {a for s in services for a in s.genuine}
    ctx.add_answer("day1_valid_addresses", sorted(a for a in listed if onions.is_valid(a)),
                   compare="set",
                   hint="Keep the addresses whose checksum and version byte are right "
                        "(56 base32 characters + '.onion').")
    ctx.add_answer("day1_unverified_addresses", sorted(a for a in listed if a not in genuine),
                   compare="set",
                   hint="A valid checksum is not enough: keep every candidate that is not on a "
                        "verified mirror list, whether its checksum is valid or not.")
    return {
        "seized_key_service": seized.service,
        "seized_key_address": derived,
        "typo_clones": sorted(a for s in services for a in s.typo_clones),
        "lookalike_clones": sorted(a for s in services for a in s.lookalike_clones),
    }


def generate(ctx: WorldContext) -> None:
    """Write the Day 1 Tor files, answers, ground truth and shared state."""
    truth = {"network": _network(ctx), "onion": _services(ctx)}
    questions = {
        "consensus_file": CONSENSUS_FILE.removeprefix("data/"),
        "certificates_file": CERTS_FILE.removeprefix("data/"),
        "details_file": DETAILS_FILE.removeprefix("data/"),
        "guard_probability_relay": ctx.state["tor"]["named_relay"],
        "exit_port": EXIT_PORT,
        "flags_to_count": ["Guard", "Exit", "HSDir", "BadExit"],
        "onion_candidates_file": CANDIDATES_FILE.removeprefix("data/"),
        "public_key_file": PUBLIC_KEY_FILE.removeprefix("data/"),
        "secret_key_file": SECRET_KEY_FILE.removeprefix("data/"),
        "archive_dir": ARCHIVE_DIR.removeprefix("data/"),
        "ip_log_file": LOG_FILE.removeprefix("data/"),
    }
    ctx.add_file(ASSIGNMENT, QUESTIONS_FILE, json.dumps(questions, indent=1) + "\n")
    ctx.add_truth("tor", truth)
