"""Places of the case world: cities of Central Asia, and Baku, with their coordinates.

Central Asia here is the five states Kazakhstan, Kyrgyzstan, Tajikistan,
Turkmenistan and Uzbekistan. Baku is the capital of Azerbaijan, in the South
Caucasus (the UNODC reports it with Central Asia as "Central Asia and
Transcaucasia"); it is in the world as a city on the trafficking routes to
and from the region, not as a Central Asian city.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.world.context import WorldContext


@dataclass(frozen=True)
class City:
    """A city of the case world (WGS84 coordinates, ISO 3166 alpha-2 country)."""

    name: str
    name_ru: str
    country: str
    lat: float
    lon: float

    @property
    def region(self) -> str:
        """``"Central Asia"`` or ``"South Caucasus"`` (from the country)."""
        return REGION_OF_COUNTRY[self.country]


#: ISO 3166 alpha-2 country -> region
REGION_OF_COUNTRY: dict[str, str] = {
    "KZ": "Central Asia", "KG": "Central Asia", "TJ": "Central Asia", "TM": "Central Asia",
    "UZ": "Central Asia", "AZ": "South Caucasus",
}


CITIES: tuple[City, ...] = (
    City("Almaty", "Алматы", "KZ", 43.2380, 76.9450),
    City("Astana", "Астана", "KZ", 51.1605, 71.4704),
    City("Shymkent", "Шымкент", "KZ", 42.3417, 69.5901),
    City("Karaganda", "Караганда", "KZ", 49.8047, 73.1094),
    City("Bishkek", "Бишкек", "KG", 42.8746, 74.5698),
    City("Osh", "Ош", "KG", 40.5283, 72.7985),
    City("Tashkent", "Ташкент", "UZ", 41.2995, 69.2401),
    City("Samarkand", "Самарканд", "UZ", 39.6542, 66.9597),
    City("Dushanbe", "Душанбе", "TJ", 38.5598, 68.7870),
    City("Khujand", "Худжанд", "TJ", 40.2826, 69.6222),
    City("Ashgabat", "Ашхабад", "TM", 37.9601, 58.3261),
    City("Baku", "Баку", "AZ", 40.4093, 49.8671),
)

CITY_BY_NAME: dict[str, City] = {c.name: c for c in CITIES}


def generate(ctx: WorldContext) -> None:
    """Share the city list with later generators."""
    ctx.state["cities"] = CITIES
