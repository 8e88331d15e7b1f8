"""The `course` package: everything the notebooks, the CLI and the tests share.

Notebooks stay thin and call this package; every branch or loop that is not
the point of an exercise lives here, with unit tests.
"""

from __future__ import annotations

import sys

__version__ = "0.1.0"

# jsonschema (under nbformat) builds a grammar for one URI format check when it
# is imported, about a second of CPU in every process that reads a notebook;
# the course never checks that format, so the grammar's module is left out
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
