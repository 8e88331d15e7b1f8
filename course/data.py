"""Opening the case-world files of an assignment from a notebook."""

from __future__ import annotations

from pathlib import Path

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
