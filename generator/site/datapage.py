"""The /data/ page: what each open data file holds, its licence, and the calendar subscriptions.

Markdown with raw HTML; no MkDocs import. Links to the data files are Markdown links to files of
the docs tree (generator/site/outputs.py), which every engine checks and rewrites.
"""

from __future__ import annotations

from html import escape

from generator.content.model import Content
from generator.site.resultstables import md

LICENCE = "知识共享署名 4.0 国际许可协议（CC BY 4.0）"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"


def open_data_page_markdown(content: Content, site_url: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    host_path = base.split("://", 1)[1] if "://" in base else base
    out = [
        "# 开放数据",
        "",
        f"{md(content.programme.programme)}的服务成效、站点信息和活动日历，可以下载、转载和再利用。",
        "",
        f"**许可**：数据文件采用[{LICENCE}]({LICENCE_URL})，使用时请注明来源“{md(content.programme.site_title)}"
        "公示网站”。" + ("本站为示例县，**数据均为虚构**，仅供演示。" if content.programme.sample else ""),
        "",
        "每次网站更新时重新生成；人数少于规定值的数字按[小数字的隐藏规则](about.md#disclosure)隐藏，"
        "其他人数（包括合计）四舍五入到 5 的倍数，文件里与网页上显示的一致。",
        "",
        "## 服务成效 {#results}",
        "",
        "| 文件 | 内容 | 格式 |",
        "|---|---|---|",
        "| [results.csv](data/results.csv) | 网站上的每一个成效数字各占一行：每个站点每项指标每个月的数量和全年合计，"
        "全县（计入目标的站点）逐月合计和总计，不计入目标的其他站点的合计。列：站点代号、站点名称、指标代号、指标名称、"
        "单位、月份、数量、是否隐藏、显示文字、目标、填报状态、行的类别、是否计入全县进度 | "
        "CSV，UTF-8（带 BOM，Excel 可直接打开） |",
        "| [results.json](data/results.json) | 同样的数字，另含目标、完成率、时间进度、进度状态和各月的填报情况 | JSON |",
        "| [programme.json](data/programme.json) | 项目预算、资金来源（金额和占比）、付款节点（比例、金额、计划日期、是否达成）；"
        "字段定义见 programme.schema.json | JSON |",
        "| [datapackage.json](data/datapackage.json) | 上面各文件的说明和字段定义（Frictionless Data Package） | JSON |",
        "",
        "被隐藏的数量在 CSV 中留空，“是否隐藏”列为 true，并在“显示”列写出网页上的显示文字"
        f"（如“<{content.programme.disclosure_threshold}”）。还没有填报的月份也留空（不是 0），"
        "“填报状态”列为 pending（未填报，未到截止日）或 overdue（逾期未报）。"
        "全县行的数量等于“是否计入全县进度”为 true 的站点行之和，可以用表格软件核对。",
        "",
        "## 站点信息 {#stations}",
        "",
        "| 文件 | 内容 | 格式 |",
        "|---|---|---|",
        "| [stations.json](data/stations.json) | 各站点名称、类型、上级站点、地址、电话、开放时间、服务领域、"
        "工作人员（姓名、岗位、是否持证；个人手机只在本人同意公开时收录） | JSON |",
        "",
        # Out of the search index: one row per station (at 1,000 stations Zensical refuses a section this
        # long, and every station page already carries its name).
        '## 活动日历 {#calendar data-search-exclude="true"}',
        "",
        "日历文件符合 iCalendar（RFC 5545）标准，时间为北京时间。**订阅**后手机日历会自动更新，"
        "活动改期不会出现重复条目；**下载**只导入一次。",
        "",
        "| 站点 | 订阅 | 下载 |",
        "|---|---|---|",
        f"| 全县所有站点 | {_subscribe(host_path, 'all')} | [all.ics](calendar/all.ics) |",
    ]
    for s in content.stations:
        out.append(
            f"| {md(s.name)} | {_subscribe(host_path, s.slug)} | [{s.slug}.ics](calendar/{s.slug}.ics) |"
        )
    out += [
        "",
        "## 新闻订阅 {#feed}",
        "",
        f"[feed.xml](feed.xml)：新闻、月度简报和服务案例的 Atom 订阅源（{escape(base)}feed.xml），"
        "可用任何 RSS/Atom 阅读器订阅。",
        "",
    ]
    # Markdown links to the data files, which are files of the docs tree (generator/site/outputs.py):
    # every engine checks them and rewrites them relative to the page's address (/data/).
    return "\n".join(out) + "\n"


def _subscribe(host_path: str, slug: str) -> str:
    path = f"{host_path}calendar/{slug}.ics"
    return (
        f'<a href="webcal://{escape(path, quote=True)}">订阅</a>'
        f"（或复制 <code>https://{escape(path)}</code>）"
    )
