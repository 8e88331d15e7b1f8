"""The relay population of the world's Tor network.

A few hundred relays with realistic nicknames, identities, addresses, ports,
flags, bandwidths and exit policies. The population is shaped so that the
Day 1 exercises are never trivial:

- some operators run several relays and declare them as one family;
- several hosting providers each put many unrelated relays in one /16;
- some relays carry Guard and Exit at once (their guard weight is ``Wgd``);
- a few exits are flagged BadExit although their policy accepts 443;
- some relays without the Exit flag still exit to some ports (their policy
  accepts 443 only, or 80 but not 443): clients use them as exits too.

The relays are synthetic: their addresses come from ranges no real host
uses on the internet (the shared address space 100.64.0.0/10 for the hosting
providers' networks, the reserved 240.0.0.0/4 for the others), so no real
third party's address appears in the case.

Everything is drawn from ``ctx.rng("tor.relays")``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from course.world.context import WorldContext

#: Exit policy summaries as they appear on ``p`` lines.
POLICY_REJECT_ALL = "reject 1-65535"
REDUCED_EXIT_POLICY = (
    "accept 20-23,43,53,79-81,88,110,143,194,220,389,443,464-465,531,543-544,554,563,587,"
    "636,706,749,853,873,902-904,981,989-995,1194,1220,1293,1500,1533,1677,1723,1755,1863,"
    "2082-2083,2086-2087,2095-2096,2102-2104,3128,3389,3690,4321,4643,5050,5190,5222-5223,"
    "5228,5900,6660-6669,6679,6697,8000,8008,8074,8080,8082,8087-8088,8232-8233,8332-8333,"
    "8443,8888,9418,9999-10000,11371,19294,19638,50002,64738"
)
DEFAULT_EXIT_POLICY = "reject 25,119,135-139,445,563,1214,4661-4666,6346-6429,6699,6881-6999"
#: exit policies that give the Exit flag, with how often they are drawn
EXIT_POLICIES: tuple[tuple[str, int], ...] = (
    ("accept 80,443", 4),
    (REDUCED_EXIT_POLICY, 6),
    (DEFAULT_EXIT_POLICY, 3),
    ("accept 1-65535", 2),
    ("accept 80,6660-6669", 1),  # exits to 80, not 443: no Exit flag
    ("reject 25,443,465,587,8443", 1),  # exits to 80, not 443: no Exit flag
)
#: policies of relays without the Exit flag that still exit to 443 (80 closed)
NON_EXIT_ODD_POLICIES = ("accept 443", "accept 22,443", "accept 53,443")
#: the hosting providers' /16 networks are drawn from 100.64.0.0/10 (RFC 6598)
SHARED_SPACE = (100, range(64, 128))
#: every other relay's first octet: 240.0.0.0/4 (RFC 1112, reserved), without 255
RESERVED_FIRST_OCTETS = range(240, 255)

#: ORPorts operators pick (0: some other high port)
OR_PORTS = (9001, 9001, 9001, 443, 443, 9000, 8443, 9100, 0)
FLAG_ORDER = ("Authority", "BadExit", "Exit", "Fast", "Guard", "HSDir", "Running", "Stable",
              "V2Dir", "Valid")

VERSIONS: tuple[tuple[str, int], ...] = (
    ("0.4.8.12", 5), ("0.4.8.13", 8), ("0.4.8.14", 10), ("0.4.8.16", 12), ("0.4.8.17", 14),
    ("0.4.9.2-alpha", 2), ("0.4.7.16", 2),
)
PROTOCOLS = (
    "Conflux=1 Cons=1-2 Desc=1-2 DirCache=2 FlowCtrl=1-2 HSDir=2 HSIntro=4-5 HSRend=1-2 "
    "Link=1-5 LinkAuth=1,3 Microdesc=1-2 Padding=2 Relay=1-4"
)

COUNTRIES: tuple[tuple[str, int], ...] = (
    ("de", 22), ("us", 14), ("nl", 9), ("fr", 8), ("se", 4), ("ch", 4), ("fi", 3), ("ro", 3),
    ("at", 3), ("ca", 3), ("gb", 3), ("pl", 2), ("lu", 2), ("cz", 2), ("no", 2), ("is", 1),
    ("ua", 1), ("jp", 1), ("sg", 1), ("md", 1),
)
#: fictional hosting providers, each owning one /16 (documentation ASNs 64496-64511)
HOSTERS: tuple[tuple[str, str, str], ...] = (
    ("Nordvik Hosting", "AS64496", "de"),
    ("Lowlands Datacenter", "AS64497", "nl"),
    ("Gallia Serveurs", "AS64498", "fr"),
    ("Helvetic Racks", "AS64499", "ch"),
    ("Baltic Cloud", "AS64500", "fi"),
    ("Carpathia Net", "AS64501", "ro"),
    ("Prairie Colo", "AS64502", "us"),
    ("Danube Hosting", "AS64503", "at"),
)
_STEMS = (
    "Quartz", "Nebula", "Kestrel", "Lindwurm", "Falke", "Mondlicht", "Saturn", "Zwiebel",
    "Birch", "Onyx", "Ferret", "Solstice", "Marmot", "Tundra", "Basalt", "Heron", "Otter",
    "Cobalt", "Juniper", "Piper", "Orca", "Lynx", "Vireo", "Ember", "Glacier", "Aspen",
    "Nimbus", "Sable", "Tamarack", "Umbra", "Vesper", "Wombat", "Yarrow", "Zephyr", "Ostrich",
    "Pelican", "Fjord", "Granit", "Hibou", "Igel", "Jaguar", "Koala", "Lemur", "Moewe",
    "Narwhal", "Oktopus", "Puffin", "Quokka", "Rabe", "Specht", "Taube", "Uhu", "Wiesel",
    "Dachs", "Elster", "Fuchs", "Gecko", "Hummel", "Ibis", "Kranich", "Lerche", "Milan",
    "Tapir", "Yak", "Bison", "Caracal", "Dingo", "Eider", "Gannet", "Hoopoe", "Jackal",
    "Libelle", "Salamander", "Wildkatze", "Bergfink", "Feldhase", "Kiebitz", "Rotkehlchen",
)
_PREFIXES = ("", "", "", "", "tor", "relay", "my", "the", "free", "priv", "not", "anon")
_SUFFIXES = ("", "", "", "Relay", "Node", "Tor", "Net", "Exit", "01", "02", "3", "42", "99",
             "2024", "Onion", "Privacy", "Libre", "Box", "Pi", "VPS")
#: operators who run a family of relays: (name stem, size, role of their relays)
FAMILY_ROLES = ("exit", "guard", "middle", "guardexit", "mixed")


@dataclass
class Relay:
    """One relay of the consensus, as the generator knows it."""

    nickname: str
    fingerprint: str  # 40 upper-case hex digits: SHA-1 of the identity key
    digest: bytes  # SHA-1 of its server descriptor (20 bytes)
    address: str
    or_port: int
    dir_port: int
    flags: tuple[str, ...]
    bandwidth: int
    policy: str
    version: str
    published: datetime
    country: str
    as_number: str
    as_name: str
    family: str = ""  # operator id; "" when the relay declares no family
    contact: str = ""
    alleged_family: list[str] = field(default_factory=list)

    @property
    def is_guard(self) -> bool:
        return "Guard" in self.flags

    @property
    def is_exit(self) -> bool:
        return "Exit" in self.flags

    @property
    def subnet16(self) -> str:
        return ".".join(self.address.split(".")[:2])


def policy_accepts(policy: str, port: int) -> bool:
    """Whether a ``p`` line policy summary lets traffic out to ``port``."""
    action, _, ranges = policy.partition(" ")
    listed = False
    for item in ranges.split(","):
        low, _, high = item.partition("-")
        if int(low) <= port <= int(high or low):
            listed = True
            break
    return listed if action == "accept" else not listed


def gets_exit_flag(policy: str) -> bool:
    """Tor's rule since 0.3.2 (dir-spec 3.4.2): an Exit allows ports 80 and 443.

    (The rule allows exits to "at least one /8" on each port; a ``p`` line
    summary lists the ports open to the whole internet, so both must be in it.)
    """
    return policy_accepts(policy, 80) and policy_accepts(policy, 443)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _synthetic_net(rng: random.Random) -> str:
    """A /16 network of 240.0.0.0/4 (reserved: never a real host on the internet)."""
    return f"{rng.choice(RESERVED_FIRST_OCTETS)}.{rng.randint(0, 255)}"


def _hoster_net(rng: random.Random) -> str:
    """A /16 network of 100.64.0.0/10 (shared address space, never routed publicly)."""
    first, seconds = SHARED_SPACE
    return f"{first}.{rng.choice(seconds)}"


def _nickname(rng: random.Random, taken: set[str]) -> str:
    while True:
        stem = rng.choice(_STEMS)
        prefix, suffix = rng.choice(_PREFIXES), rng.choice(_SUFFIXES)
        name = prefix + (stem.lower() if prefix and rng.random() < 0.5 else stem) + suffix
        if rng.random() < 0.15:
            name = name.lower()
        if len(name) <= 19 and name.lower() not in {t.lower() for t in taken}:
            taken.add(name)
            return name


def _bandwidth(rng: random.Random, role: str) -> int:
    mu = {"guard": 9.4, "guardexit": 9.6, "exit": 8.9, "middle": 7.6}[role]
    return max(20, min(160000, int(rng.lognormvariate(mu, 1.0))))


def _flags(
    rng: random.Random, role: str, bandwidth: int, policy: str, bad: bool
) -> tuple[str, ...]:
    flags = {"Running", "Valid"}
    fast = bandwidth >= 400 or role != "middle"
    stable = role in ("guard", "guardexit") or rng.random() < 0.65
    if fast:
        flags.add("Fast")
    if stable:
        flags.add("Stable")
    guard = role in ("guard", "guardexit")
    if guard:
        flags.add("Guard")
    if gets_exit_flag(policy):
        flags.add("Exit")
    if bad:
        flags.add("BadExit")
    # Guard requires V2Dir (dir-spec 3.4.2, since 0.3.3): clients fetch directory info from guards
    if guard or rng.random() < 0.9:
        flags.add("V2Dir")
        if fast and stable and rng.random() < 0.8:
            flags.add("HSDir")
    return tuple(f for f in FLAG_ORDER if f in flags)


def _policy(rng: random.Random, role: str) -> str:
    if role in ("exit", "guardexit"):
        return _weighted(rng, EXIT_POLICIES)
    if rng.random() < 0.03:
        return rng.choice(NON_EXIT_ODD_POLICIES)
    return POLICY_REJECT_ALL


def _role(rng: random.Random) -> str:
    return rng.choices(("guard", "middle", "exit", "guardexit"), weights=(34, 44, 13, 9))[0]


class RelayFactory:
    """Draws relays with unique nicknames and addresses from one random stream.

    The world's population is made by :func:`make_relays`; the consensus
    archive asks the same factory for relays that left the network before
    the case's consensus (so no nickname or address is used twice).
    """

    def __init__(self, rng: random.Random, valid_after: datetime) -> None:
        self.rng = rng
        self.valid_after = valid_after
        self.taken: set[str] = set()
        self.used_addresses: set[str] = set()
        self.hoster_nets: dict[str, str] = {}
        for name, _, _ in HOSTERS:
            while True:
                net = _hoster_net(rng)
                if net not in self.hoster_nets.values():
                    self.hoster_nets[name] = net
                    break

    def address(self, net: str | None) -> str:
        """A fresh address in ``net`` (a /16 such as ``"100.70"``) or in 240.0.0.0/4."""
        rng = self.rng
        while True:
            prefix = net or _synthetic_net(rng)
            addr = f"{prefix}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            if addr not in self.used_addresses:
                self.used_addresses.add(addr)
                return addr

    def nickname(self) -> str:
        """A fresh nickname."""
        return _nickname(self.rng, self.taken)

    def relay(self, role: str, nickname: str, where: tuple[str, str, str] | None,
              bad: bool = False, policy: str | None = None) -> Relay:
        """One relay of ``role`` (``guard``, ``middle``, ``exit``, ``guardexit``).

        ``where`` is a hoster of :data:`HOSTERS`; None draws one (30 %) or a
        regional ISP.
        """
        rng = self.rng
        if where is None and rng.random() < 0.3:
            where = rng.choice(HOSTERS)
        if where is not None:
            as_name, asn, country = where
            addr = self.address(self.hoster_nets[as_name])
        else:
            country = _weighted(rng, COUNTRIES)
            asn = f"AS{rng.randint(64505, 64511)}"
            as_name = f"Regional ISP {asn[2:]}"
            addr = self.address(None)
        bandwidth = _bandwidth(rng, role)
        policy = policy or _policy(rng, role)
        if bad:
            bandwidth = max(bandwidth // 4, 40)
        published = self.valid_after - timedelta(seconds=rng.randint(600, 18 * 3600))
        return Relay(
            nickname=nickname,
            fingerprint=rng.getrandbits(160).to_bytes(20, "big").hex().upper(),
            digest=rng.getrandbits(160).to_bytes(20, "big"),
            address=addr,
            or_port=rng.choice(OR_PORTS) or rng.randint(1025, 65000),
            dir_port=rng.choice((0, 0, 0, 0, 9030, 80)),
            flags=_flags(rng, role, bandwidth, policy, bad),
            bandwidth=bandwidth,
            policy=policy,
            version=_weighted(rng, VERSIONS),
            published=published.replace(microsecond=0),
            country=country,
            as_number=asn,
            as_name=as_name,
        )

    def random_relay(self) -> Relay:
        """A relay of a random role, without family."""
        relay = self.relay(_role(self.rng), self.nickname(), None)
        if self.rng.random() < 0.2:
            relay.contact = f"{relay.nickname.lower()} at example dot net"
        return relay


def make_relays(ctx: WorldContext, valid_after: datetime) -> tuple[list[Relay], RelayFactory]:
    """Draw the relay population (310-380 relays), sorted by identity fingerprint.

    Returns the relays and the factory that drew them (for the archive).
    """
    rng = ctx.rng("tor.relays")
    count = rng.randint(310, 380)
    factory = RelayFactory(rng, valid_after)
    taken = factory.taken
    one = factory.relay

    relays: list[Relay] = []
    # operators with families: same stem, numbered nicknames, often one hoster
    for index in range(rng.randint(6, 8)):
        stem = rng.choice(_STEMS)
        while any(stem.lower() in t.lower() for t in taken):
            stem = rng.choice(_STEMS)
        base = stem + rng.choice(("Exit", "Relay", "Net", "Tor", ""))
        role = FAMILY_ROLES[index % len(FAMILY_ROLES)]
        size = rng.randint(2, 6)
        where = rng.choice(HOSTERS) if rng.random() < 0.6 else None
        contact = f"{stem.lower()} AT example DOT {rng.choice(('org', 'net', 'de'))}"
        for n in range(1, size + 1):
            nickname = f"{base}{n:02d}"
            taken.add(nickname)
            member_role = role if role != "mixed" else _role(rng)
            relay = one(member_role, nickname, where if where and n % 3 else None)
            relay.family = f"family_{index + 1}"
            relay.contact = contact
            relays.append(relay)
    # a few bad exits: Exit and BadExit, policy open to 443, never Guard
    for _ in range(rng.randint(3, 5)):
        policy = rng.choice(("accept 80,443", REDUCED_EXIT_POLICY, "accept 1-65535"))
        relays.append(one("exit", factory.nickname(), None, bad=True, policy=policy))
    # two relays that exit to 80 but not 443, and two that exit to 443 but not 80:
    # none of the four gets the Exit flag
    for policy in ("accept 80,6660-6669", "reject 25,443,465,587,8443"):
        relays.append(one("exit", factory.nickname(), None, policy=policy))
    for policy in NON_EXIT_ODD_POLICIES[:2]:
        relays.append(one("middle", factory.nickname(), None, policy=policy))
    while len(relays) < count:
        relays.append(factory.random_relay())
    # one relay that names another as family without it answering: not a family
    lonely, claimed = rng.sample([r for r in relays if not r.family], 2)
    lonely.alleged_family = [claimed.fingerprint]
    relays.sort(key=lambda r: r.fingerprint)
    return relays, factory


def families(relays: list[Relay]) -> dict[str, list[str]]:
    """Operator id -> fingerprints of its relays (mutual, declared families only)."""
    out: dict[str, list[str]] = {}
    for relay in relays:
        if relay.family:
            out.setdefault(relay.family, []).append(relay.fingerprint)
    return out
