"""Day 3 widget: what an address is, and which part of a broken one is wrong.

Type or paste an address (bitcoin, Tron or Ethereum-style): the inspector
shows its coin, type, network and encoding, the checksum verdict and, for a
broken address, the part that is wrong - with the likely mistyped character
when a single change would repair the checksum
(:func:`course.chain.inspect.inspect_address`).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from course.chain.inspect import AddressVerdict, inspect_address
from course.messages import t
from course.widgets.base import CourseWidget


class AddressInspector(CourseWidget):
    """A text box for an address and its verdict under it.

    ``value`` is the verdict as plain data (a dict with ``address``, ``valid``,
    ``coin``, ``type``, ``network``, ``encoding``, ``part``, ``reason``,
    ``payload_hex``, ``position``, ``suggestion``); setting ``value`` to a
    string puts that address in the box. ``address`` is the text in the box,
    ``verdict`` the :class:`course.chain.inspect.AddressVerdict`.

    Parameters
    ----------
    address
        The address shown first ("" for an empty box).
    """

    def __init__(self, address: str = "") -> None:
        self._w_text = widgets.Text(value=str(address), description=t("w3.address.label"),
                                    placeholder=t("w3.address.placeholder"),
                                    continuous_update=False,
                                    layout=widgets.Layout(width="90%"))
        self._w_result = widgets.HTML()
        self._w_text.observe(self._render, names="value")
        self.layout = widgets.VBox([self._w_text, self._w_result])
        self._render()

    @property
    def address(self) -> str:
        """The text in the box."""
        return self._w_text.value

    @property
    def verdict(self) -> AddressVerdict:
        """The inspection of the text in the box."""
        return inspect_address(self._w_text.value)

    @property
    def value(self) -> dict:
        """The verdict as a plain dict."""
        return self.verdict.to_dict()

    @value.setter
    def value(self, address: str) -> None:
        self._w_text.value = str(address)

    def _render(self, _change: object = None) -> None:
        v = self.verdict
        if v.part == "empty":
            self._w_result.value = f"<p>{html.escape(v.reason)}</p>"
            return
        colour = "#070" if v.valid else "#b00"
        dash = t("w3.address.unknown")
        if v.valid:
            checksum = t("w3.address.checksum_ok")
        elif v.part == "checksum":
            checksum = t("w3.address.checksum_bad")
        else:
            checksum = dash
        rows = [
            ("w3.address.coin", v.coin or dash),
            ("w3.address.type", v.type or dash),
            ("w3.address.network", v.network or dash),
            ("w3.address.encoding", v.encoding or dash),
            ("w3.address.checksum", checksum),
            ("w3.address.wrong_part", t(f"w3.address.part.{v.part}") if v.part else dash),
            ("w3.address.payload", v.payload_hex or dash),
        ]
        body = "".join(f"<tr><td>{html.escape(t(k))}</td><td><code>{html.escape(str(x))}</code>"
                       f"</td></tr>" for k, x in rows)
        marked = ""
        if v.position:
            i = v.position - 1
            marked = (f"<p><code>{html.escape(v.address[:i])}<b style='color:#b00;"
                      f"text-decoration:underline'>{html.escape(v.address[i])}</b>"
                      f"{html.escape(v.address[i + 1:])}</code></p>")
        self._w_result.value = (f"<p style='color:{colour}'><b class='course-verdict'>"
                                f"{html.escape(v.reason)}</b></p>{marked}<table>{body}</table>")
