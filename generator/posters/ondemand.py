"""``stationsite posters --week YYYY-MM-DD``: the week posters of any week, on demand.

Stations post on Friday for Monday, and sometimes further ahead (a holiday week). This renders the
Monday–Sunday week containing the given date for every station (or those named), A4 and A3, into a
folder of its own (``posters-YYYY-MM-DD/<slug>/week-YYYY-MM-DD.pdf`` …), with the same templates,
fonts and cache as the build. Each poster carries its code and today's date like any other; the
site's ledger is not changed (these posters are not on the posters page), and the build's
``week-next.pdf`` is the same poster for next week.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

from generator.clock import build_moment, week_of
from generator.content.load import load_content
from generator.content.model import Content, Station
from generator.posters.specs import PosterSpec, poster_specs
from generator.problems import ContentError, format_text


def week_specs(day: dt.date, today: dt.date):  # type: ignore[no-untyped-def]
    """A ``specs_for`` of the week posters (A4 and A3) of the week containing ``day``."""
    offset = (week_of(day)[0] - week_of(today)[0]).days // 7
    title = {0: "本周活动安排", 1: "下周活动安排"}.get(offset, "活动安排")
    stem = f"week-{week_of(day)[0].isoformat()}"

    def specs_for(content: Content, station: Station) -> list[PosterSpec]:
        out = []
        for spec in poster_specs(content, station):
            if spec.id in ("week", "week-a3"):
                ident = stem + spec.id[len("week") :]
                out.append(
                    dataclasses.replace(
                        spec,
                        id=ident,
                        title=title,
                        html_name=f"{ident}.html",
                        pdf_name=f"{ident}.pdf",
                        week_offset=offset,
                        in_all=False,
                    )
                )
        return out

    return specs_for


def cmd_posters(args: argparse.Namespace) -> int:
    from generator.posters.build import build_posters
    from generator.publishing.contentdiff import site_url_of
    from generator.results.progress import compute_results

    root = Path(args.root).resolve()
    try:
        day = dt.date.fromisoformat(args.week)
    except ValueError:
        print(f"错误：--week 应为日期，如 2026-11-30，实际为 {args.week!r}", file=sys.stderr)
        return 1
    content, problems = load_content(root)
    if problems or content is None:
        print(format_text(problems))
        print(f"\n共发现 {len(problems)} 个问题，海报没有生成。", file=sys.stderr)
        return 1
    if args.station:
        unknown = [s for s in args.station if s not in {st.slug for st in content.stations}]
        if unknown:
            print(
                f"错误：没有这个站点：{'、'.join(unknown)}（站点代号见 stations/ 下的文件夹名）",
                file=sys.stderr,
            )
            return 1
        content = dataclasses.replace(
            content, stations=tuple(s for s in content.stations if s.slug in args.station)
        )
    site_url = site_url_of(root)
    if not site_url:
        print("错误：mkdocs.yml 缺少 site_url：海报二维码要指向这个网址。", file=sys.stderr)
        return 1
    moment = build_moment()
    monday, sunday = week_of(day)
    out = Path(args.out) if args.out else root / f"posters-{monday.isoformat()}"
    try:
        written = build_posters(
            content,
            compute_results(content, moment.date()),
            out,
            site_url,
            moment,
            lambda m: print(m, file=sys.stderr),
            cache_dir=root / ".cache" / "posters",
            specs_for=week_specs(day, moment.date()),
            bind_all=False,
        )
    except ContentError as exc:
        print(format_text(exc.problems))
        return 1
    pdfs = [p for p in written if p.suffix == ".pdf"]
    print(
        f"完成：{monday.month}月{monday.day}日至{sunday.month}月{sunday.day}日一周的活动海报 {len(pdfs)} 份，在 {out}"
    )
    return 0
