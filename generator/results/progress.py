"""Results against the contract targets: what the public may see, computed once per build.

``compute_results(content, today)`` returns a ``ResultsReport``. Every renderer (pages, posters,
open data, ``stationsite diff``) shows ``Cell.display`` and never reads raw counts, so the
anonymisation decided here (generator/results/disclosure.py) holds in every output.

Rules, stated for the public in ``status_rule_text`` and ``resultspages.disclosure_rule_markdown``:
- a month a station has not reported is not 0: its cell says 未填报 (before the due day) or 逾期未报
  (generator/results/reporting.py); totals and progress are computed on what is reported;
- every target has one meaning: ``stations`` counts the listed stations, ``per_station`` the
  stations of ``kinds`` (default: every station except the hub), ``county`` every station (or those of
  ``kinds``). The county progress compares exactly those stations' total with the target (the sum
  of their targets, or ``county``); other stations' counts are published apart (其他站点另计);
- a station's time elapsed runs from the contract start (or the month it opened, ``since``) to the
  end of its latest reported month; the county's is the average over the counted stations, weighted
  by their targets where there are station targets. So one station reporting a new month moves only
  its own share, and a station's figures do not change when another station reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.clock import elapsed_share
from generator.content.model import Content, Indicator, Station
from generator.results.disclosure import COMPLEMENT_DISPLAY, Disclosure, disclose, extend
from generator.results.reporting import (
    LABELS,
    NOT_OPEN,
    OVERDUE,
    PENDING,
    REPORTED,
    Reporting,
    month_end,
    month_start,
    reporting,
)

# Within this many percentage points of the time elapsed counts as on track.
STATUS_TOLERANCE = 10
AHEAD, ON_TRACK, BEHIND = "提前", "正常", "滞后"
HUB = "hub"


@dataclass(frozen=True)
class Cell:
    """One published number. ``value`` is None when suppressed or not reported; show ``display``.

    ``report`` is the reporting status (reporting.py): a cell of a month not reported has value
    None, ``suppressed`` False and the label (未填报 / 逾期未报) as its display.
    """

    value: int | None
    suppressed: bool
    display: str
    report: str = REPORTED
    rounded: bool = False  # a count of people rounded to the base (generator/results/disclosure.py)

    @classmethod
    def shown(cls, value: int) -> Cell:
        return cls(value, False, str(value))

    @classmethod
    def unreported(cls, status: str) -> Cell:
        return cls(None, False, LABELS[status], status)

    @property
    def reported(self) -> bool:
        return self.report == REPORTED


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    target: int | None
    total: Cell
    percent: float | None  # percent of target, 0..100+; None without a target or when hidden
    elapsed: float  # share of the contract period up to the end of the latest reported month
    status: (
        str | None
    )  # 提前 / 正常 / 滞后, None without a target, data, or when it would hint a hidden count
    months: list[tuple[str, Cell]]  # contract start .. latest ended month
    others: Cell | None = None  # county only: stations outside the target (其他站点另计), if any
    through: str | None = None  # the latest month reported (a station's own; the county's latest)


@dataclass(frozen=True)
class GridRow:
    station: Station
    target: int | None
    cells: tuple[Cell, ...]  # one per month of the grid
    total: Cell


@dataclass(frozen=True)
class Grid:
    """One indicator's stations × months table with every total published with it.

    ``rows`` are the stations the target counts, and ``month_totals`` / ``total`` their sums: the
    county figure compared with ``target``. ``others`` are stations outside the target that
    reported counts, with their own sums, published apart so the two never mix.
    """

    indicator: Indicator
    months: tuple[str, ...]
    rows: tuple[GridRow, ...]
    month_totals: tuple[Cell, ...]
    total: Cell
    target: int | None
    others: tuple[GridRow, ...] = ()
    others_month_totals: tuple[Cell, ...] = ()
    others_total: Cell | None = None


class ResultsReport:
    def __init__(
        self,
        content: Content,
        today: dt.date,
        status: Reporting,
        elapsed: float,
        grids: dict[str, Grid],
        county: list[IndicatorProgress],
        stations: dict[str, list[IndicatorProgress]],
    ):
        self.content = content
        self.today = today
        self.reporting = status
        self.latest_month = status.latest_month
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
        """The end of the latest month any station reported (or today, if nothing is reported)."""
        return measured_until(self.content, self.latest_month, self.today)

    @property
    def as_of_text(self) -> str:
        """截至 2026 年 11 月，3 个站已填报（共 10 个站）."""
        m = self.latest_month
        if m is None:
            return "还没有站点填报成效数据。"
        done, expected = self.reporting.count(m)
        where = (
            f"全部 {expected} 个站已填报" if done == expected else f"{done} 个站已填报（共 {expected} 个站）"
        )
        return f"截至 {m[:4]} 年 {int(m[5:7])} 月，{where}。"

    @property
    def status_rule_text(self) -> str:
        """The rule in words. No date in it moves with another station's report (posters print it)."""
        p = self.content.programme
        return (
            f"时间进度＝合同期（{_day(p.period_start)}至{_day(p.period_end)}）中已过去的比例，"
            "只算到该站最近一个已填报月份的月底：成效按月填报，不算到今天。"
            f"未填报的月份不当作 0：次月 {p.report_due_day} 日前显示“未填报”，之后显示“逾期未报”。"
            f"完成率（已完成÷目标）比时间进度高出 {STATUS_TOLERANCE} 个百分点以上为“{AHEAD}”，"
            f"相差不超过 {STATUS_TOLERANCE} 个百分点为“{ON_TRACK}”，"
            f"低出 {STATUS_TOLERANCE} 个百分点以上为“{BEHIND}”。没有目标或还没有填报的指标不评进度；"
            f"人数少于 {self.threshold} 而不公开时，只有在任何可能的人数都得出同一结论时才显示进度。"
        )

    @property
    def county_rule_text(self) -> str:
        """How the county's figures are built (the results and about pages; not on posters)."""
        return (
            "全县进度只计入目标所指的站点：per_station 目标计入指定类型的站点（未指定时为社工总站以外的每个站点），"
            "逐站目标计入列出的站点，全县目标计入每个站点；其他站点填报的数量另行列出（其他站点另计），不计入完成率。"
            "全县的时间进度是计入目标的各站时间进度的平均（有站点目标时按目标加权；合同期中开始运行的站点从开始运行的月份算起），"
            "所以一个站先填报了新的月份，只改变它自己的那一份，不会改变其他站的进度。"
        )


def compute_results(content: Content, today: dt.date) -> ResultsReport:
    status = reporting(content, today)
    months = status.months
    p = content.programme
    elapsed = elapsed_share(p.period_start, p.period_end, measured_until(content, status.latest_month, today))
    station_elapsed = {s.slug: _station_elapsed(content, s, status) for s in content.stations}
    grids = {ind.id: _grid(content, ind, months, status) for ind in content.indicators}
    county = []
    stations: dict[str, list[IndicatorProgress]] = {s.slug: [] for s in content.stations}
    threshold = p.disclosure_threshold
    for ind in content.indicators:
        grid = grids[ind.id]
        share = _county_elapsed(grid, station_elapsed)
        county.append(
            _progress(
                ind,
                grid.target,
                grid.total,
                list(zip(months, grid.month_totals, strict=True)),
                share,
                threshold,
                others=grid.others_total,
                through=status.latest_month,
            )
        )
        for row in (*grid.rows, *grid.others):
            stations[row.station.slug].append(
                _progress(
                    ind,
                    row.target,
                    row.total,
                    list(zip(months, row.cells, strict=True)),
                    station_elapsed[row.station.slug] or 0.0,
                    threshold,
                    through=status.last_reported(row.station.slug),
                )
            )
    return ResultsReport(content, today, status, elapsed, grids, county, stations)


# --------------------------------------------------------------------------------------------------
# targets and time


def counted(indicator: Indicator, station: Station) -> bool:
    """Whether the indicator's target counts the station (one meaning for every kind of target)."""
    t = indicator.target
    if t.stations:
        return station.slug in dict(t.stations)
    if t.kinds:
        return station.kind in t.kinds
    if t.per_station is not None:
        return station.kind != HUB
    return True  # a county target without kinds: every station


def station_target(indicator: Indicator, station: Station) -> int | None:
    listed = dict(indicator.target.stations)
    if listed:
        return listed.get(station.slug)
    if indicator.target.per_station is not None and counted(indicator, station):
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
    return min(month_end(latest), today)


def _station_elapsed(content: Content, station: Station, status: Reporting) -> float | None:
    """Share of the station's part of the contract passed by the end of its latest reported month;
    None when it has reported nothing yet."""
    last = status.last_reported(station.slug)
    if last is None:
        return None
    p = content.programme
    start = max(p.period_start, month_start(station.since)) if station.since else p.period_start
    return elapsed_share(start, p.period_end, month_end(last))


def _county_elapsed(grid: Grid, station_elapsed: dict[str, float | None]) -> float:
    """The counted stations' time elapsed, averaged (weighted by station targets where they exist)."""
    weighted = [
        (row.target if grid.indicator.target.county is None and row.target else 1, share)
        for row in grid.rows
        if (share := station_elapsed[row.station.slug]) is not None
    ]
    total = sum(w for w, _ in weighted)
    return sum(w * share for w, share in weighted) / total if total else 0.0


# --------------------------------------------------------------------------------------------------
# the grid and its anonymisation


def _grid(content: Content, ind: Indicator, months: tuple[str, ...], status: Reporting) -> Grid:
    counts = {s.slug: {r.month: dict(r.counts).get(ind.id, 0) for r in s.results} for s in content.stations}

    def has_counts(s: Station) -> bool:
        return any(counts[s.slug].get(m, 0) for m in months)

    # A county target without kinds counts every station: the stations that reported any count are
    # its rows (a hub that never does home visits is not a row of zeros).
    open_ended = ind.target.county is not None and not ind.target.kinds
    mine = [s for s in content.stations if counted(ind, s) and (not open_ended or has_counts(s))]
    others = [s for s in content.stations if not counted(ind, s) and has_counts(s)]
    rows, month_totals, total = _group(content, ind, mine, months, counts, status)
    other_rows, other_months, other_total = _group(content, ind, others, months, counts, status)
    return Grid(
        ind,
        months,
        rows,
        month_totals,
        total,
        county_target(content, ind),
        other_rows,
        other_months if others else (),
        other_total if others else None,
    )


def _group(
    content: Content,
    ind: Indicator,
    stations: list[Station],
    months: tuple[str, ...],
    counts: dict[str, dict[str, int]],
    status: Reporting,
) -> tuple[tuple[GridRow, ...], tuple[Cell, ...], Cell]:
    """One table of stations × months with its totals, anonymised on its own."""
    states = [[status.of(s.slug, m) for m in months] for s in stations]
    raw = [[counts[s.slug].get(m, 0) for m in months] for s in stations]
    threshold = content.programme.disclosure_threshold
    # A month not reported adds 0 and a reader knows it: it can never protect a hidden count.
    fixed = frozenset((r, c) for r, row in enumerate(states) for c, st in enumerate(row) if st != REPORTED)
    disclosure = disclose(raw, len(months), threshold, fixed) if ind.counts_people else None
    table = extend(raw, len(months))
    n_rows, n_cols = len(stations), len(months)

    def cell(r: int, c: int, state: str) -> Cell:
        if state != REPORTED:
            return Cell.unreported(state)
        return _cell(table[r][c], disclosure, (r, c))

    def summary(states: list[str]) -> str:
        """A total is reported if any of its months is; else it says why it is missing."""
        if REPORTED in states or not states:
            return REPORTED
        return OVERDUE if OVERDUE in states else PENDING if PENDING in states else NOT_OPEN

    columns = [[states[r][c] for r in range(n_rows)] for c in range(n_cols)]
    rows = tuple(
        GridRow(
            s,
            station_target(ind, s),
            tuple(cell(i, j, states[i][j]) for j in range(n_cols)),
            cell(i, n_cols, summary(states[i])),
        )
        for i, s in enumerate(stations)
    )
    month_totals = tuple(cell(n_rows, j, summary(columns[j])) for j in range(n_cols))
    total = cell(n_rows, n_cols, summary([st for row in states for st in row]))
    return rows, month_totals, total


def _cell(value: int, disclosure: Disclosure | None, pos: tuple[int, int]) -> Cell:
    """The one place a true count becomes a published Cell."""
    if disclosure is None:
        return Cell.shown(value)
    # Counts of people: "<5", rounded, or withheld, from generator/results/disclosure.py only.
    p = disclosure.at(*pos)
    return Cell(p.value, p.suppressed, p.display, rounded=p.rounded)


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
    others: Cell | None = None,
    through: str | None = None,
) -> IndicatorProgress:
    def result(percent: float | None, status: str | None) -> IndicatorProgress:
        return IndicatorProgress(ind, target, total, percent, elapsed, status, months, others, through)

    if not target or not total.reported:
        return result(None, None)
    if total.value is not None:
        percent = 100 * total.value / target
        return result(percent, status_for(percent, elapsed))
    # A hidden total: the percent would give it away. A status word is shown only when every count a
    # reader already knows possible ("<5" means 0..threshold-1) gives the same word, so it adds nothing.
    status = None
    if total.display != COMPLEMENT_DISPLAY:
        words = {status_for(100 * v / target, elapsed) for v in range(threshold)}
        status = words.pop() if len(words) == 1 else None
    return result(None, status)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
