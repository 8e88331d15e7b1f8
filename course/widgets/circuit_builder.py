"""Day 1 widget: build a three-hop Tor circuit and watch its layers of encryption.

The circuit's relays are drawn from the consensus the way a Tor client draws
them (:class:`course.tor.pathsel.PathSampler`); the client agrees on an AES
key with each (:func:`course.tor.layers.make_circuit`), wraps the request in
three layers and each relay peels one (:func:`course.tor.layers.trace`). The
step slider walks the cell from the client to the exit; under it, what the
relay holding the cell can read, and what it learns about the circuit.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course.messages import t
from course.tor.layers import Hop, make_circuit, relay_views, trace
from course.tor.pathsel import PathSampler
from course.widgets.base import CourseWidget

DEFAULT_MESSAGE = "GET /listing/100231 HTTP/1.1"
STEPS = 3  # the cell passes three relays: steps 0 (client) to 3 (exit)


class CircuitBuilder(CourseWidget):
    """A request box, a step slider and a "New circuit" button over one circuit.

    ``value`` is ``{"message": str, "step": int}`` (step 0: the client sends,
    1-3: after the guard, the middle and the exit peeled their layer).
    ``path`` names the three relays, ``circuit`` holds their keys, ``trace``
    is the cell at every step and ``views`` what each relay learns.

    Parameters
    ----------
    relays, weights
        The relay table and bandwidth weights of a consensus
        (:mod:`course.tor.consensus`). Without them the relays are called
        Guard, Middle and Exit.
    message
        The request the client sends (at most 501 bytes, one cell).
    client, destination
        What the guard sees as the sender and the exit as the destination
        (default: the catalogue's "your computer" and "market web server").
    port
        The destination port the exit must accept.
    seed
        Seed of the first circuit (paths and keys); each new circuit adds one.
    """

    def __init__(
        self,
        relays: pd.DataFrame | None = None,
        weights: dict[str, int] | None = None,
        message: str = DEFAULT_MESSAGE,
        client: str | None = None,
        destination: str | None = None,
        port: int = 443,
        seed: int = 0,
    ) -> None:
        if (relays is None) != (weights is None):
            raise ValueError(t("w1.circuit.need_both"))
        self._sampler = None
        if relays is not None and weights is not None:
            self._sampler = PathSampler(relays, weights, port=port, seed=seed)
        self._client = t("w1.circuit.default_client") if client is None else str(client)
        self._destination = (t("w1.circuit.default_destination") if destination is None
                             else str(destination))
        self._seed = seed
        self._names: tuple[str, str, str] = ("Guard", "Middle", "Exit")
        self._circuit: list[Hop] = []
        self._trace = pd.DataFrame()
        self._error = ""
        self._w_message = widgets.Text(
            value=str(message), description=t("w1.circuit.message_label"),
            continuous_update=False, layout=widgets.Layout(width="60%"))
        self._w_step = widgets.IntSlider(value=0, min=0, max=STEPS, step=1,
                                         description=t("w1.circuit.step_label"))
        self._w_new = widgets.Button(description=t("w1.circuit.new_button"), icon="refresh")
        self._w_path = widgets.HTML()
        self._w_cells = widgets.HTML()
        self._w_learns = widgets.HTML()
        self._w_message.observe(self._on_message, names="value")
        self._w_step.observe(self._render, names="value")
        self._w_new.on_click(self._on_new)
        self.layout = widgets.VBox([
            widgets.HBox([self._w_message, self._w_new]),
            self._w_path, self._w_step, self._w_cells, self._w_learns,
        ])
        self._new_circuit()

    # -- public ------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Any]:
        """The request and the step shown."""
        return {"message": self._w_message.value, "step": int(self._w_step.value)}

    @value.setter
    def value(self, new: dict[str, Any]) -> None:
        if "message" in new:
            self._w_message.value = str(new["message"])
        if "step" in new:
            self._w_step.value = int(new["step"])

    @property
    def path(self) -> dict[str, str]:
        """The relays of the circuit: ``{"guard": ..., "middle": ..., "exit": ...}``."""
        return dict(zip(("guard", "middle", "exit"), self._names, strict=True))

    @property
    def circuit(self) -> list[Hop]:
        """The three hops with the keys the client shares with each."""
        return list(self._circuit)

    @property
    def trace(self) -> pd.DataFrame:
        """The cell at each step (empty if the request cannot be sent)."""
        return self._trace.copy()

    @property
    def views(self) -> pd.DataFrame:
        """What each relay receives, sends on and learns."""
        return relay_views(self._circuit, self._client, self._destination)

    @property
    def readable(self) -> str | None:
        """What the holder of the cell at the current step can read (None: nothing)."""
        if self._trace.empty:
            return None
        row = self._trace.iloc[self._w_step.value]
        return str(row["message"]) if bool(row["can_read"]) else None

    @property
    def error(self) -> str:
        """Why the request cannot be sent ("" if it can)."""
        return self._error

    def new_circuit(self) -> None:
        """Draw a new path and new keys (what the button does)."""
        self._seed += 1
        self._new_circuit()

    # -- private -------------------------------------------------------------------
    def _new_circuit(self) -> None:
        if self._sampler is not None:
            path = self._sampler.draw()
            self._names = (path.guard, path.middle, path.exit)
        self._circuit = make_circuit(self._names, seed=self._seed)
        self._w_path.value = html.escape(t("w1.circuit.path", destination=self._destination,
                                           **self.path))
        self._rebuild()

    def _on_new(self, _button: object = None) -> None:
        self.new_circuit()

    def _on_message(self, _change: object = None) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        try:
            self._trace = trace(self._w_message.value, self._circuit)
            self._error = ""
        except ValueError as exc:
            self._trace = pd.DataFrame()
            self._error = t("w1.circuit.error", reason=exc)
        self._render()

    def _render(self, _change: object = None) -> None:
        step = int(self._w_step.value)
        if self._error:
            self._w_cells.value = f"<b style='color:#b00'>{html.escape(self._error)}</b>"
            self._w_learns.value = ""
            return
        head = "".join(f"<th>{html.escape(t(k))}</th>" for k in (
            "w1.circuit.holder", "w1.circuit.layers_left", "w1.circuit.first_bytes",
            "w1.circuit.readable"))
        rows = []
        for i, row in self._trace.iloc[: step + 1].iterrows():
            text = row["message"] if row["can_read"] else t("w1.circuit.unreadable")
            style = " style='background:#fff3c4'" if i == step else ""
            rows.append(f"<tr{style}><td>{html.escape(str(row['holder']))}</td>"
                        f"<td>{int(row['layers_left'])}</td>"
                        f"<td><code>{html.escape(str(row['first_bytes']))}</code></td>"
                        f"<td>{html.escape(str(text))}</td></tr>")
        self._w_cells.value = (f"<p>{html.escape(t(f'w1.circuit.step.{step}'))}</p>"
                               f"<table><tr>{head}</tr>{''.join(rows)}</table>")
        if step == 0:
            self._w_learns.value = ""
            return
        view = self.views.iloc[step - 1]
        self._w_learns.value = "<i>" + html.escape(
            t("w1.circuit.learns", relay=view["relay"], what=view["learns"])) + "</i>"
