"""Bandwidth-weighted path selection (course.tor.pathsel)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from course.tor import consensus, pathsel
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
    return ctx, root / "data" / "tor"


@pytest.fixture(scope="module")
def relays(world) -> pd.DataFrame:
    _, data = world
    return consensus.relays_table(data / "cached-consensus", data / "onionoo_details.json")


@pytest.fixture(scope="module")
def weights(world) -> dict[str, int]:
    return consensus.bandwidth_weights(world[1] / "cached-consensus")


def table(rows: list[tuple]) -> pd.DataFrame:
    """A tiny relay table: (nickname, flags, bandwidth, policy, subnet16, family_id).

    Every relay is Running, Valid and Fast; a Guard is also Stable and V2Dir
    unless its flags say ``-V2Dir``.
    """
    out = []
    for i, (nick, flags, bw, policy, net, fam) in enumerate(rows):
        extra = {"Stable", "V2Dir"} if "Guard" in flags else set()
        if "-V2Dir" in flags:
            extra.discard("V2Dir")
        flags = tuple(sorted({*(f for f in flags if not f.startswith("-")), *extra,
                              "Running", "Valid", "Fast"}))
        out.append({"nickname": nick, "fingerprint": f"{i:040X}", "flags": flags,
                    "bandwidth": bw, "policy": policy, "is_guard": "Guard" in flags,
                    "is_exit": "Exit" in flags, "is_badexit": "BadExit" in flags,
                    "subnet16": net, "family_id": fam})
    return pd.DataFrame(out)


W = {"Wgg": 6000, "Wgd": 2000, "Wmg": 4000, "Wmd": 2000, "Wme": 0, "Wmm": 10000,
     "Wed": 6000, "Wee": 10000, "Weg": 7000, "Wem": 9000}


def test_guard_probabilities_sum_to_one(relays: pd.DataFrame, weights) -> None:
    """Check guard probabilities cover exactly the Guard relays and sum to 1."""
    probs = pathsel.guard_probabilities(relays, weights)
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    guards = set(relays.loc[relays["is_guard"], "fingerprint"])
    assert set(pathsel.guard_table(relays, weights)["fingerprint"]) == guards  # all have V2Dir
    assert set(probs[probs > 0].index) <= guards
    assert (probs[list(set(probs.index) - guards)] == 0).all()


def test_guard_probability_is_the_answer_key(world, relays: pd.DataFrame, weights) -> None:
    """Check the library gives the generator's day1_guard_probability."""
    ctx, _ = world
    name = ctx.state["tor"]["named_relay"]
    value = pathsel.guard_probability(relays, weights, name)
    assert value == pytest.approx(ctx.answers["day1_guard_probability"]["value"], rel=1e-12)


def test_guard_weights_by_hand() -> None:
    """Check Wgg for Guard-only, Wgd for Guard+Exit, BadExit counts as Guard-only,
    and a Guard without V2Dir is never a guard (guard-spec 4.0)."""
    rel = table([
        ("g", ["Guard"], 100, "reject 1-65535", "1.1", ""),
        ("d", ["Guard", "Exit"], 100, "accept 80,443", "2.2", ""),
        ("b", ["Guard", "Exit", "BadExit"], 100, "accept 80,443", "3.3", ""),
        ("m", [], 1000, "reject 1-65535", "4.4", ""),
        ("nodir", ["Guard", "-V2Dir"], 5000, "reject 1-65535", "5.5", ""),
    ])
    probs = pathsel.guard_probabilities(rel, W)
    total = 100 * 6000 + 100 * 2000 + 100 * 6000
    assert probs.tolist() == pytest.approx([6 / 14, 2 / 14, 6 / 14, 0.0, 0.0])
    assert pathsel.guard_probability(rel, W, "d") == pytest.approx(100 * 2000 / total)
    middle_w = pathsel.position_weights(rel, W, "middle")
    assert middle_w.tolist() == [100 * 4000, 100 * 2000, 100 * 4000, 1000 * 10000, 5000 * 4000]
    guards = pathsel.guard_table(rel, W)
    assert guards["nickname"].tolist() == ["b", "g", "d"]  # by weight, then name
    assert guards["weight_name"].tolist() == ["Wgg", "Wgg", "Wgd"]
    assert guards["guard_weight"].tolist() == [600_000, 600_000, 200_000]
    assert guards["is_exit"].tolist() == [False, False, True]


def test_exit_weights_need_the_policy_not_the_exit_flag() -> None:
    """Check any relay whose policy accepts the port may be the exit, weighted
    Wee/Wed with a usable Exit flag, Wem/Weg without; BadExit never."""
    rel = table([
        ("e", ["Exit"], 100, "accept 80,443", "1.1", ""),
        ("d", ["Guard", "Exit"], 100, "accept 80,443", "2.2", ""),
        ("m", [], 100, "accept 443", "3.3", ""),              # no Exit flag: 80 is closed
        ("g", ["Guard"], 100, "accept 22,443", "4.4", ""),    # no Exit flag either
        ("b", ["Exit", "BadExit"], 100, "accept 80,443", "5.5", ""),
        ("web", [], 100, "accept 80", "6.6", ""),             # exits, but not to 443
        ("none", [], 100, "reject 1-65535", "7.7", ""),
    ])
    exit_w = pathsel.position_weights(rel, W, "exit", port=443)
    assert exit_w.tolist() == [100 * 10000, 100 * 6000, 100 * 9000, 100 * 7000, 0.0, 0.0, 0.0]
    any_port = pathsel.position_weights(rel, W, "exit")
    assert any_port.tolist()[5:] == [100 * 9000, 0.0]
    no_weg = {k: v for k, v in W.items() if k not in ("Weg", "Wem")}
    assert pathsel.position_weights(rel, no_weg, "exit", port=443).tolist()[2:4] == [
        100 * 10000, 100 * 10000]  # a weight missing from the consensus counts as 10000
    exits = consensus.exits_for_port(rel, 443)
    assert exits["nickname"].tolist() == ["e", "d", "m", "g"]
    paths = pathsel.PathSampler(rel, W, port=443, seed=2).sample(200)
    assert set(paths["exit"]) == {"e", "d", "m", "g"}


def test_paths_never_repeat_a_relay_family_or_subnet(relays: pd.DataFrame, weights) -> None:
    """Check over many seeded draws that no path breaks the path-spec rules."""
    by_fp = relays.set_index("fingerprint")
    exits = set(consensus.exits_for_port(relays, 443)["fingerprint"])
    guards = set(pathsel.guard_table(relays, weights)["fingerprint"])
    seen_families = 0
    for seed in range(6):
        paths = pathsel.PathSampler(relays, weights, port=443, seed=seed).sample(250)
        for path in paths.itertuples():
            fps = (path.guard_fp, path.middle_fp, path.exit_fp)
            assert len(set(fps)) == 3
            assert path.exit_fp in exits and path.guard_fp in guards
            for a, b in itertools.combinations(fps, 2):
                assert by_fp.loc[a, "subnet16"] != by_fp.loc[b, "subnet16"]
                fam = by_fp.loc[a, "family_id"]
                assert not fam or fam != by_fp.loc[b, "family_id"]
            seen_families += any(by_fp.loc[fp, "family_id"] for fp in fps)
    assert seen_families > 100  # family relays are drawn, so the rule was exercised


def test_rules_are_enforced_on_a_crowded_network() -> None:
    """Check family and /16 exclusions when they remove most candidates."""
    rel = table([
        ("exitA", ["Exit"], 1000, "accept 80,443", "10.1", "famX"),
        ("guardA", ["Guard"], 1000, "reject 1-65535", "10.1", ""),      # same /16 as exitA
        ("guardB", ["Guard"], 1000, "reject 1-65535", "20.2", "famX"),  # same family
        ("guardC", ["Guard"], 10, "reject 1-65535", "30.3", ""),
        ("midA", [], 1000, "reject 1-65535", "30.3", ""),               # same /16 as guardC
        ("midB", [], 10, "reject 1-65535", "40.4", ""),
    ])
    paths = pathsel.PathSampler(rel, W, seed=1).sample(50)
    assert set(paths["exit"]) == {"exitA"}
    assert set(paths["guard"]) == {"guardC"}
    assert set(paths["middle"]) == {"midB"}
    with pytest.raises(ValueError, match="No relay can be the middle"):
        pathsel.PathSampler(rel.drop(index=5), W, seed=1).draw()


def test_conflict_reasons() -> None:
    """Check conflict() names the rule two relays break."""
    rel = table([
        ("a", [], 1, "reject 1-65535", "1.1", "f"),
        ("b", [], 1, "reject 1-65535", "2.2", "f"),
        ("c", [], 1, "reject 1-65535", "1.1", ""),
        ("d", [], 1, "reject 1-65535", "3.3", ""),
    ])
    a, b, c, d = (rel.iloc[i] for i in range(4))
    assert pathsel.conflict(a, a) == "same relay"
    assert pathsel.conflict(a, b) == "same family"
    assert pathsel.conflict(a, c) == "same /16"
    assert pathsel.conflict(a, d) is None


def test_sampler_is_seeded_and_follows_the_weights(relays: pd.DataFrame, weights) -> None:
    """Check same seed, same paths; and that guard frequencies track probabilities."""
    one = pathsel.PathSampler(relays, weights, seed=42).sample(30)
    two = pathsel.PathSampler(relays, weights, seed=42).sample(30)
    assert one.equals(two)
    assert not one.equals(pathsel.PathSampler(relays, weights, seed=43).sample(30))
    probs = pathsel.guard_probabilities(relays, weights)
    top = probs.idxmax()
    draws = pathsel.PathSampler(relays, weights, seed=7).sample(1500)
    share = (draws["guard_fp"] == top).mean()
    assert share == pytest.approx(probs[top], abs=0.03)
    path = pathsel.choose_path(relays, weights, seed=3)
    assert set(path.as_dict()) == {"guard", "middle", "exit"}


def test_bad_input_gives_one_line_messages(relays: pd.DataFrame, weights) -> None:
    """Check wrong positions, ports, counts and names raise ValueError."""
    with pytest.raises(ValueError, match="Unknown position 'entry'"):
        pathsel.position_weights(relays, weights, "entry")
    with pytest.raises(ValueError, match="from 1 to 65535, got 0"):
        pathsel.PathSampler(relays, weights, port=0)
    with pytest.raises(ValueError, match="positive whole number, got -3"):
        pathsel.PathSampler(relays, weights).sample(-3)
    with pytest.raises(ValueError, match="No relay 'nobody'"):
        pathsel.guard_probability(relays, weights, "nobody")
    with pytest.raises(ValueError, match="lacks the column"):
        pathsel.guard_probabilities(relays.drop(columns=["family_id"]), weights)
