"""Small content repositories for the results tests: written as real files, loaded by the real loader.

``write_county(root, stations, indicators, results, …)`` turns a copy of the sample repository into
another county: its stations replaced (station.yml from the sample's shicheng, with the given kind,
parent and since), its indicators and results replaced, its news removed (they name sample stations).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.content.load import load_content


def _station_yml(sample: str, name: str, kind: str, parent: str | None, since: str | None) -> str:
    text = re.sub(r"(?m)^name: .*$", f"name: {name}", sample)
    text = re.sub(r"(?m)^kind: .*$", f"kind: {kind}", text)
    text = re.sub(r"(?m)^(parent|order|extra_plaques): .*\n", "", text)
    if parent:
        text = text.replace(f"kind: {kind}\n", f"kind: {kind}\nparent: {parent}\n", 1)
    if since:
        text = text.replace(f"kind: {kind}\n", f"kind: {kind}\nsince: {since}\n", 1)
    return text


def write_county(
    root: Path,
    stations: list[tuple[str, str, str, str | None, str | None]],  # slug, name, kind, parent, since
    indicators: list[dict[str, Any]],
    results: dict[str, dict[str, dict[str, int]]],  # slug → month → counts
    *,
    period: tuple[str, str] = ("2026-01-01", "2026-12-31"),
    due_day: int | None = None,
) -> None:
    sample = (root / "stations/shicheng/station.yml").read_text(encoding="utf-8")
    shutil.rmtree(root / "stations")
    for item in (root / "content/news").glob("*.md"):
        item.unlink()
    county = (root / "content/county.yml").read_text(encoding="utf-8")
    county = re.sub(r"(?m)^period: .*$", f"period: {{start: {period[0]}, end: {period[1]}}}", county)
    county = re.sub(r"(?m)^report_due_day: .*\n", "", county)
    if due_day is not None:
        county += f"report_due_day: {due_day}\n"
    (root / "content/county.yml").write_text(county, encoding="utf-8")
    (root / "content/indicators.yml").write_text(
        yaml.safe_dump(indicators, allow_unicode=True), encoding="utf-8"
    )
    for slug, name, kind, parent, since in stations:
        folder = root / "stations" / slug
        folder.mkdir(parents=True)
        (folder / "station.yml").write_text(_station_yml(sample, name, kind, parent, since), encoding="utf-8")
    write_results(root, results)


def write_results(root: Path, results: dict[str, dict[str, dict[str, int]]]) -> None:
    for folder in (root / "stations").iterdir():
        months = results.get(folder.name, {})
        rows = [{"month": m, "counts": dict(months[m])} for m in sorted(months)]
        path = folder / "results.yml"
        if rows:
            # Months as strings: YAML would read 2026-01 as text anyway, but be explicit.
            path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        elif path.exists():
            path.unlink()


def load(root: Path, today: dt.date):
    content, problems = load_content(root, today=today)
    assert not problems, "\n".join(map(str, problems))
    return content


def three_level(root: Path) -> None:
    """A hub, a street and a township station, two community rooms under each, every indicator kind."""
    stations = [
        ("hub", "示例县社工总站", "hub", None, None),
        ("jiedao", "示例县城关街道社工站", "street", "hub", None),
        ("xiangzhen", "示例县东山镇社工站", "township", "hub", None),
        ("sq-a", "示例县城关街道甲社区社工室", "community", "jiedao", None),
        ("sq-b", "示例县城关街道乙社区社工室", "community", "jiedao", None),
        ("sq-c", "示例县东山镇丙社区社工室", "community", "xiangzhen", None),
        ("sq-d", "示例县东山镇丁社区社工室", "community", "xiangzhen", "2026-05"),
    ]
    indicators = [
        {"id": "visits", "name": "入户访视", "unit": "人次", "domain": "social_assistance", "counts": "contacts",
         "target": {"per_station": 200}},
        {"id": "town_events", "name": "街镇主题活动", "unit": "场", "domain": "community", "counts": "contacts",
         "target": {"per_station": 6, "kinds": ["township", "street"]}},
        {"id": "exchanges", "name": "人才交流会", "unit": "次", "domain": "capacity", "counts": "contacts",
         "target": {"stations": {"hub": 2, "jiedao": 1}}},
        {"id": "publicity", "name": "宣传资料", "unit": "份", "domain": "community", "counts": "contacts",
         "target": {"county": 600}},
        {"id": "cases", "name": "个案服务对象", "unit": "人", "domain": "social_assistance", "counts": "people",
         "target": {"per_station": 5}},
    ]  # fmt: skip
    results: dict[str, dict[str, dict[str, int]]] = {}
    for i, (slug, _, kind, _, since) in enumerate(stations):
        for m in range(1, 11):
            month = f"2026-{m:02d}"
            if since and month < since:
                continue
            counts = {"visits": 10 + i + m, "publicity": 5 * i + m, "cases": (i + m) % 4}
            if kind in ("township", "street", "community") and m % 3 == 0:
                counts["town_events"] = 1  # community rooms too: counted apart
            if slug in ("hub", "jiedao", "sq-a") and m in (4, 9):
                counts["exchanges"] = 1  # sq-a is not in the stations target
            results.setdefault(slug, {})[month] = counts
    write_county(root, stations, indicators, results)
