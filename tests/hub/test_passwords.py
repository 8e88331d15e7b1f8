"""Classroom passwords: at least 64 bits, words from the list shipped in the
package (no network), easy to read aloud and type."""

from __future__ import annotations

import math
import re
from collections import Counter

from course.hub import passwords


def test_the_word_list_ships_with_the_package() -> None:
    words = passwords.words()
    assert len(words) == len(set(words)) == 7772
    assert all(re.fullmatch(r"[a-z]{3,9}", w) for w in words), "letters only, short words"


def test_a_password_carries_at_least_64_bits() -> None:
    bits = passwords.WORD_COUNT * math.log2(len(set(passwords.words())))
    assert bits >= passwords.MIN_BITS == 64
    assert passwords.entropy_bits() == bits


def test_passwords_are_random_words_of_the_list() -> None:
    words = set(passwords.words())
    made = [passwords.make_password() for _ in range(2000)]
    assert len(set(made)) == len(made)
    parts = [p.split(passwords.SEPARATOR) for p in made]
    assert all(len(p) == passwords.WORD_COUNT and set(p) <= words for p in parts)
    counts = Counter(w for p in parts for w in p)
    # 10,000 draws over 7,772 words: no word should come up more than a handful of times
    assert max(counts.values()) <= 10
    assert len(counts) > 5000
    assert max(len(p) for p in made) <= 5 * 9 + 4
