"""Findings: one conclusion of an investigation with its evidence and confidence.

A finding says *what* was concluded (``kind`` and ``subject``), *how sure* the
analyst is (``confidence`` between 0 and 1, read as a named level), *why*
(``evidence``: short sentences an investigator can check) and *where* the
evidence was read (``sources``: files, with positions when known).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: named levels of confidence, by their lower bound
LEVELS: tuple[tuple[float, str], ...] = ((0.8, "strong"), (0.5, "moderate"), (0.0, "lead"))


def level(confidence: float) -> str:
    """The named level of a confidence: ``strong``, ``moderate`` or ``lead``.

    Examples
    --------
    >>> level(0.95), level(0.6), level(0.3)
    ('strong', 'moderate', 'lead')
    """
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"a confidence is between 0 and 1, not {confidence!r}")
    return next(name for bound, name in LEVELS if confidence >= bound)


@dataclass(frozen=True)
class Finding:
    """One conclusion with its evidence.

    Parameters
    ----------
    kind
        What sort of finding (``"link.pgp_key"``, ``"link"`` ...).
    subject
        What it is about (e.g. the two aliases linked).
    confidence
        Between 0 (a guess) and 1 (certain).
    evidence
        Sentences stating each fact the finding rests on.
    sources
        Where the facts were read (``file`` or ``file:line``).
    """

    kind: str
    subject: tuple[str, ...]
    confidence: float
    evidence: tuple[str, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        level(self.confidence)  # validates the range

    @property
    def level(self) -> str:
        """The named level of the confidence."""
        return level(self.confidence)
