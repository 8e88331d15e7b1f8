"""The `course` package: everything the notebooks, the CLI and the tests share.

Notebooks stay thin and call this package; every branch or loop that is not
the point of an exercise lives here, with unit tests.
"""

from __future__ import annotations

__version__ = "0.1.0"
