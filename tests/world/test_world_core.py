"""The world build as a whole: determinism, the committed default world,
what is written where, and day 0's answers against a pandas reference."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest

from course.grading import matches
from course.world import DEFAULT_SEED, build_world, write_world


@pytest.fixture(scope="module")
def default_world():
    return build_world(DEFAULT_SEED)


def test_same_seed_gives_byte_identical_world(default_world) -> None:
    again = build_world(DEFAULT_SEED)
    assert again.files == default_world.files
    assert again.key_document() == default_world.key_document()
    assert json.dumps(again.truth, sort_keys=True) == json.dumps(
        default_world.truth, sort_keys=True
    )


def test_another_seed_gives_another_world_of_the_same_shape(default_world) -> None:
    other = build_world(DEFAULT_SEED + 1)

    def shape(ctx) -> set[tuple[str, str]]:
        # file names may carry seed-made ids (a txid); the folders may not change
        return {(a, str(PurePosixPath(r).parent)) for a, r in ctx.files}

    assert shape(other) == shape(default_world)
    assert set(other.answers) == set(default_world.answers)
    same = set(other.files) & set(default_world.files)
    changed = [k for k in same if other.files[k] != default_world.files[k]]
    assert changed, "a new seed must change the world"


def test_committed_world_equals_a_fresh_build(default_world, repo: Path) -> None:
    for (assignment, relpath), data in default_world.files.items():
        committed = repo / "source" / assignment / relpath
        assert committed.is_file(), f"{committed} missing: run `course build`"
        assert committed.read_bytes() == data, f"{committed} differs from a fresh build"
    produced = {repo / "source" / a / r for a, r in default_world.files}
    on_disk = {p for p in (repo / "source").glob("*/data/**/*") if p.is_file()}
    assert on_disk <= produced, f"stale world files: {sorted(on_disk - produced)[:5]}"


def test_write_world_replaces_data_and_hides_the_key(tmp_path: Path) -> None:
    ctx = build_world(5)
    stale = tmp_path / "source" / "day0-orientation" / "data" / "old.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an earlier world")
    write_world(ctx, tmp_path)
    assert not stale.exists()
    key = tmp_path / "keys" / "answer_key.json"
    assert json.loads(key.read_text())["seed"] == 5
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert not list(tmp_path.glob("source/**/answer_key.json"))


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 99])
def test_day0_answers_match_a_pandas_reference(seed: int) -> None:
    ctx = build_world(seed)
    df = pd.read_csv(io.BytesIO(ctx.files[("day0-orientation", "data/seizures.csv")]))
    key = ctx.answers
    assert matches(len(df), key["day0_seizure_count"]["value"])
    assert matches(sorted(df["city"].unique()), key["day0_cities"]["value"])
    grams = df.groupby("substance")["weight_g"].sum()
    assert matches(grams, key["day0_grams_by_substance"]["value"], "float_map", 0.01)
    heavy = df[(df.city == "Almaty") & (df.substance == "mephedrone") & (df.weight_g > 50)]
    assert matches(len(heavy), key["day0_heavy_mephedrone_almaty"]["value"])
    # the exercise is not trivial: forgetting the weight filter gives another number
    light_too = df[(df.city == "Almaty") & (df.substance == "mephedrone")]
    assert len(light_too) > len(heavy) > 0


def test_world_rejects_files_outside_data() -> None:
    from course.world.context import WorldContext

    ctx = WorldContext(seed=1)
    ctx.add_file("day0-orientation", "data/a.csv", "x")
    with pytest.raises(ValueError, match="twice"):
        ctx.add_file("day0-orientation", "data/a.csv", "y")
    with pytest.raises(ValueError, match="unknown comparison"):
        ctx.add_answer("g", 1, compare="fuzzy")
