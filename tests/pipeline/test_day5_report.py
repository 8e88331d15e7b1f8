"""Day 5's report as the capstone makes it, for two worlds and both languages.

The solution notebook runs in a real kernel on the case files of the default
seed (English and Russian builds, shared with the other pipeline tests) and of
seed 7 (a world written without releases, which is all the notebook needs).
Each run must stay under 30 s and 300 MB (measured inside the kernel, the
report included); its report is copied, with every PDF page as a PNG image,
to ``artifacts/reports/<seed>/<lang>/`` for people to look at. The PDF must
open and hold the case's Latin and Cyrillic text, and the appendix the case
fingerprint and the inputs' SHA-256; the Russian report must show no
English code of a finding or event kind.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_course, offline_env
from i18n.courses import built_course_in, source_dir
from pypdf import PdfReader

from course.messages import CATALOGUE
from course.world import build_world, write_world

pytestmark = pytest.mark.pipeline

A = "day5-building-the-case"
NOTEBOOK = "01-capstone.ipynb"
ARTIFACTS = REPO / "artifacts" / "reports"
MAX_SECONDS, MAX_MB = 30.0, 300.0
#: the codes a report must say in words (finding kinds, timeline event kinds)
CODES = sorted({key.split(".", 2)[2] for key in CATALOGUE["en"]
                if key.startswith("case.kind.")}
               | {key.split(".", 3)[3] for key in CATALOGUE["en"]
                  if key.startswith("case.timeline.kind.")})

MEASURE_START = "import time as _t\n_T0 = _t.perf_counter()"
MEASURE_END = """import json as _json
_peak = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
_json.dump({"seconds": _t.perf_counter() - _T0, "peak_mb": _peak / 1024},
           open("measured.json", "w"))
rp.page_pngs(report, "pages", name="case_report", ppi=80)"""


def _cell(source: str, cid: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cid, "metadata": {},
            "outputs": [], "source": source}


def run_capstone(folder: Path, lang: str) -> dict[str, object]:
    """Execute the notebook in ``folder`` (its data beside it); return the measures."""
    nb = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
    nb["cells"] = [_cell(MEASURE_START, "m-start"), *nb["cells"], _cell(MEASURE_END, "m-end")]
    (folder / "measured.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.timeout=300", "--output", "executed.ipynb", "measured.ipynb"],
        cwd=folder, env=offline_env({"COURSE_LANG": lang}), capture_output=True, text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((folder / "measured.json").read_text(encoding="utf-8"))


def _copy_run(assignment: Path, target: Path) -> Path:
    """The assignment folder (notebook and data) copied beside the course's keys."""
    shutil.copytree(assignment, target, ignore=shutil.ignore_patterns(
        "report", "custody*.jsonl", ".ipynb_checkpoints", "i18n"))
    return target


def _publish(folder: Path, seed: int, lang: str) -> Path:
    out = ARTIFACTS / str(seed) / lang
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in ("case_report.html", "case_report.pdf"):
        shutil.copy2(folder / "report" / name, out / name)
    for page in sorted((folder / "pages").glob("case_report-*.png")):
        shutil.copy2(page, out / page.name)
    return out


def _flat(text: str) -> str:
    """Text without whitespace or zero-width spaces (long hashes wrap inside cells)."""
    return re.sub(r"[\s\u200b]+", "", text)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory,
            built_course: Path) -> dict[tuple[int, str], dict[str, object]]:
    """(seed, lang) -> the run's folder, measures, published folder and key."""
    runs: dict[tuple[int, str], dict[str, object]] = {}
    seven = copy_course(tmp_path_factory.mktemp("course-seed7"))
    write_world(build_world(7), seven)
    russian = built_course_in("ru", tmp_path_factory)
    plans = ((2026, "en", built_course, built_course / "source" / A),
             (2026, "ru", russian, source_dir(russian, "ru", A)),
             (7, "en", seven, seven / "source" / A))
    for seed, lang, root, assignment in plans:
        folder = _copy_run(assignment, root / "report-runs" / f"{seed}-{lang}")
        measured = run_capstone(folder, lang)
        key = json.loads((root / "keys" / "answer_key.json").read_text(encoding="utf-8"))
        runs[(seed, lang)] = {"folder": folder, "measured": measured, "key": key["answers"],
                              "published": _publish(folder, seed, lang), "root": root}
    return runs


RUNS = [(2026, "en"), (2026, "ru"), (7, "en")]


@pytest.mark.parametrize(("seed", "lang"), RUNS)
def test_solution_runs_within_time_and_memory(reports, seed: int, lang: str) -> None:
    measured = reports[(seed, lang)]["measured"]
    assert measured["seconds"] < MAX_SECONDS, measured
    assert measured["peak_mb"] < MAX_MB, measured


@pytest.mark.parametrize(("seed", "lang"), RUNS)
def test_pdf_and_pages_hold_the_case(reports, seed: int, lang: str) -> None:
    run = reports[(seed, lang)]
    out, key = run["published"], run["key"]
    pdf = out / "case_report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    reader = PdfReader(pdf)
    pages = sorted(out.glob("case_report-*.png"))
    assert len(pages) == len(reader.pages) >= 3
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
    text = _flat(_pdf_text(pdf))
    html = (out / "case_report.html").read_text(encoding="utf-8")
    holder = key["day5_exchange_account_holder"]["value"]
    assert re.search("[А-Яа-яЁё]", holder)                      # Cyrillic, from the key
    for expected in (holder, key["day5_cashout_deposit"]["value"],
                     key["day5_exchange_home_ip"]["value"]):
        assert _flat(expected) in text, expected
        assert expected in html, expected
    heading = "Приложение" if lang == "ru" else "Appendix"
    assert heading in text and heading in html


@pytest.mark.parametrize(("seed", "lang"), RUNS)
def test_appendix_has_the_fingerprint_and_input_hashes_not_the_seed(
        reports, seed: int, lang: str) -> None:
    run = reports[(seed, lang)]
    data = run["folder"] / "data"
    manifest = json.loads((data / "case_manifest.json").read_text(encoding="utf-8"))
    # the fingerprint, recomputed here from the files as the manifest says it is made
    lines = "nps-darkweb-course case fingerprint v1\n" + "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  data/{p.relative_to(data).as_posix()}\n"
        for p in sorted(data.rglob("*"), key=lambda p: p.relative_to(data).as_posix())
        if p.is_file() and p.name != "case_manifest.json")
    assert manifest["fingerprint"] == hashlib.sha256(lines.encode()).hexdigest()
    truth = json.loads((run["root"] / "keys" / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth["case_fingerprint"] == {"fingerprint": manifest["fingerprint"], "seed": seed,
                                         "course_version": manifest["course_version"]}
    out = run["published"]
    text = _flat(_pdf_text(out / "case_report.pdf"))
    html = (out / "case_report.html").read_text(encoding="utf-8")
    assert manifest["fingerprint"] in text and manifest["fingerprint"] in html
    for name in ("exchange_response/response.json", "seized/phone/notes.json",
                 "ledger/transactions.csv"):
        digest = hashlib.sha256((data / name).read_bytes()).hexdigest()
        assert digest in text and digest in html, name
    for label in ("Seed of the case data", "Начальное значение (seed) данных дела"):
        assert label not in html and _flat(label) not in text


def test_the_two_worlds_have_different_fingerprints(reports) -> None:
    prints = {seed: json.loads((reports[(seed, "en")]["folder"] / "data" /
                                "case_manifest.json").read_text())["fingerprint"]
              for seed in (2026, 7)}
    assert prints[2026] != prints[7]


def test_russian_report_has_no_english_kind_codes(reports) -> None:
    out = reports[(2026, "ru")]["published"]
    html = (out / "case_report.html").read_text(encoding="utf-8")
    text = _pdf_text(out / "case_report.pdf")
    english = _pdf_text(reports[(2026, "en")]["published"] / "case_report.pdf")
    assert "Выводы" in text and "биржа: пополнение" in text
    assert "exchange: deposit" in english         # the English report says the same in English
    for code in CODES:
        pattern = re.compile(rf"(?<![\w./-]){re.escape(code)}(?![\w/-]|\.\w)")
        assert not pattern.search(html), code
        assert not pattern.search(text), code
