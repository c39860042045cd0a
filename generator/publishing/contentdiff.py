"""``stationsite diff BASE HEAD``: what a change means for the public, in Chinese Markdown.

Both versions are loaded and checked like ``stationsite check`` (any problem is reported with its
file and line, prefixed by the version, and the command exits 1), then compared as the public sees
them: the posters each station must reprint first (from ``generator.posters.printed_fingerprints``,
which leaves out the printed build date), then stations, activities, results (as ``Cell.display``:
small counts of people stay "<5", never a raw number), rules, policies, news and programme facts.
Both versions use the same build moment, so "this week" and the results' elapsed share agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.clock import build_moment, week_of
from generator.content.load import load_content
from generator.content.model import Content, Station
from generator.problems import Problem
from generator.publishing import diffactivities, diffparts, diffsummary, docsdiff
from generator.publishing.gitversions import GitError, Version, checked_out, resolve_base, resolve_head

MARKER = "<!-- stationsite-diff -->"  # lets CI find and update its own pull-request comment


def cmd_diff(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    notes: list[str] = []
    try:
        base = resolve_base(root, args.base, notes)
        head = resolve_head(root, args.head)
        with checked_out(root, base) as base_dir, checked_out(root, head) as head_dir:
            text, ok = diff_directories(base_dir, head_dir, base, head, notes)
    except GitError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"提示：{note}", file=sys.stderr)
    sys.stdout.write(text)
    return 0 if ok else 1


@dataclass
class Side:
    """One loaded version: its content, results report and site address."""

    version: Version
    content: Content
    site_url: str
    report: Any = None
    report_error: str | None = None
    folder: Path | None = None  # the checked-out version (for docs/, which has no model)


@dataclass
class Reprint:
    station: Station
    status: str  # "changed" | "added" (new station: print everything) | "removed" (take down)
    posters: list[tuple[str, str, str]] = field(default_factory=list)  # (poster id, title, pdf url)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)  # (poster id, title): take down
    take_down: list[tuple[str, str]] = field(default_factory=list)  # (海报编号, title) of old posters


def diff_directories(
    base_dir: Path, head_dir: Path, base: Version, head: Version, notes: list[str] | None = None
) -> tuple[str, bool]:
    """Markdown for the change from ``base_dir`` to ``head_dir`` and whether both versions are valid."""
    moment = build_moment()
    loaded = []
    failures: list[tuple[str, list[Problem]]] = []
    for role, version, folder in (("基准版本", base, base_dir), ("新版本", head, head_dir)):
        content, problems = load_content(folder)
        if problems or content is None:
            failures.append((side_name(role, version), problems))
        else:
            loaded.append(Side(version, content, site_url_of(folder), folder=folder))
    title = header(base, head, moment, notes or [])
    if failures:
        return title + problems_markdown(failures), False
    old, new = loaded
    for side in (old, new):
        side.report, side.report_error = _results_report(side.content, moment.date())
    return title + changes_markdown(old, new, moment.date()), True


def header(base: Version, head: Version, moment: dt.datetime, notes: list[str]) -> str:
    def name(v: Version) -> str:
        return f"`{v.label}`（{v.commit[:8]}）" if v.commit else v.label

    monday, sunday = week_of(moment.date())
    lines = [
        MARKER,
        "## 本次修改对公众的影响",
        "",
        f"比较：{name(base)} → {name(head)}。按生成日期 {moment:%Y-%m-%d} 计算，"
        f"本周为 {monday:%m-%d} 至 {sunday:%m-%d}。",
        "",
    ]
    lines += [f"> {n}" for n in notes] + ([""] if notes else [])
    return "\n".join(lines) + "\n"


def problems_markdown(failures: list[tuple[str, list[Problem]]]) -> str:
    """Every problem of each broken version, one per line as ``stationsite check`` prints it."""
    lines = []
    for which, problems in failures:
        lines += [f"[{which}] {p}" for p in problems] or [f"[{which}] 无法读取内容"]
    fence = diffparts.fence_for("\n".join(lines))
    return (
        "\n".join(
            [
                "### ❌ 内容检查未通过，无法比较",
                "",
                "请按下面每一行指出的文件和行号改正后再提交；行首方括号说明是哪个版本的问题。",
                "",
                fence + "text",
                *lines,
                fence,
                "",
            ]
        )
        + "\n"
    )


def side_name(role: str, version: Version) -> str:
    """ "新版本 HEAD 1a2b3c4d", "基准版本 origin/main 9f8e7d6c", "新版本 工作目录"."""
    return f"{role} {version.label}" + (f" {version.commit[:8]}" if version.commit else "")


def site_url_of(folder: Path) -> str:
    """``site_url`` from mkdocs.yml (every QR code is built from it), ending with "/"."""
    path = folder / "mkdocs.yml"
    if not path.is_file():
        return ""

    class _Lenient(yaml.SafeLoader):
        pass

    # mkdocs.yml may carry !!python/name and !ENV tags; only site_url matters here.
    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Lenient)  # noqa: S506 - safe subclass
    except yaml.YAMLError:
        return ""
    url = str((data or {}).get("site_url") or "")
    return url if not url or url.endswith("/") else url + "/"


def _results_report(content: Content, today: dt.date) -> tuple[Any, str | None]:
    try:
        from generator.results.progress import compute_results
    except ImportError:
        return None, "成效计算模块（generator.results.progress）尚未安装，无法比较成效"
    return compute_results(content, today), None


# ---------------------------------------------------------------------------------------------------
# posters to reprint


def posters_to_reprint(old: Side, new: Side, today: dt.date) -> list[Reprint]:
    """Per station, the posters whose printed content (build date aside) differs between versions.

    Both versions are fingerprinted with the same ``today``, so "this week" is the same week.
    """
    from generator.posters import poster_specs, printed_fingerprints
    from generator.posters.build import printed_codes

    out: list[Reprint] = []
    old_by_slug = {s.slug: s for s in old.content.stations}
    new_slugs = {s.slug for s in new.content.stations}
    for station in new.content.stations:
        specs = {s.id: s for s in poster_specs(new.content, station)}
        after = printed_fingerprints(new.content, new.report, station, new.site_url, today=today)
        before_station = old_by_slug.get(station.slug)
        old_codes: dict[str, str] = {}
        if before_station is None:
            ids, status, gone = list(after), "added", []
        else:
            old_codes = printed_codes(old.content, old.report, before_station, old.site_url, today=today)
            before = printed_fingerprints(old.content, old.report, before_station, old.site_url, today=today)
            ids = [pid for pid in after if before.get(pid) != after[pid]]
            old_specs = {s.id: s for s in poster_specs(old.content, before_station)}
            gone = [
                (pid, old_specs[pid].title if pid in old_specs else pid) for pid in before if pid not in after
            ]
            status = "changed"
        if ids or gone:
            out.append(
                Reprint(
                    station,
                    status,
                    [
                        (
                            pid,
                            specs[pid].title if pid in specs else pid,
                            _pdf_url(new.site_url, station.slug, specs.get(pid)),
                        )
                        for pid in _spec_order(ids, specs)
                    ],
                    gone,
                    [
                        (old_codes[pid], specs[pid].title if pid in specs else pid)
                        for pid in ids
                        if pid in old_codes
                    ]
                    + [(old_codes[pid], title) for pid, title in gone if pid in old_codes],
                )
            )
    for station in old.content.stations:
        if station.slug not in new_slugs:
            specs_old = poster_specs(old.content, station)
            codes = printed_codes(old.content, old.report, station, old.site_url, today=today)
            out.append(
                Reprint(
                    station,
                    "removed",
                    [],
                    [(s.id, s.title) for s in specs_old],
                    [(codes[s.id], s.title) for s in specs_old],
                )
            )
    return out


def _spec_order(ids: list[str], specs: dict[str, Any]) -> list[str]:
    order = list(specs)
    return sorted(ids, key=lambda pid: (order.index(pid) if pid in order else len(order), pid))


def _pdf_url(site_url: str, slug: str, spec: Any) -> str:
    if spec is None:
        return ""
    name = getattr(spec, "pdf_name", "") or f"{spec.id}.pdf"
    return f"{site_url}posters/{slug}/{name.rsplit('/', 1)[-1]}"


def reprint_markdown(reprints: list[Reprint]) -> list[str]:
    out = ["### 🖨️ 需要重新打印的海报", ""]
    if not reprints:
        return out + ["没有海报需要重新打印：所有站点墙上的海报内容不变（打印日期除外）。", ""]
    out += ["合并发布后，请各站点下载并打印下列海报（网站更新后链接即为新版本）：", ""]
    text = diffparts.inline_text  # names and titles are content: text in the comment, never markup
    for r in reprints:
        label = f"**{text(r.station.name)}**（`{r.station.slug}`）"
        if r.status == "removed":
            out.append(
                f"- {label}：站点已撤销，请撤下该站全部海报：" + "、".join(text(t) for _, t in r.withdrawn)
            )
            continue
        prefix = "新站点，请打印全部海报：" if r.status == "added" else ""
        items = "、".join(f"[{text(title)}]({url})" if url else text(title) for _, title, url in r.posters)
        line = f"- {label}：{prefix}{items}" if items else f"- {label}："
        if r.withdrawn:
            line += ("；" if items else "") + "撤下：" + "、".join(text(t) for _, t in r.withdrawn)
        out.append(line)
        if r.take_down:
            out.append(
                "  - 撤下旧海报（海报编号）："
                + "、".join(f"`{code}` {text(title)}" for code, title in r.take_down)
            )
    return out + [""]


# ---------------------------------------------------------------------------------------------------
# everything together


def changes_markdown(old: Side, new: Side, today: dt.date) -> str:
    """A short summary first (what changes for residents, posters to reprint and take down), then
    the details folded in ``<details>``: a reviewer sees the decision on one screen."""
    county = new.content.programme.county
    summary: list[str] = []
    folded: list[str] = []
    unavailable = old.report_error or new.report_error
    if not unavailable:
        try:
            reprints = posters_to_reprint(old, new, today)
            summary += diffsummary.reprint_summary(reprints, county)
            if reprints:
                total = sum(len(r.posters) for r in reprints)
                folded += [f"<details><summary>需要重新打印的海报（{total} 张）及下载链接</summary>", ""]
                folded += reprint_markdown(reprints) + ["</details>", ""]
        except ImportError:
            unavailable = "海报模块（generator.posters）尚未安装"
    if unavailable:
        summary.append(f"- ⚠️ {unavailable}，无法判断需要重印的海报")
    if old.site_url != new.site_url:
        summary.append(
            f"- ⚠️ **网站地址改变**：`site_url` 从 {old.site_url or '（空）'} 改为 {new.site_url or '（空）'}，"
            "所有海报上的二维码都会改变"
        )
    result_lines = _results_lines(old, new)
    sections = [
        ("站点信息", diffparts.station_changes(old.content, new.content)),
        ("活动安排", diffactivities.activity_changes(old.content, new.content, today)),
        ("服务成效", result_lines),
        ("上墙制度", diffparts.rule_changes(old.content, new.content)),
        ("办事指南", diffparts.policy_changes(old.content, new.content)),
        ("新闻", diffparts.news_changes(old.content, new.content)),
        ("项目信息与指标", diffparts.programme_changes(old.content, new.content)),
        ("手写页面和文件（docs/）", docsdiff.docs_changes(old.folder, new.folder)),
    ]
    shown = [(title, lines) for title, lines in sections if lines]
    summary += diffsummary.corrections_summary(result_lines, county)
    summary += [diffsummary.section_summary(title, lines, county) for title, lines in shown]
    if not shown:
        summary.append("- 公众在网站上看到的内容没有变化。")
    out = ["### 摘要", "", *summary, ""]
    if shown:
        folded += ["<details><summary>详细改动</summary>", ""]
        for title, lines in shown:
            folded += [f"### {title}", "", *lines, ""]
        folded += ["</details>", ""]
    return "\n".join(out + folded).rstrip() + "\n"


def _results_lines(old: Side, new: Side) -> list[str]:
    error = old.report_error or new.report_error
    if error:
        return [f"- ⚠️ {error}"]
    return diffparts.results_changes(old.content, new.content, old.report, new.report)
