"""Bandwidth-weighted path selection, as Tor clients do it (path-spec).

A client builds a 3-hop circuit: it picks the **exit** first (a relay whose
policy allows the destination port and that is not BadExit, Exit flag or
not), then the **guard**, then the **middle** (path-spec 2.2). Each pick is
random, weighted by the relay's bandwidth times the consensus weight for that
position and that kind of relay (dir-spec 3.8.3; tor's
``compute_weighted_bandwidths``):

==========  =========  ==============  ==========  ===========
position    Guard only Guard and Exit  Exit only   neither
==========  =========  ==============  ==========  ===========
guard       ``Wgg``    ``Wgd``         (no)        (no)
middle      ``Wmg``    ``Wmd``         ``Wme``     ``Wmm``
exit        ``Weg``    ``Wed``         ``Wee``     ``Wem``
==========  =========  ==============  ==========  ===========

("Exit" here means the Exit flag without BadExit.) Only relays with the
Guard, Fast, Stable and V2Dir flags can be guards (guard-spec 4.0). Two
relays of one path may never be the same relay, in the same family, or in
the same /16 network: one operator, or one hosting network, must not see
both ends.

The probability that a relay is picked as guard is its guard weight divided
by the total guard weight of all relays that can be guards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.messages import t
from course.tor.consensus import _need, _port, accepts_port, find_relay

POSITIONS = ("guard", "middle", "exit")
WEIGHT_SCALE = 10000
#: position -> relay kind -> name of the bandwidth weight (kinds: G, D, E, M)
WEIGHT_NAMES: dict[str, dict[str, str]] = {
    "guard": {"G": "Wgg", "D": "Wgd"},
    "middle": {"G": "Wmg", "D": "Wmd", "E": "Wme", "M": "Wmm"},
    "exit": {"G": "Weg", "D": "Wed", "E": "Wee", "M": "Wem"},
}
#: flags a relay needs for each position (besides Running and Valid)
POSITION_FLAGS: dict[str, tuple[str, ...]] = {
    "guard": ("Guard", "Fast", "Stable", "V2Dir"),
    "middle": ("Fast",),
    "exit": (),
}
REQUIRED = ("nickname", "fingerprint", "flags", "bandwidth", "policy", "is_guard", "is_exit",
            "is_badexit", "subnet16", "family_id")

__all__ = ["Path", "PathSampler", "choose_path", "conflict", "guard_probabilities",
           "guard_probability", "guard_table", "position_weights", "relay_kind"]


def relay_kind(is_guard: bool, is_exit: bool, is_badexit: bool) -> str:
    """The kind a relay counts as for weights: ``G``, ``D``, ``E`` or ``M``."""
    usable_exit = is_exit and not is_badexit
    if is_guard:
        return "D" if usable_exit else "G"
    return "E" if usable_exit else "M"


def position_weights(
    relays: pd.DataFrame, weights: dict[str, int], position: str, port: int | None = None
) -> pd.Series:
    """Selection weight of every relay for ``position`` (0 where not eligible).

    Parameters
    ----------
    relays
        The table from :func:`course.tor.consensus.relays_table`.
    weights
        The consensus ``bandwidth-weights``.
    position
        ``"guard"``, ``"middle"`` or ``"exit"``.
    port
        For the exit position, the destination port the policy must accept.

    Returns
    -------
    pandas.Series
        Indexed like ``relays``: bandwidth x weight, or 0.
    """
    _need(relays, REQUIRED)
    if position not in WEIGHT_NAMES:
        raise ValueError(t("tor.path.bad_position", position=position))
    names = WEIGHT_NAMES[position]
    needed = ("Running", "Valid", *POSITION_FLAGS[position])
    usable = relays["flags"].map(lambda f: all(flag in f for flag in needed))
    if position == "exit":
        usable &= ~relays["is_badexit"].astype(bool)
        if port is not None:
            port = _port(port)
            usable &= relays["policy"].map(lambda p: accepts_port(p, port))
        else:
            usable &= relays["policy"] != "reject 1-65535"
    kinds = [relay_kind(g, e, b) for g, e, b in
             zip(relays["is_guard"], relays["is_exit"], relays["is_badexit"], strict=True)]
    # a weight missing from the consensus counts as the full scale (path-spec 2.2)
    factor = [float(weights.get(names[k], WEIGHT_SCALE)) if k in names else 0.0 for k in kinds]
    out = relays["bandwidth"].astype(float) * pd.Series(factor, index=relays.index)
    return out.where(usable, 0.0).rename(f"{position}_weight")


def guard_table(relays: pd.DataFrame, weights: dict[str, int]) -> pd.DataFrame:
    """The relays a client may pick as guard, with their guard weight.

    Returns
    -------
    pandas.DataFrame
        One row per relay with the Guard, Fast, Stable and V2Dir flags, largest
        guard weight first: ``nickname``, ``fingerprint``, ``bandwidth``,
        ``is_exit`` (a usable Exit flag: Exit without BadExit), ``factor``
        (the consensus weight, ``Wgg`` or ``Wgd``), ``weight_name`` and
        ``guard_weight`` (bandwidth x factor).
    """
    w = position_weights(relays, weights, "guard")
    eligible = relays["flags"].map(lambda f: all(x in f for x in ("Running", "Valid",
                                                                  *POSITION_FLAGS["guard"])))
    guards = relays[eligible]
    usable_exit = guards["is_exit"] & ~guards["is_badexit"]
    out = pd.DataFrame({
        "nickname": guards["nickname"],
        "fingerprint": guards["fingerprint"],
        "bandwidth": guards["bandwidth"],
        "is_exit": usable_exit,
        "weight_name": ["Wgd" if e else "Wgg" for e in usable_exit],
        "factor": [int(weights["Wgd"] if e else weights["Wgg"]) for e in usable_exit],
        "guard_weight": w[eligible].astype(float),
    })
    out = out.sort_values(["guard_weight", "nickname"], ascending=[False, True])
    return out.reset_index(drop=True)


def guard_probabilities(relays: pd.DataFrame, weights: dict[str, int]) -> pd.Series:
    """Probability of every relay to be picked as guard (sums to 1), by fingerprint."""
    w = position_weights(relays, weights, "guard")
    total = w.sum()
    if total <= 0:
        raise ValueError(t("tor.path.no_candidates", position="guard", why="no Guard weight"))
    return pd.Series((w / total).to_numpy(), index=relays["fingerprint"], name="guard_probability")


def guard_probability(relays: pd.DataFrame, weights: dict[str, int], relay: str) -> float:
    """Probability that ``relay`` (nickname or fingerprint) is picked as guard."""
    row = find_relay(relays, relay)
    return float(guard_probabilities(relays, weights)[row["fingerprint"]])


def conflict(a: pd.Series, b: pd.Series) -> str | None:
    """Why two relays may not share a path (``"same relay"``, ``"same family"``,
    ``"same /16"``), or None if they may."""
    if a["fingerprint"] == b["fingerprint"]:
        return "same relay"
    if a["family_id"] and a["family_id"] == b["family_id"]:
        return "same family"
    if a["subnet16"] == b["subnet16"]:
        return "same /16"
    return None


@dataclass(frozen=True)
class Path:
    """A circuit's three relays, by nickname and fingerprint."""

    guard: str
    middle: str
    exit: str
    guard_fp: str
    middle_fp: str
    exit_fp: str

    def as_dict(self) -> dict[str, str]:
        return {"guard": self.guard, "middle": self.middle, "exit": self.exit}


class PathSampler:
    """Draw paths from one consensus with a seeded random stream.

    Parameters
    ----------
    relays
        The table from :func:`course.tor.consensus.relays_table`.
    weights
        The consensus ``bandwidth-weights``.
    port
        Destination port the exit must accept (default 443).
    seed
        Seed of the random stream: the same seed gives the same paths.
    """

    def __init__(self, relays: pd.DataFrame, weights: dict[str, int], port: int = 443,
                 seed: int | None = 0) -> None:
        self.relays = relays.reset_index(drop=True)
        self.port = _port(port)
        self.rng = random.Random(seed)
        self._w = {pos: position_weights(self.relays, weights, pos, self.port).to_numpy()
                   for pos in POSITIONS}
        self._family = self.relays["family_id"].to_numpy()
        self._net = self.relays["subnet16"].to_numpy()

    def _allowed(self, chosen: list[int]) -> np.ndarray:
        ok = np.ones(len(self.relays), dtype=bool)
        for i in chosen:
            ok[i] = False
            ok &= self._net != self._net[i]
            if self._family[i]:
                ok &= self._family != self._family[i]
        return ok

    def _pick(self, position: str, chosen: list[int]) -> int:
        w = np.where(self._allowed(chosen), self._w[position], 0.0)
        if w.sum() <= 0:
            taken = ", ".join(self.relays["nickname"][i] for i in chosen) or "none"
            raise ValueError(t("tor.path.no_candidates", position=position,
                               why=f"already chosen: {taken}"))
        return self.rng.choices(range(len(w)), weights=w.tolist())[0]

    def draw(self) -> Path:
        """One path: exit first, then guard, then middle."""
        chosen: list[int] = []
        for position in ("exit", "guard", "middle"):
            chosen.append(self._pick(position, chosen))
        exit_, guard, middle = chosen
        names, fps = self.relays["nickname"], self.relays["fingerprint"]
        return Path(names[guard], names[middle], names[exit_], fps[guard], fps[middle],
                    fps[exit_])

    def sample(self, count: int) -> pd.DataFrame:
        """``count`` paths as a table (columns guard, middle, exit and their fingerprints)."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(t("tor.path.bad_count", count=count))
        return pd.DataFrame([vars(self.draw()) for _ in range(count)])


def choose_path(relays: pd.DataFrame, weights: dict[str, int], port: int = 443,
                seed: int | None = None) -> Path:
    """Pick one path the way a Tor client would (see :class:`PathSampler`)."""
    return PathSampler(relays, weights, port=port, seed=seed).draw()
