"""The investigation report: a PDF that opens and holds Latin and Cyrillic, an offline HTML."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from course.case import report as rp
from course.findings import Finding

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def _report(tmp_path: Path, lang: str = "en") -> rp.Report:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "deposits.csv").write_bytes(b"abc")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    png = rp.save_figure(fig, tmp_path / "flow.png", "Money flow / Движение денег")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([71.45, 71.49], [51.13, 51.18], "o")
    svg = rp.save_figure(fig, tmp_path / "map.svg", "Dead-drop map / Карта тайников")
    plt.close("all")
    return rp.Report(
        title="Investigation report QuietOwl", case_number="251100031000123",
        author="Капитан А. Нурланов", date="2025-11-25",
        summary=["The vendor QuietOwl is Турсунов Ерлан (account U708275551)."],
        findings=[Finding("identity", ("QuietOwl", "U708275551"), 0.9,
                          ("Deposits traced to 34UGVg62eA3eZB9e9MoP9YsoRfR7zYN3sY",),
                          ("exchange_response/deposits.csv:line 2",)),
                  Finding("integrity", ("laptop/bookmarks.html",), 0.3,
                          ("Хеш не совпадает со списком изъятия",), ("seized/hashes.sha256",))],
        method=["Hashed every file [SHA-256] #1 *not bold* $5 @ref \\ \"quoted\""],
        appendix=rp.reproducibility([tmp_path / "in" / "deposits.csv"], seed=2026,
                                    root=tmp_path / "in"),
        figures=[png, svg],
        tables=[("Timeline", pd.DataFrame({"local_time": ["2025-09-02T21:05:00+05:00"],
                                           "what": ["вход с 212.154.71.159"]}))],
        lang=lang)


def test_reproducibility_appendix(tmp_path: Path) -> None:
    appendix = _report(tmp_path).appendix
    assert appendix["inputs"] == [{"file": "deposits.csv", "sha256": SHA_ABC, "bytes": 3}]
    assert appendix["seed"] == 2026
    assert appendix["course_version"] == "0.1.0"
    assert appendix["packages"]["typst"] == "0.15.0"
    assert re.fullmatch(r"3\.\d+\.\d+", appendix["python"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        rp.reproducibility([tmp_path / "gone.csv"], seed=1)


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_opens_and_holds_latin_and_cyrillic(tmp_path: Path) -> None:
    path = rp.to_pdf(_report(tmp_path), tmp_path / "out" / "report.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    text = _pdf_text(path)
    for expected in ("Investigation report QuietOwl", "Турсунов Ерлан", "Капитан А. Нурланов",
                     "Хеш не совпадает со списком изъятия", "вход с 212.154.71.159",
                     "34UGVg62eA3eZB9e9MoP9YsoRfR7zYN3sY", "strong (0.90)",
                     "Money flow / Движение денег", SHA_ABC, "2026"):
        assert expected in text.replace("\n", " "), expected
    # markup characters in the text are printed, not interpreted
    assert '[SHA-256] #1 *not bold* $5 @ref \\ "quoted"' in text
    fonts = {str(font.get("/BaseFont")) for page in PdfReader(path).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_pdf_images_embedded(tmp_path: Path) -> None:
    path = rp.to_pdf(_report(tmp_path), tmp_path / "report.pdf")
    images = [img for page in PdfReader(path).pages for img in page.images]
    assert len(images) >= 1          # the PNG (the SVG is drawn as vectors)


def test_russian_headings(tmp_path: Path) -> None:
    text = _pdf_text(rp.to_pdf(_report(tmp_path, "ru"), tmp_path / "ru.pdf"))
    for heading in ("Краткое изложение", "Выводы", "Методика",
                    "Приложение: как воспроизвести анализ", "высокая (0.90)"):
        assert heading in text, heading


def test_same_report_same_pdf(tmp_path: Path) -> None:
    report = _report(tmp_path)
    first = rp.to_pdf(report, tmp_path / "a.pdf").read_bytes()
    second = rp.to_pdf(report, tmp_path / "b.pdf").read_bytes()
    assert first == second


def test_html_is_self_contained(tmp_path: Path) -> None:
    page = rp.to_html(_report(tmp_path))
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("link") is None and soup.find("script") is None
    sources = [tag["src"] for tag in soup.find_all(src=True)]
    assert len(sources) == 2
    assert sources[0].startswith("data:image/png;base64,")
    assert sources[1].startswith("data:image/svg+xml;base64,")
    assert not re.search(r"url\(|@import", page)
    text = soup.get_text(" ")
    assert "Турсунов Ерлан" in text and "Капитан А. Нурланов" in text
    assert '[SHA-256] #1 *not bold* $5 @ref \\ "quoted"' in text
    assert SHA_ABC in text
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "Summary", "Findings", "Figures", "Method", "Appendix: reproducing the analysis"]


def test_write_both_and_preview(tmp_path: Path) -> None:
    report = _report(tmp_path)
    paths = rp.write(report, tmp_path / "out")
    assert paths["html"].name == "report.html" and paths["pdf"].name == "report.pdf"
    assert len(PdfReader(paths["pdf"]).pages) >= 1
    png = rp.page_png(report, tmp_path / "out" / "page1.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a figure file"):
        rp.Figure(tmp_path / "missing.png", "x")
    report = _report(tmp_path)
    with pytest.raises(ValueError, match="no findings"):
        rp.Report(**{**report.__dict__, "findings": []})
    with pytest.raises(ValueError, match="'author'"):
        rp.Report(**{**report.__dict__, "author": " "})


def test_table_headers_follow_the_report_language(tmp_path: Path) -> None:
    english, russian = rp.to_html(_report(tmp_path)), rp.to_html(_report(tmp_path, "ru"))
    assert "<th>local time</th><th>what</th>" in english
    assert "<th>местное время</th><th>что</th>" in russian
    assert "<th>файл</th><th>SHA-256</th><th>байт</th>" in russian
    typst = rp.to_typst(_report(tmp_path, "ru"), {1: "1.png", 2: "2.svg"})
    assert '[*#"местное время"*]' in typst and '[*#"local_time"*]' not in typst


def test_appendix_gives_the_case_fingerprint_not_the_seed(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deposits.csv").write_bytes(b"abc")
    manifest = tmp_path / "in" / "case_manifest.json"
    manifest.write_text('{"course_version": "0.0.9", "fingerprint": "' + "ab" * 32 + '"}',
                        encoding="utf-8")
    appendix = rp.reproducibility([tmp_path / "in" / "deposits.csv"], manifest=manifest,
                                  root=tmp_path / "in")
    assert appendix["fingerprint"] == "ab" * 32 and appendix["seed"] is None
    report = rp.Report(**{**_report(tmp_path).__dict__, "appendix": appendix})
    html = rp.to_html(report)
    assert "<td>Case fingerprint</td><td>" + "ab" * 32 in html
    assert "Seed of the case data" not in html
    assert "<td>Course version that made the case data</td><td>0.0.9</td>" in html
    assert SHA_ABC in html
    with pytest.raises(FileNotFoundError, match="No case manifest"):
        rp.reproducibility([], manifest=tmp_path / "none.json")


def test_kinds_follow_the_report_language(tmp_path: Path) -> None:
    """Finding kinds and timeline event kinds are words of the report's language."""
    base = _report(tmp_path, "ru").__dict__
    findings = [Finding("cashout.exchange", ("3KMo518X1G38kzEyZjWS3z2FodUV8ndjpo",), 0.8,
                        ("x",), ("y",))]
    events = pd.DataFrame({"kind": ["exchange.deposit", "chain.tx"], "what": ["a", "b"]})
    report = rp.Report(**{**base, "findings": findings, "tables": [("Timeline", events)]})
    html = rp.to_html(report)
    text = _pdf_text(rp.to_pdf(report, tmp_path / "kinds.pdf"))
    for shown in (html, text):
        assert "вывод средств через криптобиржу" in shown
        assert "биржа: пополнение" in shown and "блокчейн: транзакция" in shown
        assert "cashout.exchange" not in shown and "exchange.deposit" not in shown
        assert "chain.tx" not in shown
    assert rp.kind_text("unknown.kind", "ru") == "unknown.kind"   # an unknown code as it is


def test_every_page_as_an_image(tmp_path: Path) -> None:
    report = _report(tmp_path)
    pages = rp.page_pngs(report, tmp_path / "pages", name="case", ppi=40)
    assert [p.name for p in pages] == [f"case-{n}.png" for n in range(1, len(pages) + 1)]
    assert len(pages) == len(PdfReader(rp.to_pdf(report, tmp_path / "r.pdf")).pages)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)


def test_codes_in_words_or_as_written(monkeypatch) -> None:
    """A known code reads in the language asked for; an unknown one is kept as it is."""
    from course.messages import t_code

    assert t_code("case.kind", "link", lang="en") != "link"
    assert t_code("case.kind", "link", lang="ru") != t_code("case.kind", "link", lang="en")
    assert t_code("case.kind", "no.such.kind", lang="ru") == "no.such.kind"
    assert t_code("case.column", 7, lang="ru") == "7"
