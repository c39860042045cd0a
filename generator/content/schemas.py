"""The content contract: one declared schema per file kind (see DESIGN.md, "The content contract").

Keys are English, values Chinese. These declarations are the single source for validation, error
messages and the field reference in the editors' guide.
"""

from __future__ import annotations

from typing import Any

from generator.content.repeats import EVERY, MAX_OCCURRENCES, dates_of, week_of_month
from generator.content.schema_types import (
    Bool,
    Checker,
    Date,
    Enum,
    Field,
    Int,
    ListOf,
    MapOf,
    Month,
    Pattern,
    Record,
    Text,
    Time,
    line_of,
)
from generator.content.sourcefile import YMap, YSeq

# Examples in the field reference. The site's copy (guide/fields.md) swaps them for the county's own
# (generator/site/pages/guide.py), so no county's reference names another county or network.
EXAMPLE_COUNTY = "××县"
EXAMPLE_STATION = "××县××镇社工站"
EXAMPLE_NETWORK = "社工站"
EXAMPLE_AREA = "0000"

DOMAINS = {
    "social_assistance": "社会救助",
    "elderly": "养老服务",
    "children": "儿童福利",
    "social_affairs": "社会事务",
    "community": "社区治理与志愿服务",
    "capacity": "能力建设",
}
STATION_KINDS = {"hub": "社工总站", "street": "街道站", "township": "乡镇站", "community": "社区社工室"}
ROLES = {"站长": "站长", "驻站社工": "驻站社工", "督导": "督导", "项目经理": "项目经理"}
WEEKDAYS = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}
ACTIVITY_KINDS = {
    "event": "主题活动",
    "group": "小组",
    "talk": "政策宣讲",
    "training": "培训",
    "service": "服务",
}
UNITS = {u: u for u in ("人次", "场", "个", "户", "节", "小时", "份", "人", "次")}
COUNTS = {"contacts": "人次、场次、时长等（可公开）", "people": "不同的人数（小数字需隐藏）"}
NEWS_KINDS = {"news": "新闻", "brief": "月度简报", "case": "服务案例"}
# The poster a rule becomes (front matter ``poster``); a rule without it is a text rule poster.
RULE_POSTERS = {"flow": "服务流程海报：第一个编号列表印成步骤，每步写明本站电话、开放时间和找谁"}

SLUG = Pattern(
    "小写英文字母、数字或连字符（如 shicheng）",
    r"[a-z0-9][a-z0-9-]*",
    "用乡镇名称的拼音小写，如 shicheng、qibu",
    doc_name="站点代号",
)
INDICATOR_ID = Pattern("小写英文标识（如 home_visits）", r"[a-z][a-z0-9_]*", doc_name="指标代号")
PHONE = Pattern(
    "电话号码",
    r"(0\d{2,3}-?\d{7,8}(-\d{1,5})?|1[3-9]\d{9}|1\d{4}|[48]00-?\d{3}-?\d{4})",
    "座机写成 0593-1234567，手机写 11 位数字，并加英文引号",
    doc_name="电话号码（座机 0593-1234567 或 11 位手机，加引号）",
)
TIME = Time()


def _period_order(values: dict[str, Any], node: YMap, path: str, ck: Checker) -> None:
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        ck.add(line_of(node, "end"), f"{path}.end", f"结束日期 {end} 早于开始日期 {start}")


def _open_before_close(values: dict[str, Any], node: YMap, path: str, ck: Checker) -> None:
    if values.get("open") and values.get("close") and values["close"] <= values["open"]:
        ck.add(
            line_of(node, "close"),
            f"{path}.close",
            f"关门时间 {values['close']} 应晚于开门时间 {values['open']}",
        )


def _ends_after_start(values: dict[str, Any], node: YMap, path: str, ck: Checker) -> None:
    if values.get("start") and values.get("end") and values["end"] <= values["start"]:
        ck.add(
            line_of(node, "end"),
            f"{path}.end",
            f"活动结束时间 {values['end']} 应晚于开始时间 {values['start']}",
            "跨过午夜的活动请拆成两条",
        )


def _closure_order(values: dict[str, Any], node: YMap, path: str, ck: Checker) -> None:
    start, end = values.get("from"), values.get("to")
    if start and end and end < start:
        ck.add(line_of(node, "to"), f"{path}.to", f"闭站结束日期 {end} 早于开始日期 {start}")


def _repeat_fits(values: dict[str, Any], node: YMap, path: str, ck: Checker) -> None:
    """A repeat must start on the activity's date and end after it, and its exceptions be its dates."""
    rep, first = values.get("repeat"), values.get("date")
    if not rep or not first or "every" not in rep or "until" not in rep:
        return
    rnode = node.entries["repeat"][1]
    rpath = f"{path}.repeat"
    if rep["until"] < first:
        ck.add(
            line_of(rnode, "until") if isinstance(rnode, YMap) else None,
            f"{rpath}.until",
            f"重复截止日期 {rep['until']} 早于活动日期 {first}",
        )
        return
    if rep["every"] == "month" and week_of_month(first) == 5:
        ck.add(
            line_of(rnode, "every") if isinstance(rnode, YMap) else None,
            f"{rpath}.every",
            f"{first} 是当月第 5 个星期{'一二三四五六日'[first.weekday()]}，不是每个月都有",
            "每月重复的活动请把第一次定在当月前四周内，或改用 every: week / 逐条填写",
        )
        return
    dates = dates_of(rep["every"], first, rep["until"])
    if len(dates) > MAX_OCCURRENCES:
        ck.add(
            line_of(rnode, "until") if isinstance(rnode, YMap) else None,
            f"{rpath}.until",
            f"重复次数超过 {MAX_OCCURRENCES} 次",
            "截止日期写到合同期结束即可",
        )
        return
    exc = rnode.entries.get("except") if isinstance(rnode, YMap) else None
    for i, day in enumerate(rep.get("except", [])):
        if day not in dates:
            seq = exc[1] if exc and isinstance(exc[1], YSeq) else None
            line = seq.items[i].line if seq and i < len(seq.items) else None
            ck.add(
                line,
                f"{rpath}.except[{i}]",
                f"{day} 不是这项活动重复的日期",
                f"从 {first} 起{EVERY[rep['every']]}重复；except 里只写要取消的那几次",
            )


COMPLAINT = Record(
    "投诉建议渠道",
    [
        Field("label", Text(), "渠道名称", example="县民政局监督电话"),
        Field("phone", PHONE, "电话", required=False, example=f'"{EXAMPLE_AREA}-0000000"'),
        Field("address", Text(), "地址或信箱", required=False),
        Field("email", Pattern("电子邮箱", r"[^@\s]+@[^@\s]+\.[^@\s]+"), "电子邮箱", required=False),
    ],
)

COUNTY = Record(
    "项目信息 content/county.yml",
    [
        Field("county", Text(), "县（区）名称", example=EXAMPLE_COUNTY),
        Field("authority", Text(), "购买主体（县民政局）"),
        Field("contractor", Text(), "承接机构"),
        Field("programme", Text(), "项目名称"),
        Field(
            "period",
            Record(
                "合同期",
                [
                    Field("start", Date(), "合同开始日期"),
                    Field("end", Date(), "合同结束日期"),
                ],
                checks=[_period_order],
            ),
            "合同期 {start, end}",
            example="{start: 2026-01-01, end: 2026-12-31}",
        ),
        Field("budget_yuan", Int(), "项目预算（元）", required=False),
        Field(
            "funding",
            ListOf(
                Record(
                    "资金来源",
                    [
                        Field("source", Text(), "来源"),
                        Field("yuan", Int(), "金额（元）"),
                    ],
                )
            ),
            "资金来源，合计须等于预算",
            required=False,
        ),
        Field(
            "payments",
            ListOf(
                Record(
                    "付款节点",
                    [
                        Field("after", Text(), "付款条件"),
                        Field("percent", Int(), "比例（%）"),
                        Field("due", Date(), "计划完成日期（如中期评估的日期）", required=False),
                        Field(
                            "met",
                            Date(),
                            "实际达成日期；写了即公示为“已达成”，不写为“尚未达成”",
                            required=False,
                        ),
                    ],
                )
            ),
            "付款节点，比例合计 100",
            required=False,
        ),
        Field("complaints", ListOf(COMPLAINT, min_items=1), "投诉建议方式（每个站点页面和公示栏都会显示）"),
        Field(
            "disclosure_threshold",
            Int(minimum=1, expected="正整数"),
            "小于此数的人数显示为“<5”，默认 5",
            required=False,
            label="小数隐藏阈值",
        ),
        Field(
            "report_due_day",
            Int(minimum=1, expected="1 至 28 的整数"),
            "各站每月成效的填报截止日：次月的这一天（默认 25）；过了这一天还没填报的月份公示为“逾期未报”",
            required=False,
        ),
        Field(
            "network_name",
            Text(),
            "本县对站点的叫法，用在网站标题、海报、日历和新闻订阅里；不写时按多数站点的标牌名称推断",
            required=False,
            example=EXAMPLE_NETWORK,
        ),
        Field(
            "sample",
            Bool(),
            "只在软件自带的演示内容里写 true：网站会说明其中的人名、电话和数字都不是真的",
            required=False,
        ),
    ],
    doc="整个购买服务项目的基本信息。",
)

INDICATOR = Record(
    "指标",
    [
        Field("id", INDICATOR_ID, "指标代号，results.yml 中引用", example="home_visits"),
        Field("name", Text(), "指标名称", example="常态化巡访"),
        Field("unit", Enum(UNITS, "单位"), "单位"),
        Field("domain", Enum(DOMAINS, "服务领域"), "服务领域"),
        Field("counts", Enum(COUNTS, "计数方式"), "计数方式：contacts 人次/场次，people 不同的人数"),
        Field(
            "target",
            Record(
                "合同目标",
                [
                    Field("county", Int(), "全县目标", required=False),
                    Field(
                        "per_station",
                        Int(),
                        "每个站点的目标；适用于 kinds 列出的站点类型，不写 kinds 时适用于社工总站以外的每个站点",
                        required=False,
                    ),
                    Field(
                        "stations",
                        MapOf(SLUG, Int(), "站点代号"),
                        "逐站目标（只有列出的站点计入）",
                        required=False,
                    ),
                    Field(
                        "kinds",
                        ListOf(Enum(STATION_KINDS, "站点类型"), min_items=1, unique=True),
                        "与 per_station 或 county 同用：计入目标的站点类型，如 [township, street]；"
                        "全县进度只比较这些站点的合计与目标，其他站点的数量另行列出",
                        required=False,
                        example="[township, street]",
                        label="计入目标的站点类型",
                    ),
                ],
                exactly_one_of=("county", "per_station", "stations"),
            ),
            "合同目标：{county: N}、{per_station: N} 或 {stations: {代号: N}} 三选一；"
            "全县进度只比较计入目标的站点的合计，其他站点“另计”",
        ),
        Field("description", Text(), "指标说明（来自合同）", required=False),
    ],
)
INDICATORS = ListOf(INDICATOR, min_items=1)

REPEAT = Record(
    "重复",
    [
        Field(
            "every",
            Enum(
                {"week": "每周", "2 weeks": "每两周", "month": "每月同一个第几个星期几"},
                "重复周期",
            ),
            "重复周期：week 每周、2 weeks 每两周、month 每月（如每月第 2 个周二）",
            example="week",
            label="重复周期",
        ),
        Field("until", Date(), "重复到哪一天为止（含这一天）", example="2027-06-30", label="截止日期"),
        Field(
            "except",
            ListOf(Date(), unique=True),
            "这几天不办（节假日、改期）",
            required=False,
            example="[2027-01-26]",
            label="不办的日期",
        ),
    ],
)

CLOSURE = Record(
    "闭站",
    [
        Field("from", Date(), "闭站第一天", example="2026-12-31"),
        Field("to", Date(), "闭站最后一天（含这一天）", example="2027-01-03", label="闭站最后一天"),
        Field("reason", Text(max_len=40), "闭站原因", example="元旦假期闭站"),
    ],
    checks=[_closure_order],
)

HOURS = Record(
    "开放时间",
    [
        Field(
            "days",
            ListOf(Enum(WEEKDAYS, "星期"), min_items=1, unique=True),
            "星期几",
            example="[mon, tue, wed, thu, fri]",
        ),
        Field("open", TIME, "开门时间", example='"08:30"'),
        Field("close", TIME, "关门时间", example='"12:00"'),
    ],
    checks=[_open_before_close],
)

STAFF = Record(
    "工作人员",
    [
        Field("name", Text(), "姓名"),
        Field("role", Enum(ROLES, "岗位"), "岗位"),
        Field("certified", Bool(), "是否持有社会工作者职业资格证书", label="持证社工"),
        Field("duties", ListOf(Text()), "分工", required=False),
        Field("phone", PHONE, "手机（只有 public_phone: true 时才公开）", required=False),
        Field("public_phone", Bool(), "是否公开本人手机，默认 false", required=False),
    ],
)

STATION = Record(
    "站点 stations/<代号>/station.yml",
    [
        Field("name", Text(), "标牌名称", example=EXAMPLE_STATION),
        Field("kind", Enum(STATION_KINDS, "站点类型"), "站点类型"),
        Field("parent", SLUG, "上级站点代号（二级/三级网络）", required=False, example="hub"),
        Field(
            "order",
            Int(),
            "在同一上级下的排列顺序，小的在前（不写则排在后面，按代号排列）",
            required=False,
            label="排列顺序",
            example="1",
        ),
        Field(
            "since",
            Month(),
            "开始运行的月份（合同期中新增的站点填写）：之前的月份不要求填报，时间进度从这个月算起",
            required=False,
            example="2026-06",
        ),
        Field("extra_plaques", ListOf(Text()), "加挂的牌子", required=False),
        Field("address", Text(), "地址"),
        Field("phone", PHONE, "站点电话"),
        Field("hours", ListOf(HOURS, min_items=1), "开放时间"),
        Field("rooms", ListOf(Text()), "功能室", required=False),
        Field("domains", ListOf(Enum(DOMAINS, "服务领域"), min_items=1, unique=True), "服务领域"),
        Field(
            "signature_project",
            Record(
                "一站一品",
                [
                    Field("name", Text(), "项目名称"),
                    Field("summary", Text(), "一句话介绍"),
                ],
            ),
            "一站一品特色项目",
            required=False,
        ),
        Field("staff", ListOf(STAFF, min_items=1), "工作人员"),
        Field(
            "volunteers",
            Record(
                "志愿者队伍",
                [
                    Field("team", Text(), "队伍名称"),
                    Field("members", Int(), "人数"),
                ],
            ),
            "志愿者队伍",
            required=False,
        ),
        Field(
            "closures",
            ListOf(CLOSURE),
            "节假日或临时闭站：[{from: 日期, to: 日期, reason: 原因}]；闭站前两周起在网站和公示栏上提示",
            required=False,
            example="[{from: 2026-12-31, to: 2027-01-03, reason: 元旦假期闭站}]",
            label="闭站",
        ),
    ],
    doc="一个站点的基本信息、开放时间和工作人员。",
)

ACTIVITY = Record(
    "活动",
    [
        Field("date", Date(), "日期", example="2026-11-24"),
        Field("start", TIME, "开始时间", example='"09:00"'),
        Field("end", TIME, "结束时间", example='"11:00"'),
        Field("title", Text(max_len=60), "活动名称"),
        Field("kind", Enum(ACTIVITY_KINDS, "活动类型"), "活动类型"),
        Field("domain", Enum(DOMAINS, "服务领域"), "服务领域"),
        Field("place", Text(), "地点"),
        Field("audience", Text(), "服务对象", required=False),
        Field("id", SLUG, "固定编号（可选；改期后日历订阅仍能识别同一活动）", required=False),
        Field(
            "repeat",
            REPEAT,
            "重复的活动只写一次：{every: week, until: 2027-06-30}，可加 except: [不办的日期]",
            required=False,
            example="{every: week, until: 2027-06-30}",
            label="重复",
        ),
    ],
    checks=[_ends_after_start, _repeat_fits],
)
ACTIVITIES = ListOf(ACTIVITY)

RESULT = Record(
    "月度成效",
    [
        Field("month", Month(), "月份", example="2026-10"),
        Field(
            "counts",
            MapOf(INDICATOR_ID, Int(), "指标代号"),
            "各指标本月数量（只填汇总数）",
            example="{home_visits: 312, theme_events: 1}",
        ),
        Field("note", Text(), "说明", required=False),
    ],
)
RESULTS = ListOf(RESULT)

RULE = Record(
    "制度 front matter",
    [
        Field("title", Text(), "制度名称", example="首问责任制"),
        Field("order", Int(), "排列顺序", required=False),
        Field(
            "poster",
            Enum(RULE_POSTERS, "海报类型"),
            "印成哪种海报（可选）：flow 为服务流程海报；不填为普通制度海报",
            required=False,
            example="flow",
        ),
    ],
)

POLICY = Record(
    "办事指南 front matter",
    [
        Field("title", Text(), "政策名称", example="最低生活保障"),
        Field(
            "aliases",
            ListOf(Text()),
            "群众常说的简称或别名（可选；搜索这些词也能找到本指南）",
            required=False,
            example="[低保]",
        ),
        Field("domain", Enum(DOMAINS, "服务领域"), "服务领域"),
        Field("who", Text(), "适用对象：谁可以申请"),
        Field("what", Text(), "内容及标准：能得到什么"),
        Field("how", ListOf(Text(), min_items=1), "申请流程：按顺序写出每一步"),
        Field("documents", ListOf(Text(), min_items=1), "所需材料"),
        Field("contact", Text(), "咨询电话或经办单位"),
    ],
)

NEWS = Record(
    "新闻 front matter",
    [
        Field("title", Text(), "标题"),
        Field("date", Date(), "发布日期"),
        Field("kind", Enum(NEWS_KINDS, "类别"), "类别"),
        Field("station", SLUG, "相关站点代号", required=False),
        Field(
            "anonymised",
            Bool(),
            "服务案例必须写 anonymised: true，表示已去除可识别信息",
            required=False,
            label="已去除可识别信息",
        ),
        Field("summary", Text(), "摘要", required=False),
    ],
)

ALLOWLIST = ListOf(
    Record(
        "隐私检查例外",
        [
            Field("file", Text(), "文件路径（相对仓库）"),
            Field("value", Text(), "允许出现的号码"),
            Field("reason", Text(), "为什么可以公开"),
        ],
    )
)

# File kind → (schema, where it lives); the field reference documents them in this order.
FILE_KINDS: list[tuple[str, Record | ListOf]] = [
    ("content/county.yml", COUNTY),
    ("content/indicators.yml", INDICATORS),
    ("stations/<代号>/station.yml", STATION),
    ("stations/<代号>/activities.yml", ACTIVITIES),
    ("stations/<代号>/results.yml", RESULTS),
    ("content/rules/*.md、stations/<代号>/rules/*.md", RULE),
    ("content/policies/*.md", POLICY),
    ("content/news/*.md", NEWS),
    ("content/privacy-allowlist.yml", ALLOWLIST),
]
