"""The public site as plain Markdown pages, made from the content model (no MkDocs import here).

``generate_pages`` returns every generated page as (docs-relative source path, Markdown text). The
MkDocs plugin hands them to MkDocs as virtual files; ``write_docs_tree`` writes the same pages as an
ordinary docs directory, for an engine that reads ``mkdocs.yml`` but runs no third-party plugin.

Source paths and URLs (``use_directory_urls``): ``stations/<slug>/index.md`` → ``/stations/<slug>/``,
``policies/dibao.md`` → ``/policies/dibao/``. Markdown links point at ``.md`` sources, so MkDocs
checks them in strict mode; links to files that are not pages (posters, calendars) are raw HTML
with a URL relative to the page, written only on ``index.md`` pages (``url_link``: there both engines
read them alike); the open data files are part of the docs tree and linked as Markdown.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.clock import week_of
from generator.content.model import Activity, Content, NewsItem, Rule, Station
from generator.content.repeats import closure_text
from generator.content.richtext import markdown_to_html, markdown_to_inline_html
from generator.content.schemas import DOMAINS, NEWS_KINDS, WEEKDAYS
from generator.content.textformat import date_text, day_text, hours_rows
from generator.site.pages.frontmatter import with_safe_title
from generator.site.pages.guide import example_station, guide_pages
from generator.site.pages.templating import render
from generator.site.resultsaudit import money_markdown
from generator.site.resultspages import (
    disclosure_rule_markdown,
    headline_results_markdown,
    indicator_page_markdown,
    indicator_src,
    open_data_page_markdown,
    results_page_markdown,
    short_name,
    station_results_markdown,
    station_results_page_markdown,
)

UPCOMING_WEEKS = 4  # the station page lists this week and the next four, as the posters' QR promise
HOME_NEWS = 5
# The home page lists every activity of the week while there are at most this many; beyond that it
# shows one line per station (name linked to the station's week, number of activities) instead. On a
# 360 px phone each listed activity takes about 170 px: 30 of them are already seven screens, and a
# county of 300 stations has about 900 a week (150,000 px). The sample county (ten stations, 24
# activities this week) stays under the limit and keeps its full list.
HOME_WEEK_LIST_MAX = 30
# Hand-written pages (docs/) that get generated sections appended: see PageMaker.with_sections.
HOME_SRC, ABOUT_SRC = "index.md", "about.md"
# Likewise the station network: in full (each station with its phone, about 90 px on a phone) up to
# this many stations, the county's hub and town stations by name only beyond (the stations index
# keeps the full tree). The sample's ten stations are one screen and a half.
HOME_NETWORK_FULL_MAX = 40


@dataclass(frozen=True)
class GeneratedPage:
    src: str  # docs-relative source path, e.g. "stations/shicheng/index.md"
    markdown: str


# ----------------------------------------------------------------------------- addresses


def page_url(src: str) -> str:
    """Site-relative URL of a source path under directory URLs: a/b.md → a/b/, a/index.md → a/."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for two site-relative paths, without touching the disk.

    Why not relpath itself: it makes both paths absolute against the working directory first,
    which was a sixth of page generation (tens of thousands of links in a large county).
    """
    to = [part for part in path.split("/") if part not in ("", ".")]
    base = [part for part in start.split("/") if part not in ("", ".")]
    if ".." in to or ".." in base:  # never made by us; keep the library's exact answer
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def md_link(from_src: str, to_src: str) -> Markup:
    """A Markdown link target from one source file to another (MkDocs resolves and checks it)."""
    return Markup(relative_path(to_src, posixpath.dirname(from_src) or "."))


def url_link(from_src: str, to_path: str) -> Markup:
    """A relative URL from a page to any site path (posters, data): works from file:// and any host.

    Only from an ``index.md`` page, whose address is its source folder: MkDocs leaves such a raw URL
    as it is (relative to the page's address), Zensical rewrites it as if relative to the source
    file, and only there do the two agree, at the domain root and under a sub-path alike. From any
    other page link with ``md_link`` (a page source, or a file of the docs tree such as open data).
    """
    if not (from_src == "index.md" or from_src.endswith("/index.md")):
        raise ValueError(f"url_link from {from_src}: raw URLs are engine-neutral only on index.md pages")
    base = page_url(from_src) or "."
    rel = relative_path(to_path or ".", base.rstrip("/") or ".")
    if to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return Markup(rel)


def station_src(slug: str) -> str:
    return f"stations/{slug}/index.md"


def rule_src(rule: Rule) -> str:
    return f"stations/{rule.station}/rules/{rule.name}.md" if rule.station else f"rules/{rule.name}.md"


# ----------------------------------------------------------------------------- shared views


def activity_items(
    activities: Iterable[Activity], from_src: str, names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Activities grouped by day for the templates; with ``names``, each links to its station."""
    days: dict[dt.date, list[dict[str, Any]]] = {}
    for a in activities:
        meta = [a.kind_label, a.place] + ([a.audience] if a.audience else [])
        meta += [a.repeat.label] if a.repeat else []
        days.setdefault(a.date, []).append(
            {
                "time": f"{a.start}–{a.end}",
                "datetime": f"{a.date.isoformat()}T{a.start}",
                "title": a.title,
                "meta": " · ".join(meta),
                "station": names[a.station] if names else None,
                "station_href": url_link(from_src, f"stations/{a.station}/") if names else None,
            }
        )
    return [
        {"day": day_text(day), "date": day.isoformat(), "items": items} for day, items in sorted(days.items())
    ]


def network_tree(content: Content, from_src: str) -> list[dict[str, Any]]:
    """hub → town/street stations → community rooms, as nested dicts (roots first, network order)."""
    slugs = {s.slug for s in content.stations}
    children: dict[str | None, list[Station]] = {}
    for s in content.stations:
        children.setdefault(s.parent if s.parent in slugs else None, []).append(s)

    def node(s: Station) -> dict[str, Any]:
        return {
            "slug": s.slug,
            "name": s.name,
            "kind": s.kind_label,
            "phone": s.phone,
            "address": s.address,
            "href": md_link(from_src, station_src(s.slug)),
            "url": url_link(from_src, f"stations/{s.slug}/"),
            "children": [node(c) for c in children.get(s.slug, [])],
        }

    return [node(s) for s in children.get(None, [])]


def _news_view(item: NewsItem, from_src: str, content: Content) -> dict[str, Any]:
    station = next((s for s in content.stations if s.slug == item.station), None)
    return {
        "title": item.title,
        "date": date_text(item.date),
        "kind": NEWS_KINDS[item.kind],
        "href": md_link(from_src, f"news/{item.name}.md"),
        "summary": item.summary or "",
        "station": station.name if station else None,
    }


def _newest_first(news: Iterable[NewsItem]) -> list[NewsItem]:
    return sorted(news, key=lambda n: (n.date, n.name), reverse=True)


# ----------------------------------------------------------------------------- pages


CLOSURE_STATIONS_LISTED = 6  # home page: beyond this, a closure names its first stations and a count


class PageMaker:
    """Renders every page of one build; holds what several pages share (dates, report, names)."""

    def __init__(self, content: Content, report: Any, today: dt.date, build_label: str, site_url: str):
        self.content = content
        self.site_url = site_url
        self.report = report
        self.today = today
        self.monday, self.sunday = week_of(today)
        self.last_day = self.sunday + dt.timedelta(weeks=UPCOMING_WEEKS)
        self.build_label = build_label
        self.with_posters = True  # False: `build --no-posters`, no poster files to link
        self.names = {s.slug: s.name for s in content.stations}
        self.by_slug = {s.slug: s for s in content.stations}
        # Looked up once per station page: a dict keeps a 1,000-station build linear.
        self.children_of: dict[str | None, list[Station]] = {}
        for s in content.stations:
            self.children_of.setdefault(s.parent, []).append(s)
        self.news_newest_first = _newest_first(content.news)
        # Which stations post their own version of each county rule (shown on the county rule page).
        self.own_versions: dict[str, list[Station]] = {}
        for s in content.stations:
            for r in s.own_rules:
                self.own_versions.setdefault(r.name, []).append(s)

    def week_label(self) -> str:
        return f"{day_text(self.monday)}至{day_text(self.sunday)}"

    # -- station pages ---------------------------------------------------------------------

    def station_page(self, station: Station) -> GeneratedPage:
        src = station_src(station.slug)
        this_week = station.activities_between(self.monday, self.sunday)
        upcoming = [a for a in station.activities if self.sunday < a.date <= self.last_day]
        parent = self.by_slug.get(station.parent) if station.parent else None
        rules = [
            {"title": r.title, "href": md_link(src, rule_src(r)), "own": r.station == station.slug}
            for r in self.content.rules_for(station)
        ]
        text = render(
            "station.md.j2",
            s=station,
            programme=self.content.programme,
            hours=hours_rows(station.hours),
            hours_data=hours_json(station),
            closures_data=closures_json(station, self.today),
            domains=[
                {"label": DOMAINS[d], "policies": self.policies_by_domain(src).get(d, [])}
                for d in station.domains
            ],
            policies_index=url_link(src, "policies/"),
            week=self.week_label(),
            this_week=activity_items(this_week, src),
            upcoming=activity_items(upcoming, src),
            later_until=day_text(self.last_day),
            parent=(
                {"name": parent.name, "url": url_link(src, f"stations/{parent.slug}/")} if parent else None
            ),
            children=[
                {"name": c.name, "href": md_link(src, station_src(c.slug))}
                for c in self.children_of.get(station.slug, [])
            ]
            if station.kind != "community"
            else [],
            rules=rules,
            results=Markup(station_results_markdown(self.content, self.report, station)),
            posters_page=md_link(src, f"posters/{station.slug}/index.md") if self.with_posters else None,
            calendar=url_link(src, f"calendar/{station.slug}.ics"),
            build_label=self.build_label,
            news=[
                _news_view(n, src, self.content) for n in self.news_newest_first if n.station == station.slug
            ][:HOME_NEWS],
            closures=[closure_text(c) for c in station.closures_near(self.today)],
        )
        return GeneratedPage(src, text)

    def policies_by_domain(self, from_src: str) -> dict[str, list[dict[str, str]]]:
        """Policy guides per service domain, linked from ``from_src`` (a station's 服务内容)."""
        out: dict[str, list[dict[str, str]]] = {}
        for p in self.content.policies:
            out.setdefault(p.domain, []).append(
                {"title": p.title, "url": url_link(from_src, f"policies/{p.name}/")}
            )
        return out

    def station_results_page(self, station: Station) -> GeneratedPage:
        src = f"stations/{station.slug}/results.md"
        return GeneratedPage(src, station_results_page_markdown(self.content, self.report, station))

    def station_rule_page(self, station: Station, rule: Rule) -> GeneratedPage:
        src = rule_src(rule)
        county = next((r for r in self.content.rules if r.name == rule.name), None)
        text = render(
            "rule.md.j2",
            rule=rule,
            body=Markup(markdown_to_html(rule.body)),
            station={"name": station.name, "href": md_link(src, station_src(station.slug))},
            county_href=md_link(src, rule_src(county)) if county else None,
            own_versions=[],
        )
        return GeneratedPage(src, text)

    def stations_index(self) -> GeneratedPage:
        src = "stations/index.md"
        return GeneratedPage(
            src,
            render(
                "stations_index.md.j2",
                tree=network_tree(self.content, src),
                count=len(self.content.stations),
                county=self.content.programme.county,
            ),
        )

    # -- rules, policies, news ---------------------------------------------------------------

    def rule_pages(self) -> list[GeneratedPage]:
        pages = []
        for rule in self.content.rules:
            src = rule_src(rule)
            own = [
                {"name": s.name, "href": md_link(src, f"stations/{s.slug}/rules/{rule.name}.md")}
                for s in self.own_versions.get(rule.name, [])
            ]
            pages.append(
                GeneratedPage(
                    src,
                    render(
                        "rule.md.j2",
                        rule=rule,
                        body=Markup(markdown_to_html(rule.body)),
                        station=None,
                        county_href=None,
                        own_versions=own,
                    ),
                )
            )
        src = "rules/index.md"
        pages.append(
            GeneratedPage(
                src,
                render(
                    "rules_index.md.j2",
                    rules=[
                        {
                            "title": r.title,
                            "href": md_link(src, rule_src(r)),
                            "own": [s.name for s in self.own_versions.get(r.name, [])],
                        }
                        for r in self.content.rules
                    ],
                ),
            )
        )
        return pages

    def policy_pages(self) -> list[GeneratedPage]:
        pages = []
        groups: dict[str, list[dict[str, Any]]] = {}
        for p in self.content.policies:
            src = f"policies/{p.name}.md"
            pages.append(
                GeneratedPage(
                    src,
                    render(
                        "policy.md.j2",
                        p=p,
                        network=self.content.programme.network_name,
                        domain=DOMAINS[p.domain],
                        who=Markup(markdown_to_html(p.who)),
                        what=Markup(markdown_to_html(p.what)),
                        how=[Markup(markdown_to_inline_html(step)) for step in p.how],
                        documents=[Markup(markdown_to_inline_html(d)) for d in p.documents],
                        body=Markup(markdown_to_html(p.body)) if p.body.strip() else None,
                    ),
                )
            )
            groups.setdefault(p.domain, []).append(
                {"title": p.title, "href": md_link("policies/index.md", src), "who": _first_sentence(p.who)}
            )
        ordered = [{"domain": DOMAINS[d], "items": groups[d]} for d in DOMAINS if d in groups]
        pages.append(
            GeneratedPage(
                "policies/index.md",
                render("policies_index.md.j2", groups=ordered, network=self.content.programme.network_name),
            )
        )
        return pages

    def news_pages(self) -> list[GeneratedPage]:
        pages = []
        for n in self.content.news:
            src = f"news/{n.name}.md"
            station = self.by_slug.get(n.station) if n.station else None
            pages.append(
                GeneratedPage(
                    src,
                    render(
                        "news_item.md.j2",
                        n=n,
                        kind=NEWS_KINDS[n.kind],
                        body=Markup(markdown_to_html(n.body)),
                        station={"name": station.name, "href": md_link(src, station_src(station.slug))}
                        if station
                        else None,
                        index_href=md_link(src, "news/index.md"),
                    ),
                )
            )
        views = [
            ("news/index.md", "新闻动态", None),
            ("news/briefs.md", "月度简报", "brief"),
            ("news/cases.md", "服务案例", "case"),
        ]
        for src, title, kind in views:
            items = [
                _news_view(n, src, self.content)
                for n in _newest_first(self.content.news)
                if kind is None or n.kind == kind
            ]
            tabs = [{"title": t, "href": md_link(src, s), "current": s == src} for s, t, _ in views]
            pages.append(
                GeneratedPage(
                    src,
                    render("news_index.md.j2", title=title, items=items, tabs=tabs, case_view=kind == "case"),
                )
            )
        return pages

    # -- home and about (appended to the hand-written docs/index.md and docs/about.md) -------

    def home_sections(self) -> str:
        src = "index.md"
        p = self.content.programme
        this_week = sorted(
            (a for s in self.content.stations for a in s.activities_between(self.monday, self.sunday)),
            key=lambda a: (a.date, a.start, a.station),
        )
        full_list = len(this_week) <= HOME_WEEK_LIST_MAX
        tree = network_tree(self.content, src)
        return render(
            "home.md.j2",
            p=p,
            period=f"{date_text(p.period_start)}至{date_text(p.period_end)}",
            tree=tree,
            network_summary=None
            if len(self.content.stations) <= HOME_NETWORK_FULL_MAX
            else self.network_summary(tree),
            station_count=len(self.content.stations),
            stations_index=url_link(src, "stations/"),
            week=self.week_label(),
            this_week=activity_items(this_week, src, self.names) if full_list else [],
            week_summary=None if full_list else self.week_summary(this_week, src),
            week_count=len(this_week),
            calendar_all=url_link(src, "calendar/all.ics"),
            results=Markup(headline_results_markdown(self.content, self.report)),
            news=[_news_view(n, src, self.content) for n in _newest_first(self.content.news)[:HOME_NEWS]],
            build_label=self.build_label,
            closures=self.closure_notices(src),
        )

    def closure_notices(self, from_src: str) -> list[dict[str, Any]]:
        """Closures under way or within two weeks, each once with the stations it closes (a county-wide
        holiday is one line, not one per station)."""
        by_closure: dict[Any, list[Station]] = {}
        for s in self.content.stations:
            for c in s.closures_near(self.today):
                by_closure.setdefault(c, []).append(s)
        out = []
        for c, stations in sorted(by_closure.items()):
            everyone = len(stations) == len(self.content.stations) and len(stations) > 1
            shown = [] if everyone else stations[:CLOSURE_STATIONS_LISTED]
            more = len(stations) - len(shown)
            out.append(
                {
                    "text": closure_text(c),
                    "stations": [
                        {
                            "name": short_name(self.content, s),
                            "href": url_link(from_src, f"stations/{s.slug}/"),
                        }
                        for s in shown
                    ],
                    "more": "全部站点" if everyone else (f"等 {len(stations)} 个站点" if more else ""),
                }
            )
        return out

    def week_summary(self, activities: list[Activity], from_src: str) -> list[dict[str, Any]]:
        """One entry per station with activities this week, in network order (hub first)."""
        counts: dict[str, int] = {}
        for a in activities:
            counts[a.station] = counts.get(a.station, 0) + 1
        return [
            {
                "name": short_name(self.content, s),
                "full_name": s.name,
                "count": counts[s.slug],
                "href": url_link(from_src, f"stations/{s.slug}/") + "#activities",
            }
            for s in self.content.stations
            if s.slug in counts
        ]

    def network_summary(self, tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The top two levels of the network (the hub, then its town and street stations), each
        town with the number of stations below it."""

        def below(node: dict[str, Any]) -> int:
            return sum(1 + below(child) for child in node["children"])

        def entry(node: dict[str, Any], count: int) -> dict[str, Any]:
            station = self.content.station(node["slug"])
            return {
                "name": short_name(self.content, station),
                "full_name": station.name,
                "url": node["url"],
                "below": count,
            }

        return [e for root in tree for e in (entry(root, 0), *(entry(n, below(n)) for n in root["children"]))]

    def with_sections(self, src: str, markdown: str) -> str:
        """A hand-written page with its generated sections appended (home and about), else as it is."""
        if src == HOME_SRC:
            return markdown.rstrip() + "\n" + self.home_sections()
        if src == ABOUT_SRC:
            return markdown.rstrip() + "\n" + self.about_sections()
        return markdown

    def about_sections(self) -> str:
        return render(
            "about.md.j2",
            p=self.content.programme,
            disclosure=Markup(disclosure_rule_markdown(self.content)),
            money=Markup(money_markdown(self.content)),
            status_rule=getattr(self.report, "status_rule_text", "")
            + getattr(self.report, "county_rule_text", ""),
            build_label=self.build_label,
        )

    def search_page(self) -> GeneratedPage:
        """/search/: the form the header's search button leads to, and, for a phone without
        JavaScript (or before the index has loaded), a plain index of stations and policy guides."""
        src = "search/index.md"  # index.md: its raw links resolve alike under every engine
        tree = network_tree(self.content, src)
        large = len(self.content.stations) > HOME_NETWORK_FULL_MAX
        return GeneratedPage(
            src,
            render(
                "search.md.j2",
                example_place=short_name(self.content, example_station(self.content)),
                pagefind=url_link(src, "pagefind/pagefind.js"),
                root=url_link(src, ""),
                network_summary=self.network_summary(tree) if large else None,
                stations=[
                    {"name": s.name, "url": url_link(src, f"stations/{s.slug}/")}
                    for s in self.content.stations
                ],
                station_count=len(self.content.stations),
                stations_index=url_link(src, "stations/"),
                policies=[
                    {"title": p.title, "aliases": p.aliases, "url": url_link(src, f"policies/{p.name}/")}
                    for p in self.content.policies
                ],
            ),
        )

    def results_pages(self) -> list[GeneratedPage]:
        return [
            GeneratedPage("results.md", results_page_markdown(self.content, self.report)),
            *(
                GeneratedPage(
                    indicator_src(ip.indicator), indicator_page_markdown(self.content, self.report, ip)
                )
                for ip in self.report.county
            ),
            GeneratedPage("data.md", open_data_page_markdown(self.content, self.site_url)),
        ]


def hours_json(station: Station) -> str:
    """Opening hours for the browser's 正在开放 / 今日已下班 / 今日休息 line (theme/assets/stationsite.js):
    [[ISO weekday, "08:30", "12:00"], …], compact JSON in a data attribute."""
    import json

    days = {d: i + 1 for i, d in enumerate(WEEKDAYS)}
    spans = sorted((days[d], h.open, h.close) for h in station.hours for d in h.days)
    return json.dumps(spans, separators=(",", ":"))


def closures_json(station: Station, today: dt.date) -> str:
    """The closures not over by the build day, for the same line: on a closed day it says 今日休息
    and why, whatever the hours say. [["2026-11-30", "2026-11-30", "reason"], …], inclusive."""
    import json

    spans = [[c.start.isoformat(), c.end.isoformat(), c.reason] for c in station.closures if c.end >= today]
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def _first_sentence(text: str) -> str:
    plain = " ".join(text.split())
    for stop in "。；":
        if stop in plain:
            return plain.split(stop, 1)[0] + "。"
    return plain


def generate_pages(
    content: Content,
    report: Any,
    moment: dt.datetime,
    site_url: str,
    posters: Any = None,
    with_posters: bool = True,
) -> list[GeneratedPage]:
    """Every generated page of the site (home and about additions are separate: see PageMaker).

    ``posters`` is the build's poster codes (``generator.posters.build.poster_issue``), for the
    posters pages; without it they are worked out here, with no earlier codes. Without
    ``with_posters`` (``build --no-posters``) there are no posters pages, no poster code is worked
    out, and the station pages say the posters were not built instead of linking missing files.
    """
    from generator.posters.build import poster_issue
    from generator.site.posterpages import poster_pages

    maker = make(content, report, moment, site_url)
    maker.with_posters = with_posters
    pages = [maker.stations_index()]
    for station in content.stations:
        pages.append(maker.station_page(station))
        pages.append(maker.station_results_page(station))
        pages.extend(maker.station_rule_page(station, r) for r in station.own_rules)
    pages += maker.rule_pages() + maker.policy_pages() + maker.news_pages() + maker.results_pages()
    pages += [GeneratedPage(src, markdown) for src, markdown in guide_pages(content)]
    if with_posters:
        issue = posters or poster_issue(content, report, site_url, moment)
        pages += [
            GeneratedPage(*p) for p in poster_pages(content, issue, maker.build_label, url_link, md_link)
        ]
    pages.append(maker.search_page())
    # Every title as escaped front matter: themes print titles raw (see frontmatter.py).
    return [GeneratedPage(p.src, with_safe_title(p.markdown)) for p in pages]


def make(content: Content, report: Any, moment: dt.datetime, site_url: str) -> PageMaker:
    return PageMaker(content, report, moment.date(), f"{date_text(moment.date())}更新", site_url)


def write_docs_tree(pages: Iterable[GeneratedPage], docs_dir: Path) -> None:
    """Write generated pages into an ordinary docs directory (for engines that run no plugin)."""
    for page in pages:
        path = docs_dir / page.src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
