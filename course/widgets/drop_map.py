"""Day 2 widget: where the dead-drop photos were taken, coloured by camera serial.

The map needs no internet: the base is drawn here in Python as SVG from
:mod:`course.market.basemap` (Natural Earth country outlines committed in the
package, the case's cities; zoomed on a city, rings at 1, 2 and 5 km from its
centre and the compass sectors). Each photo with a GPS position is a dot whose
colour is its camera's serial number: dots of one colour were taken with one
device. Photos with no position (EXIF stripped, or no GPS in it) are listed
under the map, never left out silently: a missing position is a fact to record.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course.market.basemap import (
    COMPASS,
    RINGS_KM,
    View,
    country_outlines,
    outline_source,
    place_from,
    ring_points,
)
from course.market.photos import nearest_city
from course.messages import language, t, tn
from course.widgets.base import CourseWidget

ALL = ""
NO_SERIAL = "-"
WIDTH, HEIGHT = 720, 480
#: colours of camera serials, in order of the serials' names (then repeated)
PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#9a6324", "#469990", "#800000", "#808000", "#000075")
PHOTO_COLUMNS = ("file", "lat", "lon", "serial")
CITY_COLUMNS = ("name", "lat", "lon")
WIDE = {"description_width": "initial"}


def _check(table: Any, columns: tuple[str, ...], what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(t("w2.drop.not_table", what=what, kind=type(table).__name__))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(t("w2.drop.missing_columns", what=what, columns=", ".join(missing)))


def serial_colours(serials: pd.Series) -> dict[str, str]:
    """Serial -> colour, in the order of the serials' names (photos with no serial grey)."""
    found = sorted({str(s) for s in serials.dropna()})
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(found)}
    colours[NO_SERIAL] = "#7f7f7f"
    return colours


class DropMap(CourseWidget):
    """An offline map of the photos' GPS positions, a city and a serial to choose, the
    photos shown as a table and those with no position listed.

    ``value`` is the photos drawn on the map now: the rows of ``photos`` with a
    position, inside the view (the whole region, or the chosen city's), of the
    chosen serial (all serials by default); same columns, index and order.
    ``no_position`` is the photos with no GPS position; ``svg`` the map.

    Parameters
    ----------
    photos
        :func:`course.market.photos.photo_table`: at least ``file``, ``lat``,
        ``lon`` and ``serial`` (``make``, ``model``, ``taken``, ``has_exif``
        are shown if present).
    cities
        The case's ``cities.csv``: at least ``name``, ``lat``, ``lon``
        (``name_ru`` is shown in Russian).

    Raises
    ------
    ValueError
        If a required column is missing (naming it) or ``cities`` is empty.
    """

    def __init__(self, photos: pd.DataFrame, cities: pd.DataFrame) -> None:
        _check(photos, PHOTO_COLUMNS, "photos")
        _check(cities, CITY_COLUMNS, "cities")
        if cities.empty:
            raise ValueError(t("w2.drop.no_cities"))
        self._photos = photos
        self._cities = cities.reset_index(drop=True)
        lat = pd.to_numeric(photos["lat"], errors="coerce")
        lon = pd.to_numeric(photos["lon"], errors="coerce")
        self._placed = lat.notna() & lon.notna()
        self._lat, self._lon = lat, lon
        self._serial = photos["serial"].where(photos["serial"].notna(), NO_SERIAL).astype(str)
        self._colours = serial_colours(photos["serial"])
        points = [(float(a), float(b)) for a, b in zip(cities["lat"], cities["lon"], strict=True)]
        points += [(float(lat[i]), float(lon[i])) for i in photos.index[self._placed]]
        self._region = View.covering(points, aspect=WIDTH / HEIGHT)
        ru = language() == "ru" and "name_ru" in cities.columns
        self._city_names = {str(n): str(r if ru else n) for n, r in
                            zip(cities["name"], cities["name_ru" if ru else "name"], strict=True)}
        self._w_city = widgets.Dropdown(
            options=[(t("w2.drop.whole_region"), ALL)]
            + [(self._city_names[n], n) for n in sorted(self._city_names,
                                                         key=self._city_names.get)],
            value=ALL, description=t("w2.drop.city_label"), style=WIDE)
        serials = sorted({s for s in self._serial[self._placed] if s != NO_SERIAL})
        extra = [(t("w2.drop.no_serial"), NO_SERIAL)] if (
            self._serial[self._placed] == NO_SERIAL).any() else []
        self._w_serial = widgets.Dropdown(
            options=[(t("w2.drop.all_serials"), ALL)] + [(s, s) for s in serials] + extra,
            value=ALL, description=t("w2.drop.serial_label"), style=WIDE)
        self._w_summary = widgets.HTML()
        self._w_map = widgets.HTML()
        self._w_table = widgets.HTML()
        self._w_missing = widgets.HTML()
        for w in (self._w_city, self._w_serial):
            w.observe(self._render, names="value")
        self.layout = widgets.VBox([widgets.HBox([self._w_city, self._w_serial]),
                                    self._w_summary, self._w_map, self._w_table,
                                    self._w_missing])
        self._render()

    # -- public -----------------------------------------------------------------------
    @property
    def value(self) -> pd.DataFrame:
        """The photos drawn on the map (position inside the view, chosen serial)."""
        view = self.view
        inside = pd.Series([bool(p) and view.contains(float(a), float(b)) for p, a, b in
                            zip(self._placed, self._lat, self._lon, strict=True)],
                           index=self._photos.index)
        if self._w_serial.value != ALL:
            inside &= self._serial == self._w_serial.value
        return self._photos[inside]

    @property
    def no_position(self) -> pd.DataFrame:
        """The photos with no GPS position (stripped EXIF, or EXIF without GPS)."""
        return self._photos[~self._placed]

    @property
    def view(self) -> View:
        """The part of the map shown: the region, or the chosen city's surroundings."""
        city = self._city()
        if city is None:
            return self._region
        return View.around(float(city["lat"]), float(city["lon"]), aspect=WIDTH / HEIGHT)

    @property
    def svg(self) -> str:
        """The map as SVG text."""
        return self._svg

    @property
    def colours(self) -> dict[str, str]:
        """Camera serial -> colour of its dots (``"-"``: no serial)."""
        return dict(self._colours)

    # -- drawing ----------------------------------------------------------------------
    def _city(self) -> pd.Series | None:
        if self._w_city.value == ALL:
            return None
        return self._cities[self._cities["name"].astype(str) == self._w_city.value].iloc[0]

    def _xy(self, lat: float, lon: float) -> tuple[float, float]:
        return self.view.project(lat, lon, WIDTH, HEIGHT)

    def _base(self) -> list[str]:
        parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#e8e8e8" class="outside"/>']
        for code, rings in sorted(country_outlines().items()):
            for ring in rings:
                points = " ".join(f"{x},{y}" for x, y in (self._xy(la, lo) for lo, la in ring))
                parts.append(f'<polygon points="{points}" fill="#f7f3e8" stroke="#8a7f6a" '
                             f'stroke-width="1" class="country {code}"/>')
        city = self._city()
        if city is None:
            for _, row in self._cities.iterrows():
                x, y = self._xy(float(row["lat"]), float(row["lon"]))
                parts.append(f'<rect x="{x - 3}" y="{y - 3}" width="6" height="6" fill="#333" '
                             f'class="city"/>')
                parts.append(_label(x + 6, y - 5, self._city_names[str(row["name"])], 11))
            return parts
        clat, clon = float(city["lat"]), float(city["lon"])
        cx, cy = self._xy(clat, clon)
        for km in RINGS_KM:
            points = " ".join(f"{x},{y}" for x, y in (self._xy(a, b)
                                                      for a, b in ring_points(clat, clon, km)))
            parts.append(f'<polyline points="{points}" fill="none" stroke="#8a7f6a" '
                         f'stroke-dasharray="4 3" class="ring"/>')
            x, y = self._xy(*ring_points(clat, clon, km, 8)[2])  # due east, between sectors
            parts.append(_label(x + 3, y - 3, t("w2.drop.km", km=km), 10, "#6b614f"))
        reach = math.hypot(WIDTH, HEIGHT)
        for i, name in enumerate(COMPASS):
            angle = math.radians(45 * i + 22.5)
            x2, y2 = cx + reach * math.sin(angle), cy - reach * math.cos(angle)
            parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x2:.1f}" y2="{y2:.1f}" '
                         f'stroke="#c9bfa8" stroke-width="1" class="sector"/>')
            angle = math.radians(45 * i)
            parts.append(_label(cx + 210 * math.sin(angle), cy - 210 * math.cos(angle) + 4,
                                t(f"w2.drop.dir.{name}"), 13, "#8a7f6a", "middle"))
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="4" fill="#333" class="centre"/>')
        parts.append(_label(cx + 6, cy + 16, self._city_names[str(city["name"])], 13))
        return parts

    def _draw(self) -> str:
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
                 f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">', *self._base()]
        zoomed = self._city() is not None
        for index, row in self.value.iterrows():
            x, y = self._xy(float(self._lat[index]), float(self._lon[index]))
            serial = self._serial[index]
            parts.append(f'<circle cx="{x}" cy="{y}" r="7" fill="{self._colours[serial]}" '
                         f'stroke="#fff" stroke-width="1.5" class="photo" '
                         f'data-serial="{html.escape(serial)}"><title>'
                         f'{html.escape(str(row["file"]))} · {html.escape(serial)}</title>'
                         "</circle>")
            if zoomed:
                name = str(row["file"]).rsplit("/", 1)[-1].removesuffix(".jpg")
                parts.append(_label(x + 9, y + 4, name, 10))
        parts.append("</svg>")
        return "".join(parts)

    def _rows(self) -> list[dict[str, str]]:
        rows = []
        for index, row in self.value.iterrows():
            lat, lon = float(self._lat[index]), float(self._lon[index])
            city, _ = nearest_city(lat, lon, self._cities)
            match = self._cities[self._cities["name"].astype(str) == city].iloc[0]
            km, direction = place_from(lat, lon, float(match["lat"]), float(match["lon"]))
            taken = row.get("taken")
            rows.append({
                "file": str(row["file"]), "serial": self._serial[index],
                "camera": " ".join(str(row[c]) for c in ("make", "model")
                                   if c in row and isinstance(row[c], str)),
                "taken": "" if taken is None or pd.isna(taken) else str(taken),
                "position": f"{lat:.5f}, {lon:.5f}",
                "place": t("w2.drop.place", km=km, direction=t(f"w2.drop.dir.{direction}"),
                           city=self._city_names[city]),
            })
        return rows

    def _render(self, _change: object = None) -> None:
        self._svg = self._draw()
        shown = self.value
        self._w_summary.value = "<b>{}</b>".format(html.escape(tn(
            "w2.drop.summary", len(shown), total=len(self._photos),
            serials=shown["serial"].nunique(), missing=len(self.no_position))))
        legend = " ".join(
            f"<span style='color:{self._colours[s]}'>●</span> {html.escape(s)}"
            for s in sorted(set(self._serial[shown.index])))
        source = html.escape(t("w2.drop.outlines", source=outline_source()))
        self._w_map.value = (f"<div>{self._svg}</div><div>{legend}</div>"
                             f"<div style='font-size:80%;color:#666'>{source}</div>")
        heads = "".join(f"<th>{html.escape(t(f'w2.drop.col.{c}'))}</th>" for c in
                        ("file", "serial", "camera", "taken", "position", "place"))
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r.values())
                       + "</tr>" for r in self._rows())
        self._w_table.value = f"<table><tr>{heads}</tr>{body}</table>" if body else ""
        missing = self.no_position
        if missing.empty:
            self._w_missing.value = ""
            return
        items = "".join(
            f"<li>{html.escape(str(r['file']))}: {html.escape(self._why(r))}</li>"
            for _, r in missing.iterrows())
        title = tn("w2.drop.no_position", len(missing))
        self._w_missing.value = f"<p><b>{html.escape(title)}</b></p><ul>{items}</ul>"

    @staticmethod
    def _why(row: pd.Series) -> str:
        if "has_exif" in row and not bool(row["has_exif"]):
            return t("w2.drop.no_exif")
        return t("w2.drop.no_gps")


def _label(x: float, y: float, text: str, size: int = 11, colour: str = "#222",
           anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" '
            f'text-anchor="{anchor}" font-family="sans-serif">{html.escape(text)}</text>')
