"""Alias linking across the two markets against the ground truth, per seed.

    python benchmarks/bench_linking.py                  # seeds 2026 and 7
    python benchmarks/bench_linking.py --seeds 2026 7 11 42

For each seed the case world is built in memory (the generators alone), its
day-2 files are written to a temporary folder, and the library reads them as
a trainee would: every saved page parsed (parser robustness: pages, rows,
missing fields), then :func:`course.market.linking.link_aliases`. The links
are scored against the world's ground truth (the aliases of each person on
both markets) at three thresholds: strong links only (confidence >= 0.8), and
with leads (any confidence). Also per kind of evidence alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.market.linking import combine, link_findings, profiles, score_links  # noqa: E402
from course.market.specs import read_markets  # noqa: E402
from course.world import build_world  # noqa: E402

DAY2 = "day2-market-osint"
THRESHOLDS = (("strong (>= 0.8)", 0.8), ("moderate (>= 0.5)", 0.5), ("with leads (> 0)", 1e-9))


def true_pairs(truth: dict) -> list[tuple[str, str]]:
    """(Russian shop alias, English vendor alias) of every person on both markets."""
    return [(a["market_ru"], a["market_en"]) for a in truth["markets"]["aliases"].values()
            if "market_ru" in a and "market_en" in a]


def bench(seed: int) -> list[str]:
    """Markdown rows of one seed."""
    ctx = build_world(seed)
    with tempfile.TemporaryDirectory(prefix=f"bench-linking-{seed}-") as tmp:
        root = Path(tmp)
        for (assignment, relpath), data in ctx.files.items():
            if assignment == DAY2:
                (root / relpath).parent.mkdir(parents=True, exist_ok=True)
                (root / relpath).write_bytes(data)
        pages = root / "data" / "pages"
        start = time.perf_counter()
        tables = read_markets(pages)
        parse_s = time.perf_counter() - start
        n_pages = len(list(pages.rglob("*.html")))
        n_rows = sum(len(t) for m in tables.values() for t in m.values())
        missing = sum(int(t.drop(columns=["pgp_key"], errors="ignore").isna().sum().sum())
                      for m in tables.values() for t in m.values())
        start = time.perf_counter()
        findings = link_findings(profiles(pages))
        links = combine(findings)
        link_s = time.perf_counter() - start
    truth = true_pairs(ctx.truth)
    rows = [f"| {seed} | parsing | {n_pages} pages, {n_rows} rows, {missing} missing fields "
            f"| | | {parse_s:.2f} s |"]
    for name, bound in THRESHOLDS:
        s = score_links(links, truth, bound)
        rows.append(f"| {seed} | combined, {name} | {s['links']} links ({s['tp']} true, "
                    f"{s['fp']} false, {s['fn']} missed of {s['true']}) | {s['precision']:.2f} "
                    f"| {s['recall']:.2f} | {link_s:.2f} s |")
    for kind in sorted({f.kind for f in findings}):
        s = score_links([f for f in findings if f.kind == kind], truth, 1e-9)
        rows.append(f"| {seed} | {kind} alone | {s['links']} links ({s['tp']} true, "
                    f"{s['fp']} false) | {s['precision']:.2f} | {s['recall']:.2f} | |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 7])
    args = parser.parse_args(argv)
    print("| seed | what | links | precision | recall | time |")
    print("|---|---|---|---|---|---|")
    for seed in args.seeds:
        for row in bench(seed):
            print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
