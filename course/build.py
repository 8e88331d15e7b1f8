"""``course build``: write the case world, then generate every release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from course.errors import CourseError
from course.nbgrader_run import generate_assignment, nbgrader
from course.paths import key_path, source_assignments
from course.world import build_world, write_world

#: Where a build writes the translated source notebooks of a language.
TRANSLATED_SOURCE = Path("build") / "{lang}" / "source"


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    seed: int
    data_files: int
    data_bytes: int
    assignments: tuple[str, ...]
    lang: str = "en"


def assignments_with_notebooks(root: Path) -> list[str]:
    """Source assignments that hold at least one notebook (data-only folders wait
    for their notebooks and are not released)."""
    return [a for a in source_assignments(root) if any((root / "source" / a).glob("*.ipynb"))]


def generate_release(root: Path, assignment: str, lang: str = "en") -> None:
    """Generate ``release/ASSIGNMENT`` in ``lang``. English releases the
    source as it is; another language first writes the translated notebooks
    (with the world's data) to ``build/<lang>/source/`` and releases those,
    with the translated header and answer stubs. Assignment names, grade ids,
    points and code are the same in every language."""
    if lang == "en":
        generate_assignment(root, assignment)
        return
    from course.i18n.edition import write_sources
    from course.messages import t

    out = root / str(TRANSLATED_SOURCE).format(lang=lang)
    header = write_sources(root, lang, out, [assignment])
    not_done = t("release.not_done", lang=lang)
    code_stub = f"# {t('release.code_stub', lang=lang)}\nraise NotImplementedError({not_done!r})"
    nbgrader(
        root,
        "generate_assignment",
        assignment,
        "--force",
        f"--CourseDirectory.source_directory={out}",
        f"--IncludeHeaderFooter.header={header}",
        f"--ClearSolutions.code_stub=python={code_stub}",
        f"--ClearSolutions.text_stub={t('release.text_stub', lang=lang)}",
    )


def write_key_language(root: Path, lang: str) -> None:
    """Record ``lang`` in the answer key (its ``lang`` field) and put the
    hints in that language, so feedback speaks the cohort's language."""
    import json
    import os

    from course.i18n.catalogues import translate_key

    path = key_path(root)
    document, _ = translate_key(json.loads(path.read_text(encoding="utf-8")), lang)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def keep_cohort_key(root: Path, seed: int, force: bool) -> Path | None:
    """Refuse to replace the key of another seed (a cohort in progress) unless
    ``force``; with ``force``, keep the old key in ``keys/answer_key-seed<N>-<time>.json``.
    Returns the backup's path, if one was made."""
    import json
    import shutil
    import time

    path = key_path(root)
    if not path.is_file():
        return None
    try:
        old_seed = json.loads(path.read_text(encoding="utf-8")).get("seed")
    except (OSError, ValueError, AttributeError):
        old_seed = None
    if old_seed == seed:
        return None
    if not force:
        raise CourseError(
            f"the course already has the answer key of seed {old_seed}, the one its trainees' "
            f"work is graded with; building seed {seed} would replace it. Pass --force to "
            "build it anyway (the old key is kept in keys/)"
        )
    backup = path.with_name(f"answer_key-seed{old_seed}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    shutil.copy2(path, backup)
    return backup


def build(
    root: Path,
    seed: int,
    scale: int = 1,
    progress: bool = True,
    lang: str = "en",
    force: bool = False,
) -> BuildReport:
    """Build the course at ``root`` in ``lang``: world files, answer key (with
    its language and hints in it), and all releases.

    Raises
    ------
    CourseError
        On a bad seed or scale, an unknown language, a key of another seed
        that ``force`` does not allow to replace, or (before anything is
        written) a trainee-visible text without a current translation.
    """
    from course.i18n import check_language

    if seed < 0:
        raise CourseError(f"--seed must be zero or a positive whole number, not {seed}")
    if scale < 1:
        raise CourseError(f"--scale must be 1 or more, not {scale}")
    lang = check_language(lang)
    keep_cohort_key(root, seed, force)
    ctx = build_world(seed=seed, scale=scale, progress=progress)
    if lang != "en":
        from course.i18n.edition import check, summary

        problems = check(root, lang, answers=ctx.key_document()["answers"])
        if problems:
            raise CourseError(summary(problems, lang))
    written = write_world(ctx, root)
    write_key_language(root, lang)
    assignments = assignments_with_notebooks(root)
    for assignment in tqdm(
        assignments, desc="generating releases", unit="day", disable=not progress
    ):
        generate_release(root, assignment, lang)
    return BuildReport(
        seed=seed,
        data_files=len(written),
        data_bytes=sum(p.stat().st_size for p in written),
        assignments=tuple(assignments),
        lang=lang,
    )
