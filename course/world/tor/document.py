"""Render the relay population as a signed v3 network-status consensus.

The document is the ``ns`` flavour (``r`` lines carry the descriptor digest,
``w`` and ``p`` lines follow each relay), as Tor keeps it in its data
directory under the name ``cached-consensus``. It is signed by fictional
directory authorities whose key certificates go to ``cached-certs``, so
stem can check the signatures as well as the syntax. Simplification: the
authorities' identity and signing keys are 1024-bit RSA (real identity keys
are 3072-bit), to keep the build fast.

Bandwidth weights follow dir-spec section 3.8.3 (the cases where guards or
exits are scarce), computed from the bandwidths of the relays as consensus
method 26 and later do (each total starts at 1). In the case's network, as
on the real one, exits are the scarce class (case 3, E < T/3).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from course.world.context import WorldContext
from course.world.tor.relays import PROTOCOLS, Relay
from course.world.tor.rsa import RsaKey, make_key, pem_block

WEIGHT_SCALE = 10000
KNOWN_FLAGS = ("Authority BadExit Exit Fast Guard HSDir MiddleOnly NoEdConsensus Running "
               "Stable StaleDesc Sybil V2Dir Valid")
#: fictional directory authorities: nickname, address (documentation ranges), dirport, orport
AUTHORITIES: tuple[tuple[str, str, int, int], ...] = (
    ("kestrel", "192.0.2.17", 80, 443),
    ("lumen", "198.51.100.41", 9030, 9001),
    ("meridian", "203.0.113.9", 80, 443),
    ("nadir", "192.0.2.200", 9030, 9090),
)
PARAMS = " ".join((
    "AuthDirMaxServersPerAddr=8 CircuitPriorityHalflifeMsec=30000 DoSCircuitCreationEnabled=1",
    "DoSConnectionEnabled=1 DoSConnectionMaxConcurrentCount=50",
    "DoSRefuseSingleHopClientRendezvous=1 ExtendByEd25519ID=1 KISTSchedRunInterval=3",
    "NumDirectoryGuards=3 NumEntryGuards=1 NumNTorsPerTAP=100 UseOptimisticData=1 bwauthpid=1",
    "cbttestfreq=10 hs_service_max_rdv_failures=1 hsdir_spread_store=4",
    "sendme_emit_min_version=1 usecreatefast=0",
))


@dataclass(frozen=True)
class Authority:
    """A directory authority with its two RSA keys."""

    nickname: str
    address: str
    dir_port: int
    or_port: int
    identity: RsaKey
    signing: RsaKey


_AUTHORITY_CACHE: dict[int, tuple[Authority, ...]] = {}


def make_authorities(ctx: WorldContext) -> tuple[Authority, ...]:
    """The authorities of this seed (keys from ``ctx.rng("tor.authorities")``).

    Drawing RSA primes takes most of the build time, so the result is kept per
    seed for the life of the process (the keys depend on the seed alone).
    """
    if ctx.seed not in _AUTHORITY_CACHE:
        rng = ctx.rng("tor.authorities")
        _AUTHORITY_CACHE[ctx.seed] = tuple(
            Authority(name, addr, dport, oport, make_key(rng), make_key(rng))
            for name, addr, dport, oport in AUTHORITIES
        )
    return _AUTHORITY_CACHE[ctx.seed]


def bandwidth_weights(relays: list[Relay]) -> dict[str, int]:
    """Position weights of dir-spec 3.8.3, scaled to ``WEIGHT_SCALE``.

    G: Guard only; E: Exit (not BadExit) only; D: both; M: neither.
    """
    totals = {"G": 1, "E": 1, "D": 1, "M": 1}  # consensus method >= 26: start at 1, T at 4
    for r in relays:
        exit_ = r.is_exit and "BadExit" not in r.flags
        key = "D" if exit_ and r.is_guard else "E" if exit_ else "G" if r.is_guard else "M"
        totals[key] += r.bandwidth
    G, E, D, M = (totals[k] for k in "GEDM")
    T = G + E + D + M
    s = WEIGHT_SCALE
    if 3 * E >= T and 3 * G >= T:  # case 1: neither scarce
        Wgd = Wed = Wmd = s // 3
        Wee = s * (E + G + M) // (3 * E)
        Wme = s - Wee
        Wmg = s * (2 * G - E - M) // (3 * G)
        Wgg = s - Wmg
    elif 3 * E < T and 3 * G < T:  # case 2: both scarce
        R, S = min(E, G), max(E, G)
        if R + D < S:
            Wgg = Wee = s
            Wmg = Wme = Wmd = 0
            Wed, Wgd = (s, 0) if E < G else (0, s)
        else:
            Wgg = Wee = s
            Wmg = Wme = 0
            Wed = s * (D - 2 * E + G + M) // (3 * D)
            Wmd = max(0, s * (D - 2 * M + G + E) // (3 * D))
            Wgd = s - Wed - Wmd
    else:  # case 3: one of them scarce
        S = min(E, G)
        if 3 * (S + D) < T:
            if G < E:
                Wgd = Wgg = s
                Wmg = Wed = Wmd = 0
                Wme = 0 if E < M else s * (E - M) // (2 * E)
                Wee = s - Wme
            else:
                Wed = Wee = s
                Wme = Wgd = Wmd = 0
                Wmg = 0 if G < M else s * (G - M) // (2 * G)
                Wgg = s - Wmg
        elif G < E:
            Wgg = s
            Wgd = s * (D - 2 * G + E + M) // (3 * D)
            Wmg = 0
            Wee = s * (E + M) // (2 * E)
            Wme = s - Wee
            Wed = Wmd = (s - Wgd) // 2
        else:
            Wee = s
            Wed = s * (D - 2 * E + G + M) // (3 * D)
            Wme = 0
            Wgg = s * (G + M) // (2 * G)
            Wmg = s - Wgg
            Wgd = Wmd = (s - Wed) // 2
    weights = {
        "Wbd": Wmd, "Wbe": Wme, "Wbg": Wmg, "Wbm": s, "Wdb": s, "Web": s, "Wed": Wed,
        "Wee": Wee, "Weg": Wed, "Wem": Wee, "Wgb": s, "Wgd": Wgd, "Wgg": Wgg, "Wgm": Wgg,
        "Wmb": s, "Wmd": Wmd, "Wme": Wme, "Wmg": Wmg, "Wmm": s,
    }
    return dict(sorted(weights.items()))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _relay_lines(relay: Relay) -> list[str]:
    identity = bytes.fromhex(relay.fingerprint)
    return [
        f"r {relay.nickname} {_b64(identity)} {_b64(relay.digest)} {_stamp(relay.published)} "
        f"{relay.address} {relay.or_port} {relay.dir_port}",
        "s " + " ".join(relay.flags),
        f"v Tor {relay.version}",
        f"pr {PROTOCOLS}",
        f"w Bandwidth={relay.bandwidth}",
        f"p {relay.policy}",
    ]


def render_consensus(ctx: WorldContext, relays: list[Relay], valid_after: datetime,
                     authorities: tuple[Authority, ...], stream: str = "tor.consensus") -> str:
    """The consensus text, signed by every authority (random parts from ``stream``)."""
    rng = ctx.rng(stream)
    versions = sorted({r.version for r in relays if "alpha" not in r.version})
    header = [
        "network-status-version 3",
        "vote-status consensus",
        "consensus-method 34",
        f"valid-after {_stamp(valid_after)}",
        f"fresh-until {_stamp(valid_after + timedelta(hours=1))}",
        f"valid-until {_stamp(valid_after + timedelta(hours=3))}",
        "voting-delay 300 300",
        "client-versions " + ",".join(versions),
        "server-versions " + ",".join(versions),
        f"known-flags {KNOWN_FLAGS}",
        "recommended-client-protocols Cons=2 Desc=2 DirCache=2 HSDir=2 HSIntro=4 HSRend=2 "
        "Link=4-5 Microdesc=2 Relay=2",
        "recommended-relay-protocols Cons=2 Desc=2 DirCache=2 HSDir=2 HSIntro=4 HSRend=2 "
        "Link=4-5 LinkAuth=3 Microdesc=2 Relay=2",
        "required-client-protocols Cons=2 Desc=2 Link=4 Microdesc=2 Relay=2",
        "required-relay-protocols Cons=2 Desc=2 DirCache=2 HSDir=2 HSIntro=4 HSRend=2 "
        "Link=4-5 LinkAuth=3 Microdesc=2 Relay=2",
        f"params {PARAMS}",
        f"shared-rand-previous-value 9 {base64.b64encode(rng.randbytes(32)).decode()}",
        f"shared-rand-current-value 9 {base64.b64encode(rng.randbytes(32)).decode()}",
    ]
    for auth in sorted(authorities, key=lambda a: a.identity.digest()):
        header += [
            f"dir-source {auth.nickname} {auth.identity.digest()} {auth.address} "
            f"{auth.address} {auth.dir_port} {auth.or_port}",
            f"contact {auth.nickname} directory authority <dirauth AT example DOT org>",
            f"vote-digest {rng.randbytes(20).hex().upper()}",
        ]
    body = [line for relay in relays for line in _relay_lines(relay)]
    weights = bandwidth_weights(relays)
    footer = [
        "directory-footer",
        "bandwidth-weights " + " ".join(f"{k}={v}" for k, v in weights.items()),
    ]
    signed = "\n".join(header + body + footer) + "\ndirectory-signature "
    digest = hashlib.sha1(signed.encode("ascii")).digest()
    signatures = []
    for auth in sorted(authorities, key=lambda a: a.identity.digest()):
        signatures.append(
            f"directory-signature {auth.identity.digest()} {auth.signing.digest()}\n"
            + pem_block("SIGNATURE", auth.signing.sign_digest(digest))
        )
    return "\n".join(header + body + footer + signatures) + "\n"


def render_certificates(authorities: tuple[Authority, ...], valid_after: datetime) -> str:
    """The authorities' key certificates (Tor's ``cached-certs``), really signed."""
    published = valid_after - timedelta(days=62)
    expires = published + timedelta(days=365)
    certs = []
    for auth in sorted(authorities, key=lambda a: a.identity.digest()):
        body = "\n".join([
            "dir-key-certificate-version 3",
            f"dir-address {auth.address}:{auth.dir_port}",
            f"fingerprint {auth.identity.digest()}",
            f"dir-key-published {_stamp(published)}",
            f"dir-key-expires {_stamp(expires)}",
            "dir-identity-key",
            pem_block("RSA PUBLIC KEY", auth.identity.public_der()),
            "dir-signing-key",
            pem_block("RSA PUBLIC KEY", auth.signing.public_der()),
            "dir-key-crosscert",
            pem_block("ID SIGNATURE", auth.signing.sign_digest(
                hashlib.sha1(auth.identity.public_der()).digest())),
            "dir-key-certification",
        ]) + "\n"
        signature = auth.identity.sign_digest(hashlib.sha1(body.encode("ascii")).digest())
        certs.append(body + pem_block("SIGNATURE", signature) + "\n")
    return "".join(certs)
