"""The investigation report: one document as HTML and as PDF, made offline.

A :class:`Report` holds what a prosecutor reads: a summary, the findings
(:class:`course.findings.Finding`, each with its evidence, sources and
confidence), the method, the figures (money-flow graph, timeline, dead-drop
map), optional tables, and an appendix that makes the analysis reproducible
(:func:`reproducibility`: SHA-256 of every input, course version, seed,
software versions).

- :func:`to_html` writes one self-contained HTML file: styles inline,
  figures embedded as ``data:`` URIs, nothing fetched from anywhere.
- :func:`to_pdf` typesets the same content with Typst (the ``typst`` wheel:
  no TeX, no system libraries, no network), with the DejaVu Sans fonts that
  ship inside matplotlib, so Cyrillic prints the same on every machine, and
  system fonts are ignored (the PDF does not depend on what is installed).
"""

from __future__ import annotations

import base64
import html
import json
import platform
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

import course
from course.case.evidence import sha256_file
from course.case.timeline import event_text
from course.findings import Finding
from course.messages import t, t_code

#: packages whose versions the appendix lists
PACKAGES = ("pandas", "numpy", "networkx", "matplotlib", "pillow", "typst", "bip-utils")
FONT = "DejaVu Sans"
SUFFIXES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
            ".jpeg": "image/jpeg"}


def font_folder() -> Path:
    """Matplotlib's bundled TrueType fonts (DejaVu Sans has Latin and Cyrillic)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@dataclass(frozen=True)
class Figure:
    """One figure of the report: an image file (PNG, SVG, JPEG) and its caption."""

    path: Path
    caption: str

    def __post_init__(self) -> None:
        if Path(self.path).suffix.lower() not in SUFFIXES or not Path(self.path).is_file():
            raise ValueError(t("case.report.bad_figure", path=str(self.path),
                               kinds=", ".join(SUFFIXES)))


def save_figure(figure, path: Path | str, caption: str, dpi: int = 150) -> Figure:
    """Save a matplotlib figure as PNG or SVG (by ``path``'s suffix) and wrap it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, bbox_inches="tight",
                   metadata={"Software": None} if path.suffix == ".png" else {"Date": None})
    return Figure(path, caption)


def reproducibility(inputs: dict[str, Path | str] | list[Path | str], *,
                    seed: int | None = None, manifest: Path | str | None = None,
                    root: Path | str | None = None,
                    packages: tuple[str, ...] = PACKAGES) -> dict[str, object]:
    """What another analyst needs to get the same results.

    Returns ``{"inputs": [{"file", "sha256", "bytes"}...], "seed", "fingerprint",
    "course_version", "python", "platform", "packages": {name: version}}``;
    ``inputs`` labels each file by its path relative to ``root`` (or the
    dict's key). ``manifest`` is the case manifest the world writes
    (``case_manifest.json``): its ``fingerprint`` names the case without its
    seed, and its ``course_version`` the course that made the data. A report
    for trainees gives the fingerprint, not the seed.
    """
    case: dict[str, object] = {}
    if manifest is not None:
        if not Path(manifest).is_file():
            raise FileNotFoundError(t("case.report.no_manifest", path=str(manifest)))
        case = json.loads(Path(manifest).read_text(encoding="utf-8"))
    if not isinstance(inputs, dict):
        inputs = {(Path(p).relative_to(root).as_posix() if root else Path(p).as_posix()): p
                  for p in inputs}
    rows = []
    for label, path in inputs.items():
        if not Path(path).is_file():
            raise FileNotFoundError(t("case.report.no_input", path=str(path)))
        rows.append({"file": label, "sha256": sha256_file(path),
                     "bytes": Path(path).stat().st_size})
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return {"inputs": rows, "seed": seed, "fingerprint": case.get("fingerprint"),
            "data_course_version": case.get("course_version"),
            "course_version": course.__version__,
            "python": platform.python_version(), "platform": platform.platform(terse=True),
            "packages": versions}


@dataclass
class Report:
    """An investigation report; every text is given in the report's language."""

    title: str
    case_number: str
    author: str
    date: str
    summary: list[str]
    findings: list[Finding]
    method: list[str]
    appendix: dict[str, object]
    figures: list[Figure] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    lang: str = "en"

    def __post_init__(self) -> None:
        for name in ("title", "case_number", "author", "date"):
            if not str(getattr(self, name)).strip():
                raise ValueError(t("case.report.missing", field=name))
        if not self.findings:
            raise ValueError(t("case.report.no_findings"))


def _h(key: str, report: Report) -> str:
    return t(f"case.report.{key}", lang=report.lang)


def kind_text(kind: str, lang: str | None = None) -> str:
    """A finding's kind in words (``case.kind.<kind>``); an unknown kind as it is."""
    return t_code("case.kind", kind, lang=lang)


def _finding_rows(report: Report) -> list[tuple[str, str, list[str], list[str]]]:
    """(heading, confidence text, evidence, sources) per finding."""
    out = []
    for n, finding in enumerate(report.findings, 1):
        head = f"{n}. {kind_text(finding.kind, report.lang)}: {' / '.join(finding.subject)}"
        level = t(f"case.report.level.{finding.level}", lang=report.lang)
        out.append((head, f"{level} ({finding.confidence:.2f})", list(finding.evidence),
                    list(finding.sources)))
    return out


def _appendix_rows(report: Report) -> list[tuple[str, str]]:
    a = report.appendix
    rows = []
    if a.get("fingerprint"):
        rows.append((_h("fingerprint", report), str(a["fingerprint"])))
    if a.get("seed") is not None or not a.get("fingerprint"):
        rows.append((_h("seed", report), str(a.get("seed"))))
    rows.append((_h("course_version", report), str(a.get("course_version"))))
    if a.get("data_course_version") not in (None, a.get("course_version")):
        rows.append((_h("data_course_version", report), str(a["data_course_version"])))
    rows += [("Python", f"{a.get('python')} ({a.get('platform')})")]
    rows += [(name, version) for name, version in dict(a.get("packages", {})).items()]
    return rows


CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60em;margin:2em auto;
color:#111;line-height:1.4}h1{font-size:1.6em}h2{border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #bbb;
padding:.2em .4em;text-align:left;vertical-align:top}code{font-size:.85em;word-break:break-all}
figure{margin:1em 0}img{max-width:100%}.meta{color:#444}.conf{font-weight:bold}"""


def _image_uri(path: Path) -> str:
    kind = SUFFIXES[path.suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _column(name: object, lang: str) -> str:
    """A table header in ``lang``: the catalogue's ``case.column.<name>``, else the name."""
    return t_code("case.column", name, lang=lang)


def _cells(frame: pd.DataFrame, lang: str) -> list[list[str]]:
    """The table's cells as text; a ``kind`` column's event codes in words."""
    rows = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    for i, name in enumerate(frame.columns):
        if name == "kind":
            for row in rows:
                row[i] = event_text(row[i], lang)
    return rows


def _html_table(frame: pd.DataFrame, lang: str = "en") -> str:
    head = "".join(f"<th>{html.escape(_column(c, lang))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                   for row in _cells(frame, lang))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (no external resource of any kind)."""
    e = html.escape
    parts = [f'<!DOCTYPE html><html lang="{e(report.lang)}"><head><meta charset="utf-8">',
             f"<title>{e(report.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{e(report.title)}</h1>",
             f'<p class="meta">{e(_h("case", report))}: {e(report.case_number)} · '
             f'{e(_h("author", report))}: {e(report.author)} · {e(report.date)}</p>',
             f"<h2>{e(_h('summary', report))}</h2>"]
    parts += [f"<p>{e(p)}</p>" for p in report.summary]
    parts.append(f"<h2>{e(_h('findings', report))}</h2>")
    for head, conf, evidence, sources in _finding_rows(report):
        parts.append(f"<h3>{e(head)}</h3><p>{e(_h('confidence', report))}: "
                     f'<span class="conf">{e(conf)}</span></p>')
        parts.append(f"<p>{e(_h('evidence', report))}:</p><ul>"
                     + "".join(f"<li>{e(x)}</li>" for x in evidence) + "</ul>")
        parts.append(f"<p>{e(_h('sources', report))}:</p><ul>"
                     + "".join(f"<li><code>{e(x)}</code></li>" for x in sources) + "</ul>")
    if report.figures:
        parts.append(f"<h2>{e(_h('figures', report))}</h2>")
        for n, fig in enumerate(report.figures, 1):
            parts.append(f'<figure><img src="{_image_uri(Path(fig.path))}" alt="{e(fig.caption)}">'
                         f"<figcaption>{n}. {e(fig.caption)}</figcaption></figure>")
    for caption, frame in report.tables:
        parts.append(f"<h3>{e(caption)}</h3>{_html_table(frame, report.lang)}")
    parts.append(f"<h2>{e(_h('method', report))}</h2><ol>"
                 + "".join(f"<li>{e(step)}</li>" for step in report.method) + "</ol>")
    parts.append(f"<h2>{e(_h('appendix', report))}</h2><h3>{e(_h('inputs', report))}</h3>")
    parts.append(_html_table(pd.DataFrame(report.appendix.get("inputs", []),
                                          columns=["file", "sha256", "bytes"]), report.lang))
    parts.append(f"<h3>{e(_h('software', report))}</h3>")
    parts.append(_html_table(pd.DataFrame(_appendix_rows(report), columns=["", ""])))
    parts.append("</body></html>\n")
    return "".join(parts)


def _s(text: object) -> str:
    """Any text as a Typst string literal inserted into markup (nothing is markup)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'#"{escaped}"'


def _breakable(text: str, every: int = 12) -> str:
    """Zero-width spaces inside long unbroken tokens (addresses, txids) so cells can wrap."""
    def cut(token: str) -> str:
        if len(token) <= 2 * every:
            return token
        return "\u200b".join(token[i:i + every] for i in range(0, len(token), every))
    return " ".join(cut(token) for token in text.split(" "))


def _typst_table(rows: list[list[str]], header: list[str], widths: str | None = None,
                 wrap: bool = True) -> str:
    """A Typst table; without ``widths`` each column's share follows its longest text."""
    if widths is None:   # Typst shrinks auto columns that do not fit the page, fairly
        widths = "(" + "auto, " * len(header) + ")"
    cells = [f"[*{_s(h)}*]" for h in header] if any(header) else []
    for row in rows:
        cells += [f"[{_s(_breakable(v) if wrap else v)}]" for v in row]
    cells = ", ".join(cells)
    return f"#table(columns: {widths}, inset: 3pt, {cells})\n"


def to_typst(report: Report, images: dict[int, str] | None = None) -> str:
    """The report as Typst markup; ``images`` maps figure number to a file name."""
    images = images or {}
    out = [f'#set document(title: "{report.title.replace(chr(34), "")}", author: '
           f'"{report.author.replace(chr(34), "")}")',
           f'#set text(font: "{FONT}", size: 10pt, lang: "{report.lang}")',
           '#set page(paper: "a4", margin: 2cm, numbering: "1 / 1")',
           "#set par(justify: false)",
           f"#text(size: 16pt, weight: \"bold\")[{_s(report.title)}]\n",
           f"{_s(_h('case', report) + ': ' + report.case_number)} #h(1em) "
           f"{_s(_h('author', report) + ': ' + report.author)} #h(1em) {_s(report.date)}\n",
           f"= {_s(_h('summary', report))}\n"]
    out += [f"{_s(p)}\n" for p in report.summary]
    out.append(f"= {_s(_h('findings', report))}\n")
    for head, conf, evidence, sources in _finding_rows(report):
        out.append(f"== {_s(head)}\n{_s(_h('confidence', report) + ':')} *{_s(conf)}*\n")
        out.append(f"{_s(_h('evidence', report) + ':')}\n"
                   + "".join(f"- {_s(x)}\n" for x in evidence))
        out.append(f"{_s(_h('sources', report) + ':')}\n"
                   + "".join(f"- #text(size: 8pt)[{_s(x)}]\n" for x in sources))
    if report.figures:
        out.append(f"= {_s(_h('figures', report))}\n")
        for n, fig in enumerate(report.figures, 1):
            out.append(f'#figure(image("{images[n]}", width: 100%), '
                       f"caption: [{_s(fig.caption)}])\n")
    for caption, frame in report.tables:
        out.append(f"== {_s(caption)}\n#set text(size: 7pt)\n")
        out.append(_typst_table(_cells(frame, report.lang),
                                [_column(c, report.lang) for c in frame.columns]))
        out.append("#set text(size: 10pt)\n")
    out.append(f"= {_s(_h('method', report))}\n"
               + "".join(f"+ {_s(step)}\n" for step in report.method))
    out.append(f"= {_s(_h('appendix', report))}\n== {_s(_h('inputs', report))}\n")
    out.append("#set text(size: 7pt)\n" + _typst_table(
        [[r["file"], r["sha256"], str(r["bytes"])] for r in report.appendix.get("inputs", [])],
        [_column(c, report.lang) for c in ("file", "sha256", "bytes")], "(auto, 1fr, auto)",
        wrap=False) + "#set text(size: 10pt)\n")
    out.append(f"== {_s(_h('software', report))}\n")
    out.append(_typst_table([list(r) for r in _appendix_rows(report)], ["", ""], "(auto, 1fr)"))
    return "\n".join(out)


def _compile(report: Report, **options: object) -> bytes | list[bytes]:
    """Typeset with Typst in a scratch folder holding the markup and the figures."""
    import typst

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        images = {}
        for n, fig in enumerate(report.figures, 1):
            images[n] = f"figure_{n}{Path(fig.path).suffix.lower()}"
            shutil.copyfile(fig.path, folder / images[n])
        (folder / "report.typ").write_text(to_typst(report, images), encoding="utf-8")
        try:
            return typst.compile(str(folder / "report.typ"), root=str(folder),
                                 font_paths=[str(font_folder())], ignore_system_fonts=True,
                                 **options)
        except RuntimeError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise ValueError(t("case.report.typeset_failed", reason=reason)) from None


def to_pdf(report: Report, path: Path | str) -> Path:
    """Typeset the report to a PDF file (offline; fonts from matplotlib only).

    The PDF's creation date is the report's ``date``, so the same report gives
    the same file.
    """
    try:
        stamp = int(datetime.fromisoformat(report.date).timestamp())
    except ValueError:
        stamp = None
    pdf = _compile(report, timestamp=stamp)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


def page_png(report: Report, path: Path | str, page: int = 1, ppi: int = 110) -> Path:
    """Render one page of the report to PNG with the same typesetter (a preview image)."""
    pages = _compile(report, format="png", ppi=ppi)
    pages = pages if isinstance(pages, list) else [pages]
    path = Path(path)
    path.write_bytes(pages[page - 1])
    return path


def page_pngs(report: Report, folder: Path | str, name: str = "report",
              ppi: int = 110) -> list[Path]:
    """Render every page of the report to ``name-1.png``, ``name-2.png`` ... in ``folder``.

    The pages are typeset once, by the same engine as :func:`to_pdf`, so the
    images show the PDF's pages.
    """
    pages = _compile(report, format="png", ppi=ppi)
    pages = pages if isinstance(pages, list) else [pages]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, image in enumerate(pages, 1):
        paths.append(folder / f"{name}-{n}.png")
        paths[-1].write_bytes(image)
    return paths


def write(report: Report, folder: Path | str, name: str = "report") -> dict[str, Path]:
    """Write ``name.html`` and ``name.pdf`` into ``folder``; returns both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"{name}.html"
    html_path.write_text(to_html(report), encoding="utf-8")
    return {"html": html_path, "pdf": to_pdf(report, folder / f"{name}.pdf")}


__all__ = ["FONT", "PACKAGES", "Figure", "Report", "font_folder", "kind_text", "page_png",
           "page_pngs", "reproducibility", "save_figure", "to_html", "to_pdf", "to_typst", "write"]
