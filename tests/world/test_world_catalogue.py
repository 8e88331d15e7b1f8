"""The file catalogue of docs/case-world.md: every world file described, and
the document's tables equal to those of a fresh build of the default world."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.world import DEFAULT_SEED, build_world
from course.world.catalogue import BEGIN, END, KINDS, catalogue, kind_of, markdown


@pytest.fixture(scope="module")
def rows():
    return catalogue(build_world(DEFAULT_SEED))


def test_every_world_file_is_described_and_every_kind_used(rows) -> None:
    """Check each file of the default world and of seed 7 matches a kind, and no kind is stale."""
    assert {r.kind for r in rows} == set(range(len(KINDS)))
    other = build_world(7)
    for assignment, rel in other.files:
        kind_of(f"{assignment}/{rel}")  # raises for a file nobody described
    with pytest.raises(LookupError):
        kind_of("day9-new/data/undocumented.bin")


def test_the_document_holds_the_catalogue_of_a_fresh_build(rows, repo: Path) -> None:
    """Check docs/case-world.md's catalogue equals `python -m course.world.catalogue`."""
    doc = (repo / "docs" / "case-world.md").read_text(encoding="utf-8")
    assert doc.count(BEGIN) == 1 and doc.count(END) == 1
    inside = doc.split(BEGIN)[1].split(END)[0].strip("\n") + "\n"
    assert inside == markdown(rows), (
        "the catalogue is stale: regenerate it with `python -m course.world.catalogue`"
    )
    assert sum(r.size for r in rows) < 20_000_000
