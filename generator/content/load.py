"""Load a content repository: read every file, check it against its schema, build the model.

``load_content(root)`` returns the model and every problem found, all at once. The model is only
built when there are no problems, so renderers never see half-valid content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.clock import build_date
from generator.content import cascade, crosscheck, docsfiles, pathsafety, placeholders, privacy, upgrades
from generator.content.model import (
    Activity,
    Complaint,
    Content,
    Indicator,
    MonthResult,
    NewsItem,
    OpeningHours,
    Payment,
    Policy,
    Programme,
    Rule,
    Staff,
    Station,
    Target,
)
from generator.content.naming import network_name
from generator.content.repeats import Closure, Repeat, occurrences
from generator.content.schema_types import INVALID, Checker, Record
from generator.content.schemas import (
    ACTIVITIES,
    ALLOWLIST,
    COUNTY,
    INDICATORS,
    NEWS,
    POLICY,
    RESULTS,
    RULE,
    SLUG,
    STATION,
    ListOf,
)
from generator.content.sourcefile import (
    Loaded,
    YNode,
    YSeq,
    parse_yaml,
    read_text,
    split_front_matter,
)
from generator.problems import Problem, sort_problems

STATION_FILES = {"station.yml", "activities.yml", "results.yml", "rules"}
CONTENT_FILES = {"county.yml", "indicators.yml", "privacy-allowlist.yml", "rules", "policies", "news"}


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        # For a list file kept in part (its sound items only): sound position → index in the file,
        # so that later checks on the sound part still name the item the editor sees.
        self.kept_items: dict[str, list[int]] = {}
        # Raw text of the items left out, by file: what later checks must not call missing.
        self.left_out: dict[str, list[YNode]] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def yaml_file(self, path: Path, schema: Record | ListOf) -> Loaded | None:
        rel = self.rel(path)
        text, problems = read_text(path, rel)
        self.problems += problems
        if text is None:
            return None
        node, problems = parse_yaml(text, rel)
        self.problems += problems
        if problems:
            return None
        self.problems += placeholders.scan_node(node, rel)
        if node is None:
            if isinstance(schema, ListOf):
                return Loaded(rel, [], None)
            self.problems.append(Problem(rel, 1, None, "文件是空的", f"应包含{schema.title}"))
            return None
        return self._convert(rel, node, schema)

    def markdown_file(self, path: Path, schema: Record) -> Loaded | None:
        rel = self.rel(path)
        text, problems = read_text(path, rel)
        self.problems += problems
        if text is None:
            return None
        front, offset, body = split_front_matter(text)
        if front is None:
            self.problems.append(
                Problem(
                    rel,
                    1,
                    None,
                    "缺少开头的 front matter（--- 包围的 YAML）",
                    "文件第一行写 ---，接着写 title: 等字段，再用一行 --- 结束",
                )
            )
            return None
        node, problems = parse_yaml(front, rel, line_offset=offset)
        self.problems += problems
        if problems:
            return None
        self.problems += placeholders.scan_node(node, rel)
        if text.endswith(body):
            self.problems += placeholders.scan_body(body, rel, text[: len(text) - len(body)].count("\n") + 1)
        if node is None:
            self.problems.append(Problem(rel, 2, None, "front matter 是空的"))
            return None
        loaded = self._convert(rel, node, schema)
        if loaded:
            loaded.body = body
        return loaded

    def _convert(self, rel: str, node: YNode, schema: Record | ListOf) -> Loaded | None:
        ck = Checker(rel)
        value = schema.convert(node, "", ck)
        self.problems += ck.problems
        if value is INVALID:
            return None
        if not ck.problems:
            return Loaded(rel, value, node)
        return self._sound_part(rel, node, schema, value, ck.problems)

    def _sound_part(
        self, rel: str, node: YNode, schema: Record | ListOf, value: Any, problems: list[Problem]
    ) -> Loaded | None:
        """The part of a file with problems that has none, so the checks across files still run on it.

        Every problem is then reported in one run (a month outside the contract is found in the
        same run as a misspelt key two items further down). A list keeps its sound items; a record
        keeps its sound fields, but only while every required field is among them, since the
        checks across files rely on those.
        """
        faulty = {cascade.first_step(p.key) for p in problems}
        if None in faulty:
            return None
        if isinstance(schema, ListOf) and isinstance(node, YSeq):
            keep = [i for i in range(len(node.items)) if i not in faulty]
            values = [schema.item.convert(node.items[i], f"[{i}]", Checker(rel)) for i in keep]
            self.kept_items[rel] = keep
            self.left_out[rel] = [n for i, n in enumerate(node.items) if i in faulty]
            return Loaded(rel, values, YSeq([node.items[i] for i in keep], node.line))
        if isinstance(schema, Record) and isinstance(value, dict):
            sound = {k: v for k, v in value.items() if k not in faulty}
            if any(f.required and f.name not in sound for f in schema.fields):
                return None
            return Loaded(rel, sound, node)
        return None


def load_content(root: Path, today: dt.date | None = None) -> tuple[Content | None, list[Problem]]:
    """Load and validate the repository at ``root``. Returns (model or None, sorted problems).

    ``today`` (default: the build date, Asia/Shanghai) decides which result months have ended.
    """
    root = root.resolve()
    reader = _Reader(root)
    reader.problems += pathsafety.check_tree(root)
    reader.problems += upgrades.check_upgrades(root)
    reader.problems += docsfiles.check_docs(root)
    content_dir, stations_dir = root / "content", root / "stations"
    for required in (content_dir / "county.yml", content_dir / "indicators.yml"):
        if not required.is_file():
            reader.problems.append(
                Problem(
                    reader.rel(required),
                    None,
                    None,
                    "缺少这个文件",
                    "可以用 stationsite init 新建一个内容仓库，再把它复制过来修改",
                )
            )
    if not stations_dir.is_dir():
        reader.problems.append(Problem("stations", None, None, "缺少 stations/ 目录"))

    county = _if_file(content_dir / "county.yml", lambda p: reader.yaml_file(p, COUNTY))
    indicators = _if_file(content_dir / "indicators.yml", lambda p: reader.yaml_file(p, INDICATORS))
    allow = _if_file(content_dir / "privacy-allowlist.yml", lambda p: reader.yaml_file(p, ALLOWLIST))
    reader.problems += _unknown_entries(root, content_dir, CONTENT_FILES, "content/ 目录")
    rules = [reader.markdown_file(p, RULE) for p in _md_files(content_dir / "rules")]
    policies = [reader.markdown_file(p, POLICY) for p in _md_files(content_dir / "policies")]
    news = [reader.markdown_file(p, NEWS) for p in _md_files(content_dir / "news")]

    stations: dict[str, dict[str, Any]] = {}
    for sdir in sorted(p for p in stations_dir.iterdir() if p.is_dir()) if stations_dir.is_dir() else []:
        slug = sdir.name
        if not SLUG.regex.fullmatch(slug):
            reader.problems.append(
                Problem(
                    reader.rel(sdir),
                    None,
                    None,
                    f"站点目录名应为小写英文字母、数字或连字符，实际为 '{slug}'",
                    "目录名就是网址路径，请用乡镇名称的拼音小写，如 shicheng",
                )
            )
        reader.problems += _unknown_entries(root, sdir, STATION_FILES, "站点目录")
        if not (sdir / "station.yml").is_file():
            reader.problems.append(Problem(reader.rel(sdir / "station.yml"), None, None, "缺少站点信息文件"))
            continue
        stations[slug] = {
            "dir": sdir,
            "station": reader.yaml_file(sdir / "station.yml", STATION),
            "activities": _if_file(sdir / "activities.yml", lambda p: reader.yaml_file(p, ACTIVITIES)),
            "results": _if_file(sdir / "results.yml", lambda p: reader.yaml_file(p, RESULTS)),
            "rules": [reader.markdown_file(p, RULE) for p in _md_files(sdir / "rules")],
        }

    ok_rules = [r for r in rules if r]
    ok_news = [n for n in news if n]
    across = crosscheck.check_all(
        county=county,
        indicators=indicators,
        stations=stations,
        news=ok_news,
        county_rules=ok_rules,
        station_dirs_ok=stations_dir.is_dir(),
        today=today or build_date(),
    )
    reader.problems += cascade.without_consequences(across, reader.kept_items, reader.left_out)
    allowed = {(a["file"], a["value"]) for a in (allow.value if allow else [])}
    allowed |= cascade.allowed_leniently(
        root,
        "content/privacy-allowlist.yml" in reader.left_out
        or any(p.file == "content/privacy-allowlist.yml" for p in reader.problems),
    )
    published = _published_mobiles(root, stations)
    reader.problems += privacy.scan_tree(root, published, allowed)

    problems = sort_problems(cascade.in_words(reader.problems))
    if problems or county is None or indicators is None:
        return None, problems
    model = _build(county, indicators, stations, ok_rules, [p for p in policies if p], ok_news, allowed)
    return model, []


def _if_file(path: Path, load: Any) -> Any:
    return load(path) if path.is_file() else None


def _md_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def _unknown_entries(root: Path, folder: Path, known: set[str], where: str) -> list[Problem]:
    """A misspelt file name (``activites.yml``) must not be silently ignored."""
    import difflib

    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    for entry in sorted(folder.iterdir()):
        if entry.name in known or entry.name.startswith(".") or entry.name.lower() == "readme.md":
            continue
        close = difflib.get_close_matches(entry.name, sorted(known), n=1, cutoff=0.7)
        hint = f"是不是想写 '{close[0]}'？" if close else "可用的名称：" + "、".join(sorted(known))
        problems.append(
            Problem(entry.relative_to(root).as_posix(), None, None, f"{where}里不认识这个文件或目录", hint)
        )
    return problems


def _published_mobiles(root: Path, stations: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Staff phones by station.yml path: the one place a staff mobile may be written down."""
    out: dict[str, set[str]] = {}
    for slug, entry in stations.items():
        loaded = entry["station"]
        if not loaded:
            # The file has another problem (already reported); its staff phones are still staff
            # phones, so the privacy scanner must not add a confusing second error about them.
            rel = f"stations/{slug}/station.yml"
            out[rel] = cascade.staff_phones_leniently(root / rel)
            out.setdefault("*published*", set()).update(out[rel])
        if loaded:
            out[loaded.rel] = {s["phone"] for s in loaded.value.get("staff", []) if s.get("phone")}
            out.setdefault("*published*", set()).update(
                s["phone"] for s in loaded.value.get("staff", []) if s.get("phone") and s.get("public_phone")
            )
    return out


def _build(
    county: Loaded,
    indicators: Loaded,
    stations: dict[str, dict[str, Any]],
    rules: list[Loaded],
    policies: list[Loaded],
    news: list[Loaded],
    allowed: set[tuple[str, str]],
) -> Content:
    c = county.value
    programme = Programme(
        county=c["county"],
        authority=c["authority"],
        contractor=c["contractor"],
        programme=c["programme"],
        period_start=c["period"]["start"],
        period_end=c["period"]["end"],
        complaints=tuple(Complaint(**x) for x in c["complaints"]),
        disclosure_threshold=c.get("disclosure_threshold", 5),
        budget_yuan=c.get("budget_yuan"),
        funding=tuple((f["source"], f["yuan"]) for f in c.get("funding", [])),
        payments=tuple(
            Payment(p["after"], p["percent"], p.get("due"), p.get("met")) for p in c.get("payments", [])
        ),
        report_due_day=c.get("report_due_day", 25),
        sample=bool(c.get("sample", False)),
    )
    inds = tuple(
        Indicator(
            id=i["id"],
            name=i["name"],
            unit=i["unit"],
            domain=i["domain"],
            counts=i["counts"],
            target=Target(
                i["target"].get("county"),
                i["target"].get("per_station"),
                tuple(i["target"].get("stations", {}).items()),
                tuple(i["target"].get("kinds", [])),
            ),
            description=i.get("description", ""),
        )
        for i in indicators.value
    )
    built = [_build_station(slug, entry) for slug, entry in stations.items()]
    # What the county calls its stations: its own word, else the word most of its stations use.
    programme = replace(
        programme, network_name=c.get("network_name") or network_name((s.kind, s.name) for s in built)
    )
    return Content(
        programme=programme,
        indicators=inds,
        stations=tuple(_network_order(built)),
        rules=tuple(sorted((_rule(r, None) for r in rules), key=lambda r: (r.order, r.name))),
        policies=tuple(_policy(p) for p in policies),
        news=tuple(sorted((_news(n) for n in news), key=lambda n: (n.date, n.name), reverse=True)),
        allowed_values=frozenset(v for _, v in allowed),
    )


def _build_station(slug: str, entry: dict[str, Any]) -> Station:
    s = entry["station"].value
    acts = entry["activities"].value if entry["activities"] else []
    results = entry["results"].value if entry["results"] else []
    sig = s.get("signature_project")
    vol = s.get("volunteers")
    return Station(
        slug=slug,
        name=s["name"],
        kind=s["kind"],
        address=s["address"],
        phone=s["phone"],
        hours=tuple(OpeningHours(tuple(h["days"]), h["open"], h["close"]) for h in s["hours"]),
        domains=tuple(s["domains"]),
        staff=tuple(
            Staff(
                name=x["name"],
                role=x["role"],
                certified=x["certified"],
                duties=tuple(x.get("duties", [])),
                phone=x.get("phone"),
                public_phone=x.get("public_phone", False),
            )
            for x in s["staff"]
        ),
        parent=s.get("parent"),
        order=s.get("order"),
        since=s.get("since"),
        extra_plaques=tuple(s.get("extra_plaques", [])),
        rooms=tuple(s.get("rooms", [])),
        signature_project=(sig["name"], sig["summary"]) if sig else None,
        volunteers=(vol["team"], vol["members"]) if vol else None,
        activities=tuple(
            sorted(
                (occ for a in acts for occ in _dates_of_activity(slug, a)),
                key=lambda a: (a.date, a.start, a.title),
            )
        ),
        closures=tuple(sorted(Closure(c["from"], c["to"], c["reason"]) for c in s.get("closures", []))),
        results=tuple(
            sorted(
                (MonthResult(slug, r["month"], tuple(r["counts"].items()), r.get("note")) for r in results),
                key=lambda r: r.month,
            )
        ),
        own_rules=tuple(_rule(r, slug) for r in entry["rules"] if r),
    )


def _dates_of_activity(slug: str, a: dict[str, Any]) -> list[Activity]:
    """An activity as it happens: once, or on each date of its repeat (pages and posters list dates)."""
    fields = {k: v for k, v in a.items() if k != "repeat"}
    if "repeat" not in a:
        return [Activity(station=slug, **fields)]
    r = a["repeat"]
    repeat = Repeat(r["every"], r["until"], a["date"], tuple(sorted(r.get("except", []))))
    return [Activity(station=slug, **{**fields, "date": day}, repeat=repeat) for day in occurrences(repeat)]


def _network_order(stations: list[Station]) -> list[Station]:
    """Hub first, then each station followed by its children: the order of the network tree."""
    by_parent: dict[str | None, list[Station]] = {}
    for s in stations:
        by_parent.setdefault(s.parent, []).append(s)
    kind_rank = {"hub": 0, "street": 1, "township": 1, "community": 2}
    out: list[Station] = []

    def walk(parent: str | None) -> None:
        # The county's own order where it gives one (the procurement documents list the towns
        # county seat first), else by slug.
        siblings = sorted(
            by_parent.get(parent, []),
            key=lambda s: (kind_rank[s.kind], s.order is None, s.order if s.order is not None else 0, s.slug),
        )
        for s in siblings:
            out.append(s)
            walk(s.slug)

    walk(None)
    return out


def _stem(loaded: Loaded) -> str:
    return Path(loaded.rel).stem


def _rule(loaded: Loaded, station: str | None) -> Rule:
    v = loaded.value
    return Rule(
        _stem(loaded),
        v["title"],
        v.get("order", 100),
        loaded.body.strip(),
        loaded.rel,
        station,
        v.get("poster"),
    )


def _policy(loaded: Loaded) -> Policy:
    v = loaded.value
    return Policy(
        _stem(loaded),
        v["title"],
        v["domain"],
        v["who"],
        v["what"],
        tuple(v["how"]),
        tuple(v["documents"]),
        v["contact"],
        loaded.body.strip(),
        loaded.rel,
        tuple(v.get("aliases", ())),
    )


def _news(loaded: Loaded) -> NewsItem:
    v = loaded.value
    date: dt.date = v["date"]
    return NewsItem(
        _stem(loaded),
        v["title"],
        date,
        v["kind"],
        loaded.body.strip(),
        loaded.rel,
        v.get("station"),
        v.get("summary"),
    )
