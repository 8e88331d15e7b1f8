"""Driving JupyterLab in Chromium through Playwright: open a notebook, run it
through the menu, and read back what the trainee would see.

Two views are compared: the notebook *model* (``window.jupyterapp``, exposed
by the test server with ``--LabApp.expose_app_in_browser``) says what the
kernel sent (execution counts, error outputs, widget outputs), the *DOM* says
what was drawn (tracebacks, rendered widget views, dialogs, toasts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Locator, Page

from browser.lab_server import LabServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"

# Bounded waits (milliseconds), generous for a loaded 2-core machine.
LOAD_MS = 60_000
KERNEL_MS = 60_000
RUN_MS = 120_000
UI_MS = 15_000

# The notebook panel in the main area, as the JupyterLab application sees it.
_PANEL_JS = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  return w && w.content && w.content.model && w.sessionContext ? w : null;
}
"""


@dataclass
class LabPage:
    """One browser tab on the test's JupyterLab.

    Every request that leaves 127.0.0.1 is refused and remembered in
    ``external``; uncaught page errors are kept in ``page_errors``.
    """

    page: Page
    lab: LabServer
    external: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.set_default_timeout(UI_MS)
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _route(self, route) -> None:  # noqa: ANN001 - playwright Route
        if route.request.url.startswith(self.lab.base + "/"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    # -- opening --------------------------------------------------------------------
    def open(self, path: str) -> None:
        """Open ``path`` (relative to the course root) in a fresh workspace."""
        self.page.goto(self.lab.url(f"/lab/tree/{quote(path)}?reset"), timeout=LOAD_MS)
        self.wait_for_document(path)

    def wait_for_document(self, path: str) -> None:
        """Wait until the notebook at ``path`` is the current, loaded document."""
        self.page.wait_for_function(
            f"""(path) => {{
              const w = ({_PANEL_JS})();
              return !!w && w.context.path === path && w.context.isReady;
            }}""",
            arg=path,
            timeout=LOAD_MS,
        )

    def open_from_file_browser(self, folder: str, name: str) -> None:
        """Double-click ``name`` in the file browser (which must show ``folder``)."""
        item = self.page.locator(f'.jp-DirListing-item[title^="Name: {name}"]')
        item.dblclick()
        self.wait_for_document(f"{folder}/{name}")

    # -- kernel and running ---------------------------------------------------------
    def kernel_status(self) -> str:
        return self.page.evaluate(
            f"""() => {{
              const w = ({_PANEL_JS})();
              const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
              return k ? k.status : 'none';
            }}"""
        )

    def wait_kernel_idle(self, timeout: int = KERNEL_MS) -> None:
        self.page.wait_for_function(
            f"""() => {{
              const w = ({_PANEL_JS})();
              const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
              return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
            }}""",
            timeout=timeout,
        )

    def run_all_from_menu(self) -> None:
        """Run → Run All Cells, as a trainee would."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

    def wait_all_executed(self, timeout: int = RUN_MS) -> None:
        """Wait until the run is over: the kernel is idle, no cell is queued, and
        either every code cell has an execution count or an error stopped the run
        (the cells after it are then left without one; see :meth:`unexecuted`)."""
        self.page.wait_for_function(
            f"""() => {{
              const w = ({_PANEL_JS})();
              if (!w) return false;
              const k = w.sessionContext.session && w.sessionContext.session.kernel;
              const cells = w.model.toJSON().cells.filter(c => c.cell_type === 'code');
              const prompts = [...w.node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
              const ran = cells.every(c => Number.isInteger(c.execution_count));
              const failed = cells.some(c => (c.outputs || []).some(
                o => o.output_type === 'error'));
              return !!k && k.status === 'idle' && (ran || failed)
                && !prompts.some(p => p.textContent.includes('*'));
            }}""",
            timeout=timeout,
        )

    def unexecuted(self) -> list[int]:
        """Indices of the code cells without an execution count."""
        return [
            i
            for i, c in enumerate(self.notebook_json()["cells"])
            if c["cell_type"] == "code" and not isinstance(c.get("execution_count"), int)
        ]

    def shutdown_kernel(self) -> None:
        """Shut the notebook's kernel down (frees the CPU for the next test)."""
        self.page.evaluate(
            f"""async () => {{
              const w = ({_PANEL_JS})();
              if (w && w.sessionContext.session) await w.sessionContext.shutdown();
            }}"""
        )

    # -- reading back -----------------------------------------------------------------
    def notebook_json(self) -> dict:
        """The current notebook as nbformat JSON (outputs included)."""
        return self.page.evaluate(f"() => ({_PANEL_JS})().model.toJSON()")

    def panel(self) -> Locator:
        """The current notebook panel."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    def cell(self, snippet: str) -> Locator:
        """The notebook cell whose source contains ``snippet`` (exactly one)."""
        sources = ["".join(c["source"]) for c in self.notebook_json()["cells"]]
        hits = [i for i, s in enumerate(sources) if snippet in s]
        assert len(hits) == 1, f"{len(hits)} cells contain {snippet!r}"
        self.page.evaluate(
            f"""(i) => {{
              const node = ({_PANEL_JS})().content.widgets[i].node;
              node.scrollIntoView();
              node.setAttribute('data-course-test-cell', String(i));
            }}""",
            hits[0],
        )
        return self.panel().locator(f'[data-course-test-cell="{hits[0]}"]')

    def error_outputs(self) -> list[str]:
        """Errors shown under cells: model ``error`` outputs and tracebacks on screen."""
        found = []
        for i, c in enumerate(self.notebook_json()["cells"]):
            for out in c.get("outputs", []):
                if out.get("output_type") == "error":
                    found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
        shown = self.panel().locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')
        for text in shown.all_inner_texts():
            if "Traceback" in text or re.search(r"^\w+(Error|Exception):", text, re.M):
                found.append("on screen: " + text.strip()[-600:])
        return found

    def widget_report(self) -> dict[str, object]:
        """Widget outputs the kernel sent (model) and widget views drawn (DOM).

        A widget view is drawn as a ``.jupyter-widgets`` element directly in an
        output; without a working widget manager JupyterLab would show the
        text fallback (``VBox(children=...)``) or an error text instead.
        """
        model = sum(
            1
            for c in self.notebook_json()["cells"]
            for out in c.get("outputs", [])
            if WIDGET_MIME in out.get("data", {})
        )
        views = self.panel().locator(".jp-OutputArea-output > .jupyter-widgets")
        classes = " ".join(views.evaluate_all("vs => vs.map(v => v.className)")).split()
        text = self.panel().locator(".jp-OutputArea").all_inner_texts()
        problems = [
            p
            for p in ("Error displaying widget", "Loading widget", "model not found")
            if any(p in t for t in text)
        ]
        return {
            "model": model,
            "rendered": views.count(),
            "kinds": sorted({c for c in classes if c.startswith("widget-")}),
            "problems": problems,
        }

    def dialogs(self) -> list[str]:
        """Texts of the modal dialogs on screen."""
        return [t.strip() for t in self.page.locator(".jp-Dialog").all_inner_texts()]

    def toasts(self) -> list[str]:
        """Texts of the notification toasts on screen."""
        return [t.strip() for t in self.page.locator(".Toastify__toast").all_inner_texts()]

    def screenshot(self, name: str) -> Path:
        """Save a screenshot of the lab as ``artifacts/screenshots/<name>.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path
