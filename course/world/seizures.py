"""Day 0: a table of drug seizures reported by police units of the region.

A flat CSV that trainees filter with pandas. Its graded answers are computed
here in plain Python, independently of the pandas reference solution in the
source notebook, so the pipeline test checks one against the other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from course.world.context import WorldContext, csv_text
from course.world.places import CITIES

ASSIGNMENT = "day0-orientation"
FILENAME = "data/seizures.csv"
COLUMNS = ("case_id", "date", "city", "country", "substance", "group", "form", "weight_g", "method")

#: The question of exercise 0.5 is fixed; its answer comes from the data.
TARGET_CITY = "Almaty"
TARGET_SUBSTANCE = "mephedrone"
TARGET_MIN_WEIGHT_G = 50.0

#: substance -> (NPS group, usual form, typical seizure weight range in grams)
SUBSTANCES: dict[str, tuple[str, str, tuple[float, float]]] = {
    "mephedrone": ("synthetic cathinone", "crystals", (0.5, 400.0)),
    "alpha-PVP": ("synthetic cathinone", "crystals", (0.3, 150.0)),
    "MDMB-4en-PINACA": ("synthetic cannabinoid", "herbal mixture", (1.0, 900.0)),
    "ADB-BUTINACA": ("synthetic cannabinoid", "powder", (0.5, 250.0)),
    "metonitazene": ("synthetic opioid", "powder", (0.1, 20.0)),
    "bromazolam": ("benzodiazepine", "tablets", (0.5, 60.0)),
    "heroin": ("classic drug", "powder", (1.0, 2500.0)),
    "hashish": ("classic drug", "resin", (5.0, 5000.0)),
    "cannabis": ("classic drug", "herbal", (5.0, 8000.0)),
}
METHODS = ("dead drop", "courier arrest", "postal parcel", "controlled delivery", "vehicle search")
PERIOD_START = date(2025, 1, 6)
PERIOD_DAYS = 330


def make_rows(ctx: WorldContext, count: int = 240) -> list[dict[str, object]]:
    """Draw ``count`` seizures; Almaty mephedrone cases are guaranteed on both
    sides of the 50 g threshold, so exercise 0.5 is never trivial."""
    rng = ctx.rng("seizures")
    names = list(SUBSTANCES)
    city_weights = [6 if c.name in ("Almaty", "Bishkek", "Tashkent") else 2 for c in CITIES]
    rows: list[dict[str, object]] = []
    for i in range(count):
        city = rng.choices(CITIES, weights=city_weights)[0]
        substance = rng.choice(names)
        if i < 6:  # the cases exercise 0.5 is about, light and heavy
            city = next(c for c in CITIES if c.name == TARGET_CITY)
            substance = TARGET_SUBSTANCE
        group, form, (low, high) = SUBSTANCES[substance]
        if i < 6:
            low, high = (
                (TARGET_MIN_WEIGHT_G + 1, 300.0) if i % 2 else (0.5, TARGET_MIN_WEIGHT_G - 1)
            )
        weight = round(rng.uniform(low, high), 1)
        day = PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))
        rows.append(
            {
                "date": day.isoformat(),
                "city": city.name,
                "country": city.country,
                "substance": substance,
                "group": group,
                "form": form,
                "weight_g": weight,
                "method": rng.choice(METHODS),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["city"], r["substance"], r["weight_g"]))
    per_country: Counter[str] = Counter()
    for row in rows:
        per_country[row["country"]] += 1
        row["case_id"] = f"{row['country']}-{row['date'][:4]}-{per_country[row['country']]:04d}"
    return [{col: row[col] for col in COLUMNS} for row in rows]


def to_csv(rows: list[dict[str, object]]) -> str:
    """Serialise rows as CSV with a header and ``\\n`` line endings."""
    return csv_text(rows, COLUMNS)


def generate(ctx: WorldContext) -> None:
    """Write the seizure table for day 0 and the day-0 answers."""
    rows = make_rows(ctx)
    ctx.add_file(ASSIGNMENT, FILENAME, to_csv(rows))

    ctx.add_answer(
        "day0_seizure_count",
        len(rows),
        hint="Count the rows of the table (the header line is not a seizure).",
    )
    ctx.add_answer(
        "day0_cities",
        sorted({str(r["city"]) for r in rows}),
        hint="Each city once, in alphabetical order.",
    )
    grams: defaultdict[str, float] = defaultdict(float)
    for row in rows:
        grams[str(row["substance"])] += float(row["weight_g"])  # type: ignore[arg-type]
    ctx.add_answer(
        "day0_grams_by_substance",
        {k: round(v, 6) for k, v in sorted(grams.items())},
        compare="float_map",
        tolerance=0.01,
        hint="Add up weight_g for every substance (a sum of weights, not a count of rows).",
    )
    heavy = [
        r
        for r in rows
        if r["city"] == TARGET_CITY
        and r["substance"] == TARGET_SUBSTANCE
        and float(r["weight_g"]) > TARGET_MIN_WEIGHT_G  # type: ignore[arg-type]
    ]
    ctx.add_answer(
        "day0_heavy_mephedrone_almaty",
        len(heavy),
        hint="Three conditions at once: the city, the substance, and weight_g over 50.",
    )
