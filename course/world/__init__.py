"""The case world: a deterministic generator of one synthetic investigation.

``build_world(seed)`` runs every generator module in order on one
:class:`~course.world.context.WorldContext` and returns it; ``write_world``
puts its files into each assignment's ``data/`` folder and its answer key and
ground truth into ``keys/`` (outside ``source/`` and ``release/``). The same
seed always gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from course.paths import GROUND_TRUTH, KEY_DIR, key_path
from course.world import (
    case_files,
    evidence,
    fixed_answers,
    market_evidence,
    markets,
    names,
    photos,
    places,
    prices,
    seizures,
    tron,
)
from course.world import tor as tor_world
from course.world.bitcoin import generate as bitcoin_generate
from course.world.context import WorldContext

DEFAULT_SEED = 2026

#: Generators in the order they run; a later one may use ``ctx.state`` of an
#: earlier one.
GENERATORS: tuple[Callable[[WorldContext], None], ...] = (
    places.generate,
    names.generate,
    prices.generate,
    seizures.generate,
    bitcoin_generate,
    tron.generate,
    tor_world.generate,
    markets.generate,
    photos.generate,
    market_evidence.generate,
    evidence.generate,
    case_files.generate,
    fixed_answers.generate,
)

DATA_DIR = "data"


def build_world(seed: int = DEFAULT_SEED, scale: int = 1, progress: bool = False) -> WorldContext:
    """Build the whole world in memory (with a progress bar if ``progress``)."""
    from tqdm import tqdm

    ctx = WorldContext(seed=seed, scale=scale)
    for generate in tqdm(GENERATORS, desc="building the case world", disable=not progress):
        generate(ctx)
    for assignment, relpath in ctx.files:
        if not relpath.startswith(DATA_DIR + "/"):
            raise ValueError(f"world files go under data/: {assignment}/{relpath}")
    return ctx


def _dump_json(obj: object) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_world(ctx: WorldContext, root: Path) -> list[Path]:
    """Write the world under the course ``root``; return the trainee files written.

    Each assignment's ``data/`` folder is replaced as a whole, so a file of an
    earlier world never lingers. The key and the ground truth are written
    readable by their owner only.
    """
    written: list[Path] = []
    assignments = sorted({a for a, _ in ctx.files})
    for assignment in assignments:
        data_dir = root / "source" / assignment / DATA_DIR
        if data_dir.exists():
            shutil.rmtree(data_dir)
    for (assignment, relpath), data in sorted(ctx.files.items()):
        target = root / "source" / assignment / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    keys = root / KEY_DIR
    keys.mkdir(exist_ok=True)
    os.chmod(keys, 0o700)
    for path, doc in ((key_path(root), ctx.key_document()), (keys / GROUND_TRUTH, ctx.truth)):
        tmp = path.with_suffix(".tmp")
        tmp.write_text(_dump_json(doc), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return written
