"""Classroom passwords: random words, easy to read aloud and type, >= 64 bits.

A password is :data:`WORD_COUNT` words drawn with :mod:`secrets` from the
EFF long word list shipped beside this module (``words.txt``, 7,772 words of
letters only), joined by ``-``: for example ``cattle-unfold-prism-yodel-
abacus``. Each word carries log2(7772) = 12.9 bits, so five carry 64.6 bits.
No network is needed: the list is part of the package.
"""

from __future__ import annotations

import math
import secrets
from functools import cache
from importlib.resources import files

#: words in a password; with the shipped list this gives >= 64 bits
WORD_COUNT = 5
#: the entropy a generated password must at least carry
MIN_BITS = 64
SEPARATOR = "-"


@cache
def words() -> tuple[str, ...]:
    """The word list (unique, lower-case letters only), in file order."""
    text = files("course.hub").joinpath("words.txt").read_text(encoding="utf-8")
    found = [line.strip() for line in text.splitlines()]
    return tuple(w for w in found if w and not w.startswith("#"))


def entropy_bits(count: int = WORD_COUNT) -> float:
    """Bits of entropy of a password of ``count`` words drawn from :func:`words`."""
    return count * math.log2(len(set(words())))


def make_password(count: int = WORD_COUNT) -> str:
    """A random password of ``count`` words, e.g. ``cattle-unfold-prism-yodel-abacus``."""
    pool = words()
    return SEPARATOR.join(secrets.choice(pool) for _ in range(count))
