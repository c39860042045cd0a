"""The build date: today in Asia/Shanghai, or the moment SOURCE_DATE_EPOCH names.

Every renderer takes the date from here so that two builds with the same SOURCE_DATE_EPOCH are
byte-identical (https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def build_moment(environ: dict[str, str] | None = None) -> dt.datetime:
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=SHANGHAI)
    return dt.datetime.now(tz=SHANGHAI).replace(microsecond=0)


def build_date(environ: dict[str, str] | None = None) -> dt.date:
    return build_moment(environ).date()


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday–Sunday week containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def elapsed_share(start: dt.date, end: dt.date, today: dt.date) -> float:
    """Share of the period [start, end] that has passed by the end of ``today`` (0..1)."""
    total = (end - start).days + 1
    done = (min(max(today, start - dt.timedelta(days=1)), end) - start).days + 1
    return max(0.0, min(1.0, done / total))
