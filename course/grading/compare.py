"""How an answer is compared with the key's value.

Comparisons
-----------
exact
    Equal after normalising numbers and containers (numpy scalars, tuples,
    pandas objects become plain Python values).
float
    A number within ``tolerance`` (absolute) of the key.
set
    The same elements in any order (a list of cities, of addresses ...).
float_map
    A mapping with the same keys whose numbers are each within ``tolerance``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Number
from typing import Any


def plain(value: Any) -> Any:
    """Convert numpy, pandas and tuple values to plain JSON-like Python values."""
    if hasattr(value, "to_dict") and callable(value.to_dict):  # pandas Series
        value = value.to_dict()
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Number):
        as_float = float(value)
        return int(as_float) if as_float.is_integer() and not isinstance(value, float) else value
    return value


def _close(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if not isinstance(a, Number) or not isinstance(b, Number):
        return False
    if math.isnan(float(a)):
        return False
    return abs(float(a) - float(b)) <= tolerance


def matches(answer: Any, expected: Any, compare: str = "exact", tolerance: float = 0.0) -> bool:
    """Return True if ``answer`` matches ``expected`` under ``compare``.

    Examples
    --------
    >>> matches(3, 3)
    True
    >>> matches(0.1 + 0.2, 0.3, "float", 1e-9)
    True
    >>> matches(["Osh", "Almaty"], ["Almaty", "Osh"], "set")
    True
    """
    answer = plain(answer)
    expected = plain(expected)
    if compare == "exact":
        if isinstance(answer, bool) != isinstance(expected, bool):
            return False
        return answer == expected
    if compare == "float":
        return _close(answer, expected, tolerance)
    if compare == "set":
        if not isinstance(answer, list):
            return False
        return len(answer) == len(expected) and sorted(map(repr, answer)) == sorted(
            map(repr, expected)
        )
    if compare == "float_map":
        if not isinstance(answer, dict) or set(answer) != set(expected):
            return False
        return all(_close(answer[k], expected[k], tolerance) for k in expected)
    raise ValueError(f"unknown comparison {compare!r}")
