"""How an answer is compared with the key's value.

Answers reach the comparison as plain JSON data (str, int, float, bool, None,
lists and dicts of them): :func:`to_plain` turns numpy and pandas values into
such data and refuses anything else, so an object whose comparison,
arithmetic or class is overridden never takes part in a verdict.

Comparisons
-----------
exact
    Equal as plain data (``True`` is not ``1``).
float
    A number within ``tolerance`` (absolute) of the key.
set
    The same elements in any order (a list of cities, of addresses ...).
float_map
    A mapping with the same keys whose numbers are each within ``tolerance``.
one_of
    Equal (as ``exact``) to one of the key's accepted values.
order
    A list holding exactly the key's ``items``, each once, in an order that
    keeps every ``[a, b]`` pair of ``before`` (``a`` comes before ``b``).
calls
    A function answer: the key lists cases ``{"args": [...], "result": ...}``;
    the answer is the list of results the function gave for those arguments
    (recorded in the trainee's kernel, compared here, outside it).
"""

from __future__ import annotations

import math
from typing import Any

COMPARISONS = ("exact", "float", "set", "float_map", "one_of", "order", "calls")

#: containers deeper than this are not plain answers (and not worth comparing)
MAX_DEPTH = 20
#: more items than this in one answer are not plain answers either
MAX_ITEMS = 100_000


class NotPlain(TypeError):
    """The value is not plain data; ``kind`` names what it was."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _numpy_or_pandas(value: Any) -> Any:
    """numpy scalars and arrays, pandas Series and Index as plain Python values,
    or the value unchanged. Only the real classes count (``type(...)``, not a
    class that claims their module)."""
    kind = type(value)
    module = kind.__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.generic) and type(value) in np.sctypeDict.values():
            return value.item()
        if type(value) is np.ndarray:
            return value.tolist()
    if module == "pandas":
        import pandas as pd

        if type(value) is pd.Series:
            return {k: v for k, v in zip(value.index.tolist(), value.tolist(), strict=True)}
        if type(value) is pd.Index:
            return value.tolist()
    return value


def to_plain(value: Any, _depth: int = 0, _count: list[int] | None = None) -> Any:
    """Return ``value`` as plain JSON data, or raise :class:`NotPlain`.

    Accepted: exactly ``str``, ``int``, ``float``, ``bool``, ``None``, and
    ``list``, ``tuple``, ``set``, ``frozenset``, ``dict`` of them (sets become
    sorted lists, tuples lists, dict keys must be text or whole numbers); numpy
    scalars and arrays and pandas Series and Index of such values. Subclasses
    are refused: their comparisons could be anything.
    """
    count = _count if _count is not None else [0]
    count[0] += 1
    if _depth > MAX_DEPTH or count[0] > MAX_ITEMS:
        raise NotPlain("a structure too deep or too large")
    value = _numpy_or_pandas(value)
    kind = type(value)
    if value is None or kind in (bool, str, int):
        return value
    if kind is float:
        return value if math.isfinite(value) else repr(value)
    if kind in (list, tuple):
        return [to_plain(v, _depth + 1, count) for v in value]
    if kind in (set, frozenset):
        items = [to_plain(v, _depth + 1, count) for v in value]
        return sorted(items, key=lambda v: (type(v).__name__, repr(v)))
    if kind is dict:
        out = {}
        for k, v in value.items():
            key = to_plain(k, _depth + 1, count)
            if type(key) not in (str, int):
                raise NotPlain(f"a dict whose keys are {type(k).__name__}")
            out[key] = to_plain(v, _depth + 1, count)
        return out
    raise NotPlain(kind.__name__)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _close(a: Any, b: Any, tolerance: float) -> bool:
    if not _is_number(a) or not _is_number(b):
        return False
    if math.isnan(float(a)):
        return False
    return abs(float(a) - float(b)) <= tolerance


def _same(a: Any, b: Any) -> bool:
    """Equality of plain data in which ``True`` is not ``1`` and ``1.0`` is ``1``."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if type(a) is not type(b):
        return False
    if type(a) is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


def _order(answer: Any, expected: dict) -> bool:
    items = expected["items"]
    if type(answer) is not list or sorted(map(repr, answer)) != sorted(map(repr, items)):
        return False
    position = {repr(item): i for i, item in enumerate(answer)}
    return all(position[repr(a)] < position[repr(b)] for a, b in expected["before"])


def _calls(answer: Any, expected: list) -> bool:
    return failed_call(answer, expected) is None


def failed_call(answer: Any, expected: list) -> dict | None:
    """The first key case that ``answer`` (recorded calls) gets wrong, else None."""
    if type(answer) is not list:
        return expected[0] if expected else {}
    given = {}
    for call in answer:
        if type(call) is dict and "args" in call:
            given.setdefault(repr(call["args"]), call)
    for case in expected:
        call = given.get(repr(case["args"]))
        if call is None or "result" not in call or not _same(call["result"], case["result"]):
            return case
    return None


def matches(answer: Any, expected: Any, compare: str = "exact", tolerance: float = 0.0) -> bool:
    """Return True if ``answer`` matches ``expected`` under ``compare``.

    An answer that is not plain data (see :func:`to_plain`) never matches.

    Examples
    --------
    >>> matches(3, 3)
    True
    >>> matches(0.1 + 0.2, 0.3, "float", 1e-9)
    True
    >>> matches(["Osh", "Almaty"], ["Almaty", "Osh"], "set")
    True
    >>> matches(["B", "A"], {"items": ["A", "B"], "before": [["A", "B"]]}, "order")
    False
    """
    try:
        answer = to_plain(answer)
        expected = to_plain(expected)
    except NotPlain:
        return False
    if compare == "exact":
        return _same(answer, expected)
    if compare == "float":
        return _close(answer, expected, tolerance)
    if compare == "set":
        if type(answer) is not list:
            return False
        return len(answer) == len(expected) and sorted(map(repr, answer)) == sorted(
            map(repr, expected)
        )
    if compare == "float_map":
        if type(answer) is not dict or set(answer) != set(expected):
            return False
        return all(_close(answer[k], expected[k], tolerance) for k in expected)
    if compare == "one_of":
        return any(_same(answer, option) for option in expected)
    if compare == "order":
        return _order(answer, expected)
    if compare == "calls":
        return _calls(answer, expected)
    raise ValueError(f"unknown comparison {compare!r}")
