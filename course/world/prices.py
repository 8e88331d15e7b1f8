"""One series of exchange rates for the whole case world (2025).

The bitcoin ledger prices its payments in dollars with :func:`usd_price`, the
markets convert their shop prices with :func:`kzt_per_usd` and the BTC rate
of the capture day, and the exchange's response (day 5) turns the target's
deposits into tenge with the same two series. ``generate`` shares the daily
series as ``ctx.state["rates"]`` and writes it for day 5 as
``data/exchange_response/rates.csv``.

Both series are interpolated linearly between rounded values on the first
of each month, shaped like the real 2025 market (no real quote is copied).
"""

from __future__ import annotations

from datetime import date, timedelta

from course.world.context import WorldContext

PERIOD_START = date(2025, 1, 1)
DAYS = 365
DAY5 = "day5-building-the-case"
RATES_FILE = "data/exchange_response/rates.csv"

#: BTC/USD on the 1st of each month of 2025 and of January 2026
_BTC_USD_POINTS = (
    94_000, 102_000, 85_000, 83_000, 96_000, 105_000, 107_000,
    115_000, 109_000, 114_000, 110_000, 91_000, 88_000,
)
#: tenge per US dollar on the 1st of each month of 2025 and of January 2026
_KZT_PER_USD_POINTS = (
    525.0, 517.0, 500.0, 515.0, 512.0, 520.0, 538.0,
    541.0, 545.0, 540.0, 524.0, 512.0, 507.0,
)


def _monthly(points: tuple[float, ...], day: int) -> float:
    month = min(day / 30.42, 11.999)
    low = int(month)
    frac = month - low
    return points[low] * (1 - frac) + points[low + 1] * frac


def usd_price(day: int) -> float:
    """BTC price in USD on ``day`` (0 = 1 January 2025), interpolated monthly.

    Parameters
    ----------
    day : int
        Days since 1 January 2025.

    Returns
    -------
    float
        Dollars per bitcoin.
    """
    return _monthly(_BTC_USD_POINTS, day)


def day_index(when: date) -> int:
    """Days from 1 January 2025 to ``when``."""
    return (when - PERIOD_START).days


def kzt_per_usd(when: date | int) -> float:
    """Tenge per US dollar on a date (or a day index), rounded to 0.01.

    Parameters
    ----------
    when : datetime.date or int
        The date, or days since 1 January 2025.

    Returns
    -------
    float
        KZT per USD.
    """
    day = when if isinstance(when, int) else day_index(when)
    return round(_monthly(_KZT_PER_USD_POINTS, day), 2)


def btc_usd(when: date | int) -> float:
    """BTC/USD of a date (or day index), rounded to cents, as quoted in the world's files."""
    day = when if isinstance(when, int) else day_index(when)
    return round(usd_price(day), 2)


def series() -> dict[str, dict[str, float]]:
    """The daily series: ISO date -> ``{"btc_usd": ..., "kzt_per_usd": ...}``."""
    return {
        (PERIOD_START + timedelta(days=d)).isoformat(): {
            "btc_usd": btc_usd(d),
            "kzt_per_usd": kzt_per_usd(d),
        }
        for d in range(DAYS)
    }


def generate(ctx: WorldContext) -> None:
    """Share the daily rates with later generators and write them for day 5."""
    rates = series()
    ctx.state["rates"] = rates
    lines = ["date,btc_usd,kzt_per_usd"]
    lines += [f"{d},{r['btc_usd']:.2f},{r['kzt_per_usd']:.2f}" for d, r in rates.items()]
    ctx.add_file(DAY5, RATES_FILE, "\n".join(lines) + "\n")
