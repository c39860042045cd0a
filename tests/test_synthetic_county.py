"""The benchmarks' synthetic county stays valid content, so benchmark figures measure real builds.

benchmarks/synthetic.py is not run by the suite otherwise; a schema change that its generated
stations no longer meet would only show when someone next ran a benchmark.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_county  # noqa: E402

from generator.clock import week_of  # noqa: E402
from generator.content.load import load_content  # noqa: E402


@pytest.mark.parametrize("today", [dt.date(2026, 11, 22), dt.date(2026, 6, 10), dt.date(2027, 2, 3)])
def test_synthetic_county_is_valid_and_follows_the_build_date(tmp_path: Path, today: dt.date) -> None:
    # Result months must have ended by the build date: load as of the same day.
    content, problems = load_content(make_county(tmp_path / "county", 14, today), today=today)
    assert not problems, "\n".join(map(str, problems[:10]))
    slugs = [s.slug for s in content.stations]
    assert slugs[0] == "hub" and len(slugs) == 14
    assert {"town0010", "town0013"} <= set(slugs)
    # Contract 2026-01..2028-12: results run from its start to the month before the build date.
    last = min(
        f"{today.year}-{today.month - 1:02d}" if today.month > 1 else f"{today.year - 1}-12", "2028-12"
    )
    monday = week_of(today)[0]
    for slug in ("shicheng", "town0010", "town0013"):
        station = next(s for s in content.stations if s.slug == slug)
        months = [r.month for r in station.results]
        assert months[0] == "2026-01" and months[-1] == last, (slug, months[:2], months[-2:])
        # Every station has something on this week's schedule and in each of the next four weeks.
        for week in range(5):
            start = monday + dt.timedelta(weeks=week)
            assert any(start <= a.date <= start + dt.timedelta(days=6) for a in station.activities), (
                slug,
                start,
            )
    town = next(s for s in content.stations if s.slug == "town0013")
    assert 2 <= len(town.staff) <= 4 and town.parent == "hub"


def test_a_county_smaller_than_the_sample_drops_news_station_references(tmp_path: Path) -> None:
    content, problems = load_content(make_county(tmp_path / "county", 3, dt.date(2026, 11, 22)))
    assert not problems, "\n".join(map(str, problems[:10]))
    assert [s.slug for s in content.stations][0] == "hub" and len(content.stations) == 3
