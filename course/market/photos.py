"""Dead-drop photos: what their EXIF says (GPS, time, camera) and what it cannot prove.

Phones write EXIF into each photo: GPS position, the time the photo was taken
(the phone's clock, no time zone), camera make and model, and on many phones
a body serial number. Photos that share a serial were taken with one device.
EXIF proves little on its own: anyone can edit it or strip it, and a shop's bot
often strips it; a missing EXIF is a fact to record, not a clue to invent.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from PIL import Image, UnidentifiedImageError

from course.messages import t

TAG_MAKE, TAG_MODEL, TAG_EXIF_IFD, TAG_GPS_IFD = 0x010F, 0x0110, 0x8769, 0x8825
TAG_DATETIME, TAG_DATETIME_ORIGINAL, TAG_BODY_SERIAL = 0x0132, 0x9003, 0xA431
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4


@dataclass(frozen=True)
class PhotoFacts:
    """What one photo's EXIF says (``None`` where it says nothing)."""

    file: str
    has_exif: bool
    make: str | None = None
    model: str | None = None
    serial: str | None = None
    taken: datetime | None = None
    lat: float | None = None
    lon: float | None = None


def dms_to_degrees(dms: tuple[float, float, float], ref: str) -> float:
    """Decimal degrees from EXIF (degrees, minutes, seconds) and N/S/E/W.

    Examples
    --------
    >>> round(dms_to_degrees((43, 15, 36.0), "N"), 4), dms_to_degrees((76, 30, 0), "W")
    (43.26, -76.5)
    """
    value = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    return -value if str(ref).upper() in ("S", "W") else value


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    text = str(value).strip("\x00 ").strip()
    return text or None


def read_photo(path: Path | str, root: Path | str | None = None) -> PhotoFacts:
    """The EXIF facts of one photo.

    Raises
    ------
    ValueError
        If the file is not a readable image (one line naming it).
    """
    path = Path(path)
    name = path.relative_to(root).as_posix() if root is not None else path.name
    try:
        with Image.open(path) as image:
            exif = image.getexif()
    except (OSError, UnidentifiedImageError) as exc:
        raise ValueError(t("market.photo.unreadable", file=name, reason=exc)) from None
    if len(exif) == 0:
        return PhotoFacts(name, False)
    sub = exif.get_ifd(TAG_EXIF_IFD)
    gps = exif.get_ifd(TAG_GPS_IFD)
    stamp = _text(sub.get(TAG_DATETIME_ORIGINAL) or exif.get(TAG_DATETIME))
    taken = datetime.strptime(stamp, "%Y:%m:%d %H:%M:%S") if stamp else None
    lat = lon = None
    if GPS_LAT in gps and GPS_LON in gps:
        lat = round(dms_to_degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N")), 6)
        lon = round(dms_to_degrees(gps[GPS_LON], gps.get(GPS_LON_REF, "E")), 6)
    return PhotoFacts(name, True, _text(exif.get(TAG_MAKE)), _text(exif.get(TAG_MODEL)),
                      _text(sub.get(TAG_BODY_SERIAL)), taken, lat, lon)


def photo_table(folder: Path | str, pattern: str = "*.jpg") -> pd.DataFrame:
    """One row of EXIF facts per photo of ``folder``, in file order (``file`` as
    ``photos/drop_01.jpg``: relative to the folder above, like the manifest).

    Raises
    ------
    ValueError
        If the folder holds no photo.
    """
    folder = Path(folder)
    paths = sorted(folder.glob(pattern))
    if not paths:
        raise ValueError(t("market.photo.no_files", folder=folder))
    rows = [asdict(read_photo(p, folder.parent)) for p in paths]
    table = pd.DataFrame(rows, columns=list(PhotoFacts.__dataclass_fields__))
    table["taken"] = pd.to_datetime(table["taken"])
    return table


def shared_serials(table: pd.DataFrame) -> dict[str, list[str]]:
    """Camera serial -> the photos taken with it, for serials on more than one photo."""
    groups = table.dropna(subset=["serial"]).groupby("serial")["file"].apply(sorted)
    return {serial: files for serial, files in groups.items() if len(files) > 1}


def stripped_photos(table: pd.DataFrame) -> list[str]:
    """The photos with no EXIF at all (stripped by a bot, an app or a person)."""
    return sorted(table.loc[~table["has_exif"], "file"])


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, Earth radius 6371 km).

    Examples
    --------
    >>> round(distance_km(0, 0, 0, 1), 1)
    111.2
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nearest_city(lat: float, lon: float, cities: pd.DataFrame) -> tuple[str, float]:
    """The row of ``cities`` (columns ``name``, ``lat``, ``lon``) closest to a point,
    as ``(name, kilometres)``."""
    km = [distance_km(lat, lon, float(a), float(b)) for a, b in zip(cities["lat"], cities["lon"],
                                                                   strict=True)]
    best = min(range(len(km)), key=km.__getitem__)
    return str(cities["name"].iloc[best]), km[best]


def with_manifest(table: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """The photo table joined with the purchase manifest (``file``, ``shop``, ``order``,
    ``received``): which shop sent each photo, and when it was received."""
    return table.merge(manifest, on="file", how="left", validate="one_to_one")
