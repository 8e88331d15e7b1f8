"""The case fingerprint: day 5's data names its case without the seed, and the
instructor's keys map the fingerprint back to the seed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from course.world import build_world, case_files, write_world
from course.world.context import WorldContext

A = case_files.ASSIGNMENT


@pytest.fixture(scope="module")
def worlds() -> dict[str, WorldContext]:
    return {"2026": build_world(2026), "7": build_world(7), "2026 again": build_world(2026)}


def _manifest(world: WorldContext) -> dict:
    return json.loads(world.files[(A, case_files.MANIFEST)])


def _by_hand(world: WorldContext) -> str:
    """SHA-256 of the label and sha256sum-style lines, written out here (not by the module)."""
    text = "nps-darkweb-course case fingerprint v1\n"
    for rel in sorted(rel for a, rel in world.files if a == A and rel != "data/case_manifest.json"):
        text += f"{hashlib.sha256(world.files[(A, rel)]).hexdigest()}  {rel}\n"
    return hashlib.sha256(text.encode()).hexdigest()


def test_two_seeds_two_fingerprints_a_rebuild_the_same(worlds: dict[str, WorldContext]) -> None:
    first, other, again = (_manifest(worlds[k]) for k in ("2026", "7", "2026 again"))
    assert first["fingerprint"] != other["fingerprint"]
    assert worlds["2026"].files[(A, case_files.MANIFEST)] == \
        worlds["2026 again"].files[(A, case_files.MANIFEST)]
    for key in ("2026", "7"):
        assert _manifest(worlds[key])["fingerprint"] == _by_hand(worlds[key])


def test_the_manifest_holds_no_seed(worlds: dict[str, WorldContext]) -> None:
    for key, seed in (("2026", 2026), ("7", 7)):
        manifest = _manifest(worlds[key])
        assert set(manifest) == {"course_version", "fingerprint", "fingerprint_of", "files"}
        assert "seed" not in json.dumps(manifest).lower()
        assert seed not in manifest.values() and str(seed) not in manifest.values()
        assert manifest["files"] == sum(1 for a, _ in worlds[key].files if a == A) - 1


def test_the_keys_map_the_fingerprint_to_the_seed(worlds: dict[str, WorldContext],
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    world = worlds["7"]
    fingerprint = _manifest(world)["fingerprint"]
    assert world.truth["case_fingerprint"]["seed"] == 7
    assert world.truth["case_fingerprint"]["fingerprint"] == fingerprint
    write_world(world, tmp_path)
    # the written folder gives the same fingerprint (nothing added after the manifest)
    assert case_files.folder_fingerprint(tmp_path / "source" / A / "data") == fingerprint
    assert case_files.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert f"fingerprint {fingerprint}" in printed and "seed 7 " in printed
    (tmp_path / "nokey" / "keys").mkdir(parents=True)
    (tmp_path / "nokey" / "keys" / "ground_truth.json").write_text("{}", encoding="utf-8")
    assert case_files.main([str(tmp_path / "nokey")]) == 1
    assert "no case fingerprint" in capsys.readouterr().out
    assert case_files.main([str(tmp_path / "no-such-course")]) == 1   # a wrong folder
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "cannot read" in out and "ground_truth.json" in out


def test_an_edited_file_changes_the_fingerprint(worlds: dict[str, WorldContext],
                                                tmp_path: Path) -> None:
    write_world(worlds["2026"], tmp_path)
    data = tmp_path / "source" / A / "data"
    before = case_files.folder_fingerprint(data)
    assert before == _manifest(worlds["2026"])["fingerprint"]
    notes = data / "seized" / "phone" / "notes.json"
    notes.write_bytes(notes.read_bytes() + b" ")
    assert case_files.folder_fingerprint(data) != before
