"""A synthetic county of N stations with realistic content, for benchmarks.

The repository is the sample's ``content/``, ``docs/``, ``theme/`` and ``mkdocs.yml`` plus N stations:

- the sample's own stations first (the hub, then the nine towns; news items and the ``trainings``
  target name them), their activities moved by whole weeks so that the sample's "this week" is the
  week of the build date, and their monthly results made to run from the contract start to the
  month before the build date;
- then, beyond ten, generated township stations ``town0010``, ``town0011``… under the hub, each with
  its own plaque name, landline, 2–4 staff, opening hours, service domains, activities for the build
  week and the four weeks after it, and monthly results for every indicator that has a county or
  per-station target.

Everything is derived from the station number with a seeded ``random.Random``, so the same N and
build date give the same bytes. Phone numbers follow the sample's fictional patterns (landlines
``0593-2xxxxxx``, staff mobiles ``139xxxxxxxx`` written in the station's own ``staff`` list), so the
privacy scanner accepts them. With fewer than ten stations the news items' station references are
dropped. The result passes ``stationsite check``.

Run: ``python benchmarks/synthetic.py 250 /tmp/county`` (writes a repository you can build; the build
date is today, or ``SOURCE_DATE_EPOCH`` when set, as for ``stationsite build``).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.clock import build_date, week_of  # noqa: E402

TOP_LEVEL = ("content", "docs", "theme", "mkdocs.yml")
# What a copy of this repository's sample county leaves behind (tests/conftest.py and the
# benchmarks that copy the whole working tree): outputs, caches, the build's lock, tooling.
SAMPLE_COPY_IGNORE = (
    ".git",
    "site",
    ".site.*",  # the build lock (and leftovers) of a build in the working tree
    ".cache",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    "tests",
    "benchmarks",
    "node_modules",
    "test-artifacts",
    ".notes",
)
# The day the sample's activities were written around (tests pin it): its week becomes the build week.
SAMPLE_DAY = dt.date(2026, 11, 22)

TOWN_SYLLABLES = (
    "安宝长城大东丰福高广和华黄吉江金锦利良林龙梅南平浦清泉仁瑞沙山上石双水顺泰桃天田溪西仙祥新兴阳永玉云漳竹"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟"
)
GIVEN = "晓欣怡文斌建华丽娟志强秀英明辉海燕玉兰春梅国平小红伟芳静敏丹婷宇浩佳琪子涵思远雅琴德胜永福金凤"
DOMAINS = ["social_assistance", "elderly", "children", "social_affairs", "community"]
DUTIES = {
    "social_assistance": ["社会救助", "低保特困核查", "临时救助"],
    "elderly": ["养老服务", "留守老人关爱"],
    "children": ["儿童关爱保护", "未成年人保护"],
    "social_affairs": ["残疾人两项补贴", "婚姻家庭辅导"],
    "community": ["志愿者管理", "社区活动"],
}
ROOMS = ["办公室", "个案咨询室", "小组活动室", "儿童之家", "档案室", "老年人活动室", "心理疏导室"]
HOURS = [
    [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:00", "close": "12:00"},
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "14:30", "close": "17:30"},
    ],
    [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:30", "close": "12:00"},
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "14:00", "close": "17:30"},
        {"days": ["sat"], "open": "08:30", "close": "11:30"},
    ],
    [
        {"days": ["mon", "tue", "wed", "thu"], "open": "08:00", "close": "12:00"},
        {"days": ["mon", "tue", "wed", "thu"], "open": "15:00", "close": "18:00"},
        {"days": ["fri"], "open": "08:00", "close": "12:00"},
    ],
]
# (title, kind, domain, place, audience, start, end): the kinds of activity the sample's towns run.
ACTIVITIES = [
    ("独居老人巡访", "service", "elderly", "辖区各村（入户）", "空巢、独居老人", "09:00", "11:30"),
    ("困境儿童四点半课堂", "service", "children", "儿童之家", "困境儿童、留守儿童", "16:00", "17:30"),
    (
        "低保政策宣讲进村",
        "talk",
        "social_assistance",
        "村级综合服务中心",
        "低保对象及低收入家庭",
        "09:00",
        "11:00",
    ),
    ("银龄手机课堂小组", "group", "elderly", "小组活动室", "60岁以上老年人", "15:00", "16:30"),
    ("留守儿童情绪管理小组", "group", "children", "小组活动室", "留守儿童", "15:00", "16:30"),
    (
        "困难群众冬春救助入户排查",
        "service",
        "social_assistance",
        "辖区各村（入户）",
        "低收入家庭",
        "09:00",
        "11:30",
    ),
    ("残疾人两项补贴政策宣讲", "talk", "social_affairs", "乡便民服务中心", "残疾人及家属", "09:00", "11:00"),
    ("防范养老诈骗宣传", "talk", "elderly", "镇区农贸市场门口", "老年人及家属", "09:00", "11:00"),
    ("冬季防火安全宣讲", "talk", "community", "社区活动中心", "辖区居民", "09:00", "10:30"),
    ("志愿者技能培训", "training", "community", "小组活动室", "志愿者", "14:30", "16:30"),
    ("暖冬送温暖主题活动", "event", "elderly", "镇综合文化站", "高龄、独居老人", "09:00", "11:00"),
    ("婚姻家庭辅导开放日", "service", "social_affairs", "个案咨询室", "有需要的家庭", "09:00", "11:00"),
]


def make_county(dest: Path, stations: int, today: dt.date | None = None) -> Path:
    """Write a repository with ``stations`` stations (the hub included) into ``dest``."""
    if stations < 1:
        raise ValueError("a county has at least its hub")
    today = today or build_date()
    dest.mkdir(parents=True, exist_ok=True)
    for name in TOP_LEVEL:
        src = ROOT / name
        shutil.copytree(src, dest / name) if src.is_dir() else shutil.copy(src, dest / name)
    county = yaml.safe_load((dest / "content" / "county.yml").read_text(encoding="utf-8"))
    months = _months(county["period"]["start"], county["period"]["end"], today)
    indicators = yaml.safe_load((dest / "content" / "indicators.yml").read_text(encoding="utf-8"))
    # Indicators targeted at named stations (the hub's trainings) are not a town's work.
    town_indicators = [i for i in indicators if "stations" not in i["target"]]

    models = sorted(p for p in (ROOT / "stations").iterdir() if p.is_dir() and p.name != "hub")
    for model in [ROOT / "stations" / "hub", *models[: stations - 1]]:
        copy = dest / "stations" / model.name
        shutil.copytree(model, copy)
        _move_activities(copy / "activities.yml", today)
        if today != SAMPLE_DAY:
            _drop_closures(copy / "station.yml")
        _fit_results(copy / "results.yml", months, town_indicators, random.Random(model.name))
    if stations < len(models) + 1:
        for news in (dest / "content" / "news").glob("*.md"):
            news.write_text(
                re.sub(r"(?m)^station: .*\n", "", news.read_text(encoding="utf-8")), encoding="utf-8"
            )
    for i in range(len(models) + 1, stations):
        _write_town(dest / "stations" / f"town{i:04d}", i, today, months, town_indicators)
    return dest


def _months(start: dt.date, end: dt.date, today: dt.date) -> list[str]:
    """The months from the contract start to the month before ``today`` (within the contract)."""
    out, year, month = [], start.year, start.month
    while (year, month) < (today.year, today.month) and (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _move_activities(path: Path, today: dt.date) -> None:
    """Shift the sample's activity dates by whole weeks (weekdays kept) to the build week."""
    weeks = (week_of(today)[0] - week_of(SAMPLE_DAY)[0]).days // 7
    if not weeks or not path.is_file():
        return
    shift = dt.timedelta(weeks=weeks)
    text = re.sub(
        r"(?m)^(\s*-?\s*date: )(\d{4}-\d{2}-\d{2})",
        lambda m: m[1] + (dt.date.fromisoformat(m[2]) + shift).isoformat(),
        path.read_text(encoding="utf-8"),
    )
    path.write_text(_shift_repeats(text, shift), encoding="utf-8")


def _shift_repeats(text: str, shift: dt.timedelta) -> str:
    """A repeat's exceptions move with its first date; a monthly repeat becomes fortnightly, since a
    first date moved by whole weeks may fall in a month's fifth week, which no monthly rule has."""

    def one(m: re.Match[str]) -> str:
        line = re.sub(
            r"except: \[([^\]]*)\]",
            lambda e: (
                "except: ["
                + ", ".join(
                    (dt.date.fromisoformat(d.strip()) + shift).isoformat()
                    for d in e[1].split(",")
                    if d.strip()
                )
                + "]"
            ),
            m[0],
        )
        return line.replace("every: month", "every: 2 weeks")

    return re.sub(r"(?m)^\s*repeat: \{.*$", one, text)


def _drop_closures(path: Path) -> None:
    """The sample's closures are on fixed dates; activities moved to another week may fall on them."""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^closures:.*\n(  .*\n)*", "", text), encoding="utf-8")


def _fit_results(path: Path, months: list[str], indicators: list[dict], rng: random.Random) -> None:
    """Keep the sample's months before the build month; after the sample's last month, add towns' ones."""
    rows = (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.is_file() else []
    if (
        not rows
        or [r["month"] for r in rows if r["month"] in months] == [r["month"] for r in rows]
        and months[-1:] == [rows[-1]["month"]]
    ):
        return  # the sample as written (its own date, or a date in the following month): keep its comments
    last = rows[-1]["month"]
    # The hub reports only its own trainings in a few months: it gets no made-up town rows.
    extra = (
        [{"month": m, "counts": _counts(indicators, rng)} for m in months if m > last]
        if len(rows) > 3
        else []
    )
    _dump(path, [r for r in rows if r["month"] in months] + extra)


def _counts(indicators: list[dict], rng: random.Random) -> dict[str, int]:
    """One month of a town station's aggregate counts, of the sample's order of magnitude."""
    scale = {
        "home_visits": (30, 70),
        "theme_events": (0, 1),
        "theme_event_participants": (0, 110),
        "special_activities": (0, 2),
        "special_activity_participants": (0, 60),
        "volunteers_registered": (0, 4),
        "volunteer_participations": (4, 16),
        "casework_cases": (0, 2),
        "casework_sessions": (0, 3),
        "groups": (0, 1),
        "group_sessions": (0, 2),
    }
    counts = {}
    for ind in indicators:
        low, high = scale.get(ind["id"], (0, 5))
        value = rng.randint(low, high)
        if value:  # months leave out what they did not do, as the sample's do
            counts[ind["id"]] = value
    return counts


def _write_town(folder: Path, i: int, today: dt.date, months: list[str], indicators: list[dict]) -> None:
    rng = random.Random(i)
    town = rng.choice(TOWN_SYLLABLES) + rng.choice(TOWN_SYLLABLES)
    kind = "镇" if i % 3 else "乡"
    domains = sorted(rng.sample(DOMAINS, rng.randint(3, 5)), key=DOMAINS.index)
    staff = []
    for k in range(rng.randint(2, 4)):
        duties = [d for dom in rng.sample(domains, min(2, len(domains))) for d in DUTIES[dom][:1]]
        person = {
            "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
            "role": "站长" if k == 0 else "驻站社工",
            "certified": rng.random() < 0.6,
            "duties": duties,
        }
        if k == 0 or rng.random() < 0.3:
            # The staff's own (fictional) mobile, written in the station's staff list as the sample does.
            person["phone"] = f"139{i:04d}{k:04d}"
            person["public_phone"] = k == 0
        staff.append(person)
    station = {
        "name": f"周宁县{town}{kind}第{i}民政服务站",
        "kind": "township",
        "parent": "hub",
        "address": f"周宁县{town}{kind}{town}路{i % 97 + 1}号（{kind}便民服务中心）",
        "phone": f"0593-{2000000 + i}",
        "hours": HOURS[i % len(HOURS)],
        "rooms": rng.sample(ROOMS, rng.randint(2, 5)),
        "domains": domains,
        "staff": staff,
        "volunteers": {"team": f"{town}{kind}志愿服务队", "members": rng.randint(8, 40)},
    }
    if rng.random() < 0.5:
        station["signature_project"] = {
            "name": f"{town}暖心行动",
            "summary": "为辖区空巢、独居老人和困境儿童提供定期探访与结对帮扶",
        }
    monday = week_of(today)[0]
    activities = []
    for week in range(5):  # the build week and the four after it
        for day in sorted(rng.sample(range(6), rng.randint(2, 4))):
            title, akind, domain, place, audience, start, end = rng.choice(ACTIVITIES)
            activities.append(
                {
                    "date": monday + dt.timedelta(weeks=week, days=day),
                    "start": start,
                    "end": end,
                    "title": title,
                    "kind": akind,
                    "domain": domain,
                    "place": place,
                    "audience": audience,
                }
            )
    folder.mkdir(parents=True)
    _dump(folder / "station.yml", station)
    _dump(folder / "activities.yml", activities)
    _dump(folder / "results.yml", [{"month": m, "counts": _counts(indicators, rng)} for m in months])


def _dump(path: Path, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    # Times and months must stay strings ("08:30" read bare is a sexagesimal number in YAML 1.1).
    text = re.sub(
        r"(?m)^(\s*-?\s*(?:open|close|start|end|month|phone): )'?([0-9][0-9:\-]*)'?$", r'\1"\2"', text
    )
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("用法：python benchmarks/synthetic.py 站点数 输出目录", file=sys.stderr)
        return 2
    out = make_county(Path(argv[1]), int(argv[0]))
    print(f"已生成 {argv[0]} 个站点的示例县：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
