"""Widget labs: one widget a module, each with a public ``value``.

Widgets are for exploring; graded answers are plain variables. Every widget
works headless (no browser, during grading): building and driving it never
needs a front end.
"""

from __future__ import annotations

from course.widgets.seizure_explorer import SeizureExplorer

__all__ = ["SeizureExplorer"]
