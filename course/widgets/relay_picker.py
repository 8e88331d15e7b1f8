"""Day 1 widget: draw many Tor paths and compare how often each relay is picked
with its bandwidth-weighted probability.

Each press of the button draws a fresh sample of paths with
:class:`course.tor.pathsel.PathSampler` (exit, then guard, then middle, never
two relays of one family or /16). The table shows, for the chosen position,
the relays with the largest weight share (:func:`course.tor.pathsel.position_weights`),
biggest first, with how often each was drawn: the biggest relay is always in
the table, drawn or not. With more paths the two shares get closer; the
family and /16 rules move them a little apart.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course.messages import t
from course.tor.pathsel import POSITIONS, PathSampler, position_weights
from course.widgets.base import CourseWidget

MAX_DRAWS = 5000


class RelayPicker(CourseWidget):
    """A number of paths, a position and a "Draw paths" button over a consensus.

    ``value`` is ``{"draws": int, "position": str}``; ``paths`` is the last
    sample (one row per path), ``counts`` the table shown and ``expected``
    every relay's weight share for the position.

    Parameters
    ----------
    relays, weights
        The relay table and bandwidth weights of a consensus.
    port
        The destination port the exits must accept.
    draws
        How many paths the first sample has (drawn at once, so the lab shows
        something before any click).
    seed
        Seed of the first sample; each new sample adds one.
    top
        How many relays the table shows.
    """

    def __init__(self, relays: pd.DataFrame, weights: dict[str, int], port: int = 443,
                 draws: int = 1000, seed: int = 0, top: int = 10) -> None:
        self._relays = relays.reset_index(drop=True)
        self._weights = weights
        self._port = port
        self._seed = seed
        self._top = top
        self._paths = pd.DataFrame()
        self._error = ""
        self._w_draws = widgets.IntSlider(value=draws, min=10, max=MAX_DRAWS, step=10,
                                          description=t("w1.picker.draws_label"),
                                          style={"description_width": "initial"},
                                          continuous_update=False)
        self._w_position = widgets.Dropdown(
            options=[(t(f"w1.picker.position.{p}"), p) for p in POSITIONS], value="guard",
            description=t("w1.picker.position_label"))
        self._w_draw = widgets.Button(description=t("w1.picker.draw_button"), icon="random")
        self._w_summary = widgets.HTML()
        self._w_table = widgets.HTML()
        self._w_position.observe(self._render, names="value")
        self._w_draw.on_click(self._on_draw)
        self.layout = widgets.VBox([
            widgets.HBox([self._w_draws, self._w_position, self._w_draw]),
            self._w_summary, self._w_table,
        ])
        self._expected = {
            pos: self._share(position_weights(self._relays, weights, pos,
                                              port if pos == "exit" else None))
            for pos in POSITIONS
        }
        self._sample()

    # -- public ------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Any]:
        """How many paths a press draws, and the position shown."""
        return {"draws": int(self._w_draws.value), "position": self._w_position.value}

    @value.setter
    def value(self, new: dict[str, Any]) -> None:
        if "draws" in new:
            self._w_draws.value = int(new["draws"])
        if "position" in new:
            self._w_position.value = new["position"]

    @property
    def paths(self) -> pd.DataFrame:
        """The last sample of paths (columns guard, middle, exit and fingerprints)."""
        return self._paths.copy()

    @property
    def expected(self) -> pd.Series:
        """Every relay's weight share for the position shown, by nickname."""
        return self._expected[self._w_position.value].copy()

    @property
    def counts(self) -> pd.DataFrame:
        """The relays with the largest weight share at the position shown (biggest
        first), how many times each was drawn, and both shares."""
        position = self._w_position.value
        columns = ["relay", "drawn", "observed", "expected"]
        if self._paths.empty:
            return pd.DataFrame(columns=columns)
        drawn = self._paths[position].value_counts()
        expected = self._expected[position]
        top = expected[expected > 0].sort_index().sort_values(ascending=False, kind="stable")
        top = top.head(self._top)
        counts = [int(drawn.get(n, 0)) for n in top.index]
        return pd.DataFrame({
            "relay": list(top.index),
            "drawn": counts,
            "observed": [c / len(self._paths) for c in counts],
            "expected": top.to_numpy(dtype=float),
        }, columns=columns)

    @property
    def summary(self) -> str:
        """The sentence above the table."""
        if self._error:
            return self._error
        table = self.counts
        if table.empty:
            return t("w1.picker.none")
        first = table.iloc[0]
        return t("w1.picker.summary", draws=len(self._paths),
                 position=t(f"w1.picker.position.{self._w_position.value}"),
                 relay=first["relay"], observed=first["observed"], expected=first["expected"])

    def draw(self) -> None:
        """Draw a new sample of ``value["draws"]`` paths (what the button does)."""
        self._seed += 1
        self._sample()

    # -- private -------------------------------------------------------------------
    def _share(self, weights: pd.Series) -> pd.Series:
        total = float(weights.sum())
        share = weights / total if total > 0 else weights * 0.0
        return pd.Series(share.to_numpy(), index=self._relays["nickname"]).groupby(level=0).sum()

    def _sample(self) -> None:
        try:
            sampler = PathSampler(self._relays, self._weights, port=self._port, seed=self._seed)
            self._paths = sampler.sample(int(self._w_draws.value))
            self._error = ""
        except ValueError as exc:
            self._paths = pd.DataFrame()
            self._error = t("w1.picker.error", reason=exc)
        self._render()

    def _on_draw(self, _button: object = None) -> None:
        self.draw()

    def _render(self, _change: object = None) -> None:
        self._w_summary.value = f"<b>{html.escape(self.summary)}</b>"
        table = self.counts
        if table.empty:
            self._w_table.value = ""
            return
        head = "".join(f"<th>{html.escape(t(k))}</th>" for k in (
            "w1.picker.relay", "w1.picker.drawn", "w1.picker.observed", "w1.picker.expected"))
        rows = "".join(
            f"<tr><td>{html.escape(str(r.relay))}</td><td>{int(r.drawn)}</td>"
            f"<td>{r.observed:.1%}</td><td>{r.expected:.1%}</td></tr>"
            for r in table.itertuples()
        )
        self._w_table.value = f"<table><tr>{head}</tr>{rows}</table>"
