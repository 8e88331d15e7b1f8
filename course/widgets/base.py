"""What every course widget shares: ``value``, ``layout`` and ``display()``."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import display


class CourseWidget:
    """Base of the course's widget labs.

    Subclasses build their inner widgets as private ``_w_*`` attributes, put
    the top-level box in ``self.layout`` and implement the ``value`` property.
    """

    layout: widgets.Widget

    @property
    def value(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def display(self) -> None:
        """Show the widget in the notebook."""
        display(self.layout)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.layout._repr_mimebundle_(**kwargs)
