"""Opening the case-world files of an assignment from a notebook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from course.messages import t

DATA_DIR = "data"


def data_path(name: str, folder: Path | str | None = None) -> Path:
    """Return the path of data file ``name`` of the current assignment.

    Parameters
    ----------
    name
        File name inside the assignment's ``data/`` folder, e.g. ``"seizures.csv"``.
    folder
        The assignment folder (default: the working directory, which is the
        notebook's folder in JupyterLab and during grading).

    Raises
    ------
    FileNotFoundError
        With a one-line message saying where the file was looked for.
    """
    base = Path(folder) if folder is not None else Path.cwd()
    path = base / DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(t("data.missing", path=path))
    return path


def read_table(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Read CSV data file ``name`` into a pandas table (see :func:`data_path`)."""
    return pd.read_csv(data_path(name, folder))


def read_json(name: str, folder: Path | str | None = None) -> Any:
    """Read JSON data file ``name`` (UTF-8) into Python values (see :func:`data_path`).

    Raises
    ------
    ValueError
        With a one-line message if the file is not valid JSON.
    """
    path = data_path(name, folder)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(t("data.bad_json", path=path, reason=exc)) from None
