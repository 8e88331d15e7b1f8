"""Day 2 widget: aliases, their keys, handles and addresses, and the links between them.

The chart is an SVG picture drawn here in Python (nothing loaded from the
network): the aliases of the shop market on the left, those of the escrow
market on the right, the indicators their pages show (PGP keys, contact
handles, bitcoin addresses) in the middle, each joined to the aliases that show
it. The links of :func:`course.market.linking.link_aliases` join two aliases:
a *strong* link is a thick solid line, a *moderate* one dashed, a *lead* (names
that only look alike) a thin dotted line. Choosing a link in the list
highlights it and shows its evidence, its sources and its confidence.
"""

from __future__ import annotations

import html
from collections import defaultdict

import ipywidgets as widgets

from course.findings import Finding
from course.market.linking import Profile
from course.messages import t, tn
from course.widgets.base import CourseWidget

#: how each level of link is drawn: colour, width, dash pattern ("" for solid)
STYLE: dict[str, tuple[str, float, str]] = {
    "strong": ("#c0392b", 4.0, ""),
    "moderate": ("#e67e22", 2.5, "8 5"),
    "lead": ("#7f8c8d", 1.5, "2 4"),
}
#: short label of each indicator kind on the chart
KIND_LABEL = {"pgp_fingerprint": "PGP", "btc_address": "BTC", "telegram": "Telegram",
              "jabber": "Jabber", "session": "Session", "email": "e-mail"}
WIDTH, ROW, TOP = 900, 34, 70
LEFT_X, MID_X, RIGHT_X = 150, WIDTH / 2, WIDTH - 150


def short(value: str, keep: int = 10) -> str:
    """A long value cut in the middle (``0123456789…cdef``); short ones unchanged.

    Examples
    --------
    >>> short("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")
    'bc1qxy2kgd…0wlh'
    """
    return value if len(value) <= keep + 6 else f"{value[:keep]}…{value[-4:]}"


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 12,
          weight: str = "normal", colour: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{colour}" font-family="sans-serif">'
            f"{html.escape(text)}</text>")


class LinkChart(CourseWidget):
    """The link chart (SVG), a list of the links, and the chosen link's evidence.

    ``value`` is the chosen link (a :class:`course.findings.Finding` of
    ``links``) or None; setting it to one of ``links`` (or None) chooses it.
    ``svg`` is the picture drawn, ``details`` the text shown under it.

    Parameters
    ----------
    profiles
        :func:`course.market.linking.profiles` of the saved pages.
    links
        :func:`course.market.linking.link_aliases` of the same pages.

    Raises
    ------
    TypeError
        If ``profiles`` holds something else than profiles or ``links`` something
        else than findings.
    """

    def __init__(self, profiles: list[Profile], links: list[Finding]) -> None:
        profiles = list(profiles) if not isinstance(profiles, (str, bytes)) else [profiles]
        links = list(links) if not isinstance(links, (str, bytes)) else [links]
        for p in profiles:
            if not isinstance(p, Profile):
                raise TypeError(t("w2.link.not_profiles", kind=type(p).__name__))
        for f in links:
            if not isinstance(f, Finding) or len(f.subject) != 2:
                raise TypeError(t("w2.link.not_links", kind=type(f).__name__))
        self._profiles = profiles
        self._links = links
        self._place_nodes()
        options = [(t("w2.link.none"), -1)] + [(self._option(f), i) for i, f in enumerate(links)]
        self._w_link = widgets.Dropdown(options=options, value=-1,
                                        description=t("w2.link.link_label"),
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="95%", max_width="700px"))
        self._w_summary = widgets.HTML()
        self._w_chart = widgets.HTML()
        self._w_details = widgets.HTML()
        self._w_link.observe(self._render, names="value")
        self.layout = widgets.VBox([self._w_summary, self._w_link, self._w_chart,
                                    self._w_details])
        self._render()

    # -- public -----------------------------------------------------------------------
    @property
    def value(self) -> Finding | None:
        """The chosen link (None if none)."""
        index = self._w_link.value
        return None if index < 0 else self._links[index]

    @value.setter
    def value(self, new: Finding | None) -> None:
        if new is None:
            self._w_link.value = -1
            return
        matches = [i for i, f in enumerate(self._links) if f == new]
        if not matches:
            raise ValueError(t("w2.link.unknown_link"))
        self._w_link.value = matches[0]

    @property
    def links(self) -> list[Finding]:
        """The links, in the order of the list."""
        return list(self._links)

    @property
    def svg(self) -> str:
        """The chart as SVG text."""
        return self._svg

    @property
    def details(self) -> str:
        """What is said about the chosen link (plain text; "" if none)."""
        link = self.value
        if link is None:
            return ""
        lines = [t("w2.link.heading", a=link.subject[0], b=link.subject[1],
                   level=t(f"w2.link.level.{link.level}"), confidence=link.confidence)]
        lines += list(link.evidence)
        lines.append(t("w2.link.sources", files=", ".join(link.sources) or "-"))
        return "\n".join(lines)

    # -- layout -----------------------------------------------------------------------
    def _option(self, link: Finding) -> str:
        return t("w2.link.option", a=link.subject[0], b=link.subject[1],
                 level=t(f"w2.link.level.{link.level}"), confidence=link.confidence)

    def _place_nodes(self) -> None:
        """Rows of the three columns: aliases by market, indicators by their owners."""
        left = sorted((p for p in self._profiles if p.market == "market_ru"),
                      key=lambda p: p.alias.casefold())
        right = sorted((p for p in self._profiles if p.market != "market_ru"),
                       key=lambda p: p.alias.casefold())
        self._alias_xy: dict[tuple[str, str], tuple[float, float]] = {}
        for column, x in ((left, LEFT_X), (right, RIGHT_X)):
            for row, p in enumerate(column):
                self._alias_xy[(p.market, p.alias)] = (x, TOP + row * ROW)
        owners: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for p in self._profiles:
            for key in p.indicators:
                owners[key].append((p.market, p.alias))
        # an indicator sits at the mean height of the aliases that show it
        centre = {k: sum(self._alias_xy[o][1] for o in who) / len(who)
                  for k, who in owners.items()}
        self._owners = owners
        self._ind_xy = {k: (MID_X, TOP + row * ROW) for row, k in
                        enumerate(sorted(owners, key=lambda k: (centre[k], k)))}
        rows = max(len(left), len(right), len(owners), 1)
        self._height = TOP + rows * ROW + 20

    def _alias_point(self, alias: str, market: str) -> tuple[float, float] | None:
        if (market, alias) in self._alias_xy:
            return self._alias_xy[(market, alias)]
        return next((xy for (_m, a), xy in self._alias_xy.items() if a == alias), None)

    def _draw(self) -> str:
        chosen = self.value
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
                 f'height="{self._height}" viewBox="0 0 {WIDTH} {self._height}" '
                 f'role="img" style="background:#fff">']
        parts.append(_text(LEFT_X, 20, t("w2.link.market_ru"), weight="bold"))
        parts.append(_text(MID_X, 20, t("w2.link.indicators"), weight="bold"))
        parts.append(_text(RIGHT_X, 20, t("w2.link.market_en"), weight="bold"))
        x = 10
        for level, (colour, width, dash) in STYLE.items():
            parts.append(f'<line x1="{x}" y1="40" x2="{x + 40}" y2="40" stroke="{colour}" '
                         f'stroke-width="{width}" stroke-dasharray="{dash}"/>')
            parts.append(_text(x + 46, 44, t(f"w2.link.level.{level}"), anchor="start", size=11))
            x += 170
        for key, who in sorted(self._owners.items()):
            ix, iy = self._ind_xy[key]
            for owner in who:
                ax, ay = self._alias_xy[owner]
                end = ix - 70 if ax < ix else ix + 70
                parts.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{end:.1f}" y2="{iy:.1f}" '
                             f'stroke="#bbb" stroke-width="1"/>')
        for index, link in enumerate(self._links):
            a = self._alias_point(link.subject[0], "market_ru")
            b = self._alias_point(link.subject[1], "market_en")
            if a is None or b is None:
                continue
            colour, width, dash = STYLE[link.level]
            bend = (a[1] + b[1]) / 2 - 40
            on = chosen is not None and index == self._w_link.value
            if on:
                parts.append(f'<path d="M{a[0]},{a[1]} Q{MID_X},{bend} {b[0]},{b[1]}" '
                             f'fill="none" stroke="#f1c40f" stroke-width="{width + 8}" '
                             f'opacity="0.6" class="chosen"/>')
            parts.append(f'<path d="M{a[0]},{a[1]} Q{MID_X},{bend} {b[0]},{b[1]}" fill="none" '
                         f'stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}" '
                         f'class="link {link.level}"><title>'
                         f"{html.escape(self._option(link))}</title></path>")
        for (market, alias), (ax, ay) in self._alias_xy.items():
            anchor = "end" if ax < MID_X else "start"
            dx = -8 if ax < MID_X else 8
            parts.append(f'<circle cx="{ax}" cy="{ay}" r="6" fill="#2c3e50" '
                         f'class="alias {market}"/>')
            parts.append(_text(ax + dx, ay + 4, alias, anchor=anchor, weight="bold"))
        for (kind, value), (ix, iy) in self._ind_xy.items():
            label = f"{KIND_LABEL.get(kind, kind)} {short(value)}"
            parts.append(f'<rect x="{ix - 70}" y="{iy - 11}" width="140" height="22" rx="4" '
                         f'fill="#ecf0f1" stroke="#95a5a6" class="indicator {kind}">'
                         f"<title>{html.escape(f'{kind}: {value}')}</title></rect>")
            parts.append(_text(ix, iy + 4, label, size=10))
        parts.append("</svg>")
        return "".join(parts)

    def _render(self, _change: object = None) -> None:
        self._svg = self._draw()
        counts = defaultdict(int)
        for f in self._links:
            counts[f.level] += 1
        self._w_summary.value = "<b>{}</b>".format(html.escape(tn(
            "w2.link.summary", len(self._links), aliases=len(self._alias_xy),
            strong=counts["strong"], moderate=counts["moderate"], lead=counts["lead"])))
        self._w_chart.value = f'<div style="overflow-x:auto">{self._svg}</div>'
        link = self.value
        if link is None:
            self._w_details.value = f"<i>{html.escape(t('w2.link.choose'))}</i>"
            return
        colour = STYLE[link.level][0]
        head, *rest = self.details.split("\n")
        items = "".join(f"<li>{html.escape(line)}</li>" for line in rest[:-1])
        self._w_details.value = (f"<p style='color:{colour}'><b>{html.escape(head)}</b></p>"
                                 f"<ul>{items}</ul><p>{html.escape(rest[-1])}</p>")
