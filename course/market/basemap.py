"""An offline base map for dead-drop photos: country outlines, cities, and a city's plan.

Nothing is fetched at run time (no tile server): the outlines of the six
countries of the case (Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan,
Uzbekistan, Azerbaijan) are the public-domain Natural Earth 1:110m Admin 0
polygons, committed in ``countries_110m.geojson`` beside this module (its
``source`` field names where they come from). Zoomed on one city, the base is
generated: rings at fixed distances from the city's centre and compass sectors,
so a drop can be placed as "2.1 km north-east of the centre" without a street map.

The projection is equirectangular around the view's centre latitude
(x = longitude x cos(latitude), y = latitude): over a region of a few hundred
kilometres its distortion is small, and it needs no library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from course.market.photos import distance_km

OUTLINES = Path(__file__).with_name("countries_110m.geojson")
#: kilometres per degree of latitude (Earth radius 6371 km, as in distance_km)
KM_PER_DEGREE = 2 * math.pi * 6371.0 / 360
#: rings drawn around a city's centre (km) and half the height of a city view (km)
RINGS_KM = (1.0, 2.0, 5.0)
CITY_HALF_KM = 8.0
#: the eight compass directions, clockwise from north
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


@cache
def country_outlines() -> dict[str, list[list[tuple[float, float]]]]:
    """ISO 3166 alpha-2 code -> rings of (lon, lat) of that country's outline."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        out[feature["properties"]["iso_a2"]] = [[(float(x), float(y)) for x, y in ring]
                                                for polygon in polygons for ring in polygon]
    return out


def outline_source() -> str:
    """Where the country outlines come from (the file's ``source`` field)."""
    return str(json.loads(OUTLINES.read_text(encoding="utf-8"))["source"])


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from point 1 to point 2 in degrees clockwise from north (0-360).

    Examples
    --------
    >>> round(bearing_deg(0, 0, 1, 0)), round(bearing_deg(0, 0, 0, 1))
    (0, 90)
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360


def compass(bearing: float) -> str:
    """The compass direction (N, NE ... NW) of a bearing in degrees.

    Examples
    --------
    >>> compass(10), compass(50), compass(350)
    ('N', 'NE', 'N')
    """
    return COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


@dataclass(frozen=True)
class View:
    """A rectangle of the map: centre and half extents in degrees (lat, lon)."""

    lat: float
    lon: float
    half_lat: float
    half_lon: float

    @classmethod
    def around(cls, lat: float, lon: float, half_km: float = CITY_HALF_KM,
               aspect: float = 1.5) -> View:
        """A view ``half_km`` above and below a point, ``aspect`` times as wide."""
        half_lat = half_km / KM_PER_DEGREE
        half_lon = half_lat * aspect / math.cos(math.radians(lat))
        return cls(lat, lon, half_lat, half_lon)

    @classmethod
    def covering(cls, points: list[tuple[float, float]], margin: float = 2.0,
                 aspect: float = 1.5) -> View:
        """The smallest view of ``aspect`` holding all (lat, lon) ``points`` plus a margin
        (degrees)."""
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        lat = (min(lats) + max(lats)) / 2
        lon = (min(lons) + max(lons)) / 2
        scale = math.cos(math.radians(lat))
        half_lat = (max(lats) - min(lats)) / 2 + margin
        half_lon = (max(lons) - min(lons)) / 2 + margin / scale
        half_lat = max(half_lat, half_lon * scale / aspect)
        return cls(lat, lon, half_lat, half_lat * aspect / scale)

    def contains(self, lat: float, lon: float) -> bool:
        """Whether a point is inside the view."""
        return (abs(lat - self.lat) <= self.half_lat and abs(lon - self.lon) <= self.half_lon)

    def project(self, lat: float, lon: float, width: float, height: float
                ) -> tuple[float, float]:
        """Pixel position (x right, y down) of a point in a ``width`` x ``height`` picture."""
        x = (lon - (self.lon - self.half_lon)) / (2 * self.half_lon) * width
        y = ((self.lat + self.half_lat) - lat) / (2 * self.half_lat) * height
        return round(x, 1), round(y, 1)


def ring_points(lat: float, lon: float, km: float, steps: int = 72) -> list[tuple[float, float]]:
    """(lat, lon) points of a circle of ``km`` around a point (small-distance formula)."""
    dlat = km / KM_PER_DEGREE
    dlon = dlat / math.cos(math.radians(lat))
    return [(lat + dlat * math.cos(2 * math.pi * i / steps),
             lon + dlon * math.sin(2 * math.pi * i / steps)) for i in range(steps + 1)]


def place_from(lat: float, lon: float, centre_lat: float, centre_lon: float
               ) -> tuple[float, str]:
    """Distance (km) and compass direction of a point from a centre."""
    return (distance_km(centre_lat, centre_lon, lat, lon),
            compass(bearing_deg(centre_lat, centre_lon, lat, lon)))
