"""``course i18n update | check | stats``: keeping a language edition current."""

from __future__ import annotations

import argparse
from pathlib import Path

from course.errors import CourseError
from course.i18n import SOURCE_LANG, TRAINEE_DOCS, catalogue_file, doc_po, edition, languages
from course.i18n import catalogues as cats
from course.i18n import notebook as nbtr
from course.i18n import po as po_files

MAX_SHOWN = 40


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``i18n`` subcommand of ``course``."""
    p = sub.add_parser("i18n", help="translations: update the PO files, check, count")
    i18n_sub = p.add_subparsers(dest="i18n_command", required=True, metavar="I18N_COMMAND")
    q = i18n_sub.add_parser(
        "update", help="bring the PO files of a language up to date with the English"
    )
    q.add_argument("--lang", default="ru", help="language code (default ru)")
    q = i18n_sub.add_parser(
        "check", help="fail while a trainee-visible text lacks a current translation"
    )
    q.add_argument("--lang", default=None, help="one language (default: every language)")
    q = i18n_sub.add_parser("stats", help="translated texts per notebook and per catalogue")
    q.add_argument("--lang", default="ru", help="language code (default ru)")


def stats(root: Path, lang: str) -> list[tuple[str, int, int]]:
    """``(what, current translations, texts)`` per notebook, catalogue and document."""
    rows = []
    for notebook in edition.source_notebooks(root):
        import nbformat

        catalog = po_files.read(edition.po_for(root, notebook, lang))
        units = nbtr.units(nbformat.read(notebook, as_version=4))
        states = [po_files.status(catalog, u.text, u.context) for u in units]
        rows.append((str(notebook.relative_to(root)), states.count("current"), len(states)))
    answers = edition.world_answers()
    required = edition.released_grade_ids(root)
    for name, entries in (
        ("messages", cats.message_entries()),
        ("hints (released exercises)", [e for e in cats.hint_entries(answers)
                                        if e.context in required]),
    ):  # fmt: skip
        catalog = po_files.read(catalogue_file(lang, name.split()[0]))
        states = [po_files.status(catalog, e.text, e.context) for e in entries]
        rows.append((f"{name} catalogue", states.count("current"), len(states)))
    for doc in TRAINEE_DOCS:
        if (root / "docs" / f"{doc}.md").is_file():
            catalog = po_files.read(doc_po(root, doc, lang))
            entries = edition.doc_entries(root, doc)
            states = [po_files.status(catalog, e.text, e.context) for e in entries]
            rows.append((f"docs/{doc}.md", states.count("current"), len(states)))
    return rows


def run_i18n(args: argparse.Namespace, root: Path) -> int:
    if args.i18n_command == "update":
        changed = edition.update(root, args.lang)
        for path in changed:
            print(f"updated {path.relative_to(root) if path.is_relative_to(root) else path}")
        print(f"next: translate the entries without msgstr or marked fuzzy, then "
              f"`course i18n check --lang {args.lang}`")
        return 0
    if args.i18n_command == "check":
        if args.lang is not None and args.lang not in languages():
            raise CourseError(
                f"no '{args.lang}' edition (there are: {', '.join(languages())}); "
                f"start one with `course i18n update --lang {args.lang}`"
            )
        langs = [args.lang] if args.lang else [x for x in languages() if x != SOURCE_LANG]
        failed = False
        answers = edition.world_answers()
        for lang in langs:
            problems = edition.check(root, lang, answers=answers)
            for problem in problems[:MAX_SHOWN]:
                print(f"PROBLEM ({lang}): {problem}")
            if len(problems) > MAX_SHOWN:
                print(f"... and {len(problems) - MAX_SHOWN} more")
            print(f"{lang}: " + ("complete" if not problems else f"{len(problems)} problem(s)"))
            failed |= bool(problems)
        return 1 if failed else 0
    if args.i18n_command == "stats":
        total_done = total = 0
        for what, done, count in stats(root, args.lang):
            print(f"{what:60} {done:4} / {count:4}")
            total_done, total = total_done + done, total + count
        print(f"{'total':60} {total_done:4} / {total:4}")
        return 0
    raise AssertionError(args.i18n_command)  # pragma: no cover
