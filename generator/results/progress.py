"""Results against the contract targets: what the public may see, computed once per build.

``compute_results(content, today)`` returns a ``ResultsReport``. Every renderer (pages, posters,
open data, ``stationsite diff``) shows ``Cell.display`` and never reads raw counts, so the
anonymisation decided here (generator/results/disclosure.py) holds in every output.

Rules, stated for the public in ``status_rule_text`` and ``resultspages.disclosure_rule_markdown``:
- a station's target comes from ``target.stations`` (listed stations only) or ``target.per_station``
  (every township / street station, as the schema defines it); the county target is
  ``target.county``, else the sum of the station targets; the county count is the sum over stations;
- the status compares percent of target with the share of the contract period elapsed up to the end
  of the latest reported month (counts are filed monthly: October's counts are not measured against
  late November's share of the year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from generator.clock import elapsed_share
from generator.content.model import Content, Indicator, Station
from generator.results.disclosure import COMPLEMENT_DISPLAY, Disclosure, disclose, extend

# Within this many percentage points of the time elapsed counts as on track.
STATUS_TOLERANCE = 10
AHEAD, ON_TRACK, BEHIND = "提前", "正常", "滞后"
# Station kinds the `per_station` target applies to (schemas.py: 每个乡镇（街道）站的目标).
PER_STATION_KINDS = ("township", "street")


@dataclass(frozen=True)
class Cell:
    """One published number. ``value`` is None when suppressed; show ``display``, always."""

    value: int | None
    suppressed: bool
    display: str
    rounded: bool = False  # a count of people rounded to the base (generator/results/disclosure.py)

    @classmethod
    def shown(cls, value: int) -> Cell:
        return cls(value, False, str(value))


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    target: int | None
    total: Cell
    percent: float | None  # percent of target, 0..100+; None without a target or when hidden
    elapsed: float  # share of the contract period up to the end of the latest reported month
    status: str | None  # 提前 / 正常 / 滞后, None without a target or when it would hint a hidden count
    months: list[tuple[str, Cell]]  # contract start .. latest reported month


@dataclass(frozen=True)
class GridRow:
    station: Station
    target: int | None
    cells: tuple[Cell, ...]  # one per month of the grid
    total: Cell


@dataclass(frozen=True)
class Grid:
    """One indicator's stations × months table with every total published with it."""

    indicator: Indicator
    months: tuple[str, ...]
    rows: tuple[GridRow, ...]  # the stations the indicator applies to, in network order
    month_totals: tuple[Cell, ...]  # the county, month by month
    total: Cell  # the county's grand total
    target: int | None  # the county target


class ResultsReport:
    def __init__(
        self,
        content: Content,
        today: dt.date,
        latest_month: str | None,
        elapsed: float,
        grids: dict[str, Grid],
        county: list[IndicatorProgress],
        stations: dict[str, list[IndicatorProgress]],
    ):
        self.content = content
        self.today = today
        self.latest_month = latest_month
        self.elapsed = elapsed
        self.threshold = content.programme.disclosure_threshold
        self._grids = grids
        self.county = county
        self._stations = stations

    def station(self, slug: str) -> list[IndicatorProgress]:
        """The indicators that apply to the station: those with a target for it or any count."""
        return list(self._stations.get(slug, []))

    def grid(self, indicator_id: str) -> Grid:
        return self._grids[indicator_id]

    @property
    def measured_until(self) -> dt.date:
        """The day the time elapsed is measured to."""
        return measured_until(self.content, self.latest_month, self.today)

    @property
    def status_rule_text(self) -> str:
        until = self.measured_until
        p = self.content.programme
        return (
            f"时间进度＝合同期（{_day(p.period_start)}至{_day(p.period_end)}）中截至{_day(until)}已过去的比例。"
            "成效按月填报，所以时间进度只算到最近一个已填报月份的月底，不算到今天。"
            f"完成率（已完成÷目标）比时间进度高出 {STATUS_TOLERANCE} 个百分点以上为“{AHEAD}”，"
            f"相差不超过 {STATUS_TOLERANCE} 个百分点为“{ON_TRACK}”，"
            f"低出 {STATUS_TOLERANCE} 个百分点以上为“{BEHIND}”。没有目标的指标不评进度；"
            f"人数少于 {self.threshold} 而不公开时，只有在任何可能的人数都得出同一结论时才显示进度。"
        )


def compute_results(content: Content, today: dt.date) -> ResultsReport:
    latest = latest_month(content)
    months = _months_until(content, latest)
    until = measured_until(content, latest, today)
    p = content.programme
    elapsed = elapsed_share(p.period_start, p.period_end, until)
    grids = {ind.id: _grid(content, ind, months) for ind in content.indicators}
    county = [
        _progress(
            ind,
            grids[ind.id].target,
            grids[ind.id].total,
            list(zip(months, grids[ind.id].month_totals, strict=True)),
            elapsed,
            p.disclosure_threshold,
        )
        for ind in content.indicators
    ]
    stations: dict[str, list[IndicatorProgress]] = {s.slug: [] for s in content.stations}
    for ind in content.indicators:
        for row in grids[ind.id].rows:
            stations[row.station.slug].append(
                _progress(
                    ind,
                    row.target,
                    row.total,
                    list(zip(months, row.cells, strict=True)),
                    elapsed,
                    p.disclosure_threshold,
                )
            )
    return ResultsReport(content, today, latest, elapsed, grids, county, stations)


# --------------------------------------------------------------------------------------------------
# targets and time


def station_target(indicator: Indicator, station: Station) -> int | None:
    listed = dict(indicator.target.stations)
    if listed:
        return listed.get(station.slug)
    if indicator.target.per_station is not None and station.kind in PER_STATION_KINDS:
        return indicator.target.per_station
    return None


def county_target(content: Content, indicator: Indicator) -> int | None:
    if indicator.target.county is not None:
        return indicator.target.county
    targets = [t for s in content.stations if (t := station_target(indicator, s)) is not None]
    return sum(targets) if targets else None


def latest_month(content: Content) -> str | None:
    months = [r.month for s in content.stations for r in s.results]
    return max(months) if months else None


def measured_until(content: Content, latest: str | None, today: dt.date) -> dt.date:
    """End of the latest reported month (or today, if that is earlier or nothing is reported)."""
    if latest is None:
        return today
    year, month = int(latest[:4]), int(latest[5:7])
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return min(end, today)


def _months_until(content: Content, latest: str | None) -> tuple[str, ...]:
    if latest is None:
        return ()
    return tuple(m for m in content.programme.months() if m <= latest)


# --------------------------------------------------------------------------------------------------
# the grid and its anonymisation


def _grid(content: Content, ind: Indicator, months: tuple[str, ...]) -> Grid:
    counts = {s.slug: {r.month: dict(r.counts).get(ind.id, 0) for r in s.results} for s in content.stations}
    stations = [
        s for s in content.stations if station_target(ind, s) is not None or any(counts[s.slug].values())
    ]
    raw = [[counts[s.slug].get(m, 0) for m in months] for s in stations]
    threshold = content.programme.disclosure_threshold
    disclosure = disclose(raw, len(months), threshold) if ind.counts_people else None
    table = extend(raw, len(months))
    n_rows, n_cols = len(stations), len(months)

    def cell(r: int, c: int) -> Cell:
        return _cell(table[r][c], disclosure, (r, c))

    rows = tuple(
        GridRow(s, station_target(ind, s), tuple(cell(i, j) for j in range(n_cols)), cell(i, n_cols))
        for i, s in enumerate(stations)
    )
    return Grid(
        ind,
        months,
        rows,
        tuple(cell(n_rows, j) for j in range(n_cols)),
        cell(n_rows, n_cols),
        county_target(content, ind),
    )


def _cell(value: int, disclosure: Disclosure | None, pos: tuple[int, int]) -> Cell:
    if disclosure is None:
        return Cell.shown(value)
    # Counts of people: "<5", rounded, or withheld, from generator/results/disclosure.py only.
    p = disclosure.at(*pos)
    return Cell(p.value, p.suppressed, p.display, p.rounded)


# --------------------------------------------------------------------------------------------------
# progress and status


def status_for(percent: float, elapsed: float) -> str:
    gap = percent - 100 * elapsed
    if gap > STATUS_TOLERANCE:
        return AHEAD
    if gap < -STATUS_TOLERANCE:
        return BEHIND
    return ON_TRACK


def _progress(
    ind: Indicator,
    target: int | None,
    total: Cell,
    months: list[tuple[str, Cell]],
    elapsed: float,
    threshold: int,
) -> IndicatorProgress:
    if not target:
        return IndicatorProgress(ind, target, total, None, elapsed, None, months)
    if total.value is not None:
        percent = 100 * total.value / target
        return IndicatorProgress(ind, target, total, percent, elapsed, status_for(percent, elapsed), months)
    # A hidden total: the percent would give it away. A status word is shown only when every count a
    # reader already knows possible ("<5" means 0..threshold-1) gives the same word, so it adds nothing.
    status = None
    if total.display != COMPLEMENT_DISPLAY:
        words = {status_for(100 * v / target, elapsed) for v in range(threshold)}
        status = words.pop() if len(words) == 1 else None
    return IndicatorProgress(ind, target, total, None, elapsed, status, months)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
