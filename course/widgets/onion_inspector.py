"""Day 1 widget: take a v3 onion address apart.

Type or paste an address: the inspector decodes it (base32) into the
service's public key, the checksum written in the address and the version
byte, recomputes the checksum from the key
(:func:`course.tor.onion.onion_checksum`) and flags a mismatch. Given a
signed mirror list, it also says whether the address is on it: a valid
checksum only proves the address is well formed, not that it is the market's.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from course.messages import t
from course.tor.onion import OnionParts, Verdict, _bare, check_address, split_address
from course.widgets.base import CourseWidget


class OnionInspector(CourseWidget):
    """A text box for an onion address and its anatomy under it.

    ``value`` is the address typed (text); ``parts`` its decoded parts (None
    if it cannot be decoded), ``verdict`` the check of length, alphabet,
    version and checksum, ``listed`` whether it is on the official list
    (None without a list) and ``summary`` the verdict's sentence.

    Parameters
    ----------
    address
        The address shown first ("" for an empty box).
    official
        The addresses of a verified mirror list, to compare with.
    """

    def __init__(self, address: str = "", official: list[str] | None = None) -> None:
        if isinstance(official, str):
            raise ValueError(t("tor.onion.not_list"))
        self._official = None if official is None else {_bare(a) for a in official}
        self._w_text = widgets.Text(value=str(address), description=t("w1.onion.address_label"),
                                    placeholder=t("w1.onion.placeholder"),
                                    continuous_update=False,
                                    layout=widgets.Layout(width="80%"))
        self._w_result = widgets.HTML()
        self._w_text.observe(self._render, names="value")
        self.layout = widgets.VBox([self._w_text, self._w_result])
        self._render()

    @property
    def value(self) -> str:
        """The address in the box."""
        return self._w_text.value

    @value.setter
    def value(self, new: str) -> None:
        self._w_text.value = str(new)

    @property
    def parts(self) -> OnionParts | None:
        """Public key, checksum and version decoded from the address (None if impossible)."""
        try:
            return split_address(self.value)
        except ValueError:
            return None

    @property
    def verdict(self) -> Verdict | None:
        """The check of the address (None while the box is empty)."""
        return check_address(self.value) if self.value.strip() else None

    @property
    def checksum_ok(self) -> bool:
        """Whether the checksum in the address matches its key (False if undecodable)."""
        parts = self.parts
        return bool(parts and parts.checksum_ok)

    @property
    def listed(self) -> bool | None:
        """Whether the address is on the official list (None without a list or address)."""
        if self._official is None or not self.value.strip():
            return None
        return _bare(self.value) in self._official

    @property
    def summary(self) -> str:
        """The verdict's sentence (and the mirror-list finding, if a list was given)."""
        verdict = self.verdict
        if verdict is None:
            return t("w1.onion.empty")
        text = verdict.reason
        if self.listed is not None:
            key = "w1.onion.listed" if self.listed else "w1.onion.not_listed"
            text += " " + t(key, address=self.value.strip())
        return text

    def _render(self, _change: object = None) -> None:
        verdict = self.verdict
        colour = "#070" if verdict and verdict.valid and self.listed is not False else "#b00"
        if verdict is None:
            colour = "#444"
        sentence = f"<p style='color:{colour}'><b>{html.escape(self.summary)}</b></p>"
        parts = self.parts
        if parts is None:
            self._w_result.value = sentence
            return
        expected = parts.expected_checksum
        bad = "" if parts.checksum_ok else " style='color:#b00;font-weight:bold'"
        rows = [
            (t("w1.onion.public_key"), 32, parts.public_key.hex(), ""),
            (t("w1.onion.checksum"), 2, parts.checksum.hex(), bad),
            (t("w1.onion.expected_checksum"), 2, expected.hex(), ""),
            (t("w1.onion.version"), 1, f"{parts.version:02x} (= {parts.version})",
             "" if parts.version == 3 else " style='color:#b00;font-weight:bold'"),
        ]
        head = "".join(f"<th>{html.escape(t(k))}</th>" for k in (
            "w1.onion.part", "w1.onion.bytes", "w1.onion.hex"))
        body = "".join(f"<tr{style}><td>{html.escape(name)}</td><td>{size}</td>"
                       f"<td><code>{value}</code></td></tr>"
                       for name, size, value, style in rows)
        self._w_result.value = f"{sentence}<table><tr>{head}</tr>{body}</table>"
