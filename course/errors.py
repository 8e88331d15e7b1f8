"""Errors meant for people: one line that says what is wrong and what to do."""

from __future__ import annotations


class CourseError(Exception):
    """An error the CLI reports as a single line, without a traceback."""


class AnswerKeyError(AssertionError):
    """The answer key is missing or unreadable.

    It subclasses ``AssertionError`` so a hidden test that meets it fails,
    and is never mistaken for a pass.
    """
