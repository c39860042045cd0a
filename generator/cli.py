"""The ``stationsite`` command: check, build, diff, new, results, export and fields.

User errors end with a clean Chinese message and exit status 1; a traceback only ever means a bug.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import __version__
from generator.content.load import load_content
from generator.personalnumbers import MaskedOutput
from generator.problems import Problem, format_github, format_json, format_text

FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def _print_problems(problems: list[Problem], fmt: str) -> None:
    if fmt == "text":
        print(format_text(problems))
        print(f"\n共发现 {len(problems)} 个问题，请逐条修改后再检查。", file=sys.stderr)
    else:
        print(FORMATTERS[fmt](problems))


def cmd_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    content, problems = load_content(Path(args.root))
    if problems:
        _print_problems(problems, args.format)
        return 1
    assert content is not None
    if args.format == "json":
        print(format_json([]))
    elif args.format == "text":
        took = time.perf_counter() - started
        print(
            f"内容检查通过：{len(content.stations)} 个站点，{len(content.indicators)} 项指标，"
            f"{sum(len(s.activities) for s in content.stations)} 项活动（{took:.2f} 秒）。"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stationsite",
        description="民政服务站、社工站公示网站、上墙海报和开放数据生成器。",
    )
    parser.add_argument("--version", action="version", version=f"stationsite {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    init = sub.add_parser("init", help="新建一个县的内容仓库（内容、工作流、说明，不含生成器代码）")
    init.add_argument("dir", help="新仓库的目录（必须不存在或为空）")
    init.add_argument("--county", required=True, help="县（区）全称，如 乐至县")
    init.add_argument(
        "--site-url", required=True, help="网站正式网址，海报二维码指向它，如 https://mzfwz.example.gov.cn/"
    )
    init.add_argument(
        "--network", default="社工站", help="本县对站点的叫法（默认 社工站），如 民政服务站、社会工作服务站"
    )
    init.set_defaults(func=_lazy("generator.publishing.init", "cmd_init"))

    check = sub.add_parser("check", help="检查内容文件，列出全部问题")
    check.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    check.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="输出格式：text（默认）、json（给机器人）、github（拉取请求内标注）",
    )
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="生成整个网站、海报和开放数据")
    build.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    build.add_argument("--site-dir", default=None, help="输出目录（默认 mkdocs.yml 的 site_dir，即 site/）")
    build.add_argument("--no-posters", action="store_true", help="不生成海报 PDF（预览网站时更快）")
    build.add_argument(
        "--preview", action="store_true", help="生成可下载后直接打开的预览：页面链接改为指向 index.html"
    )
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="生成页面的程序（默认 mkdocs，见 README）",
    )
    build.set_defaults(func=_lazy("generator.build", "cmd_build"))

    diff = sub.add_parser("diff", help="比较两个版本，列出公众会看到的变化和需要重印的海报")
    diff.add_argument("base", nargs="?", default="origin/main", help="基准版本（git 引用，默认 origin/main）")
    diff.add_argument("head", nargs="?", default=None, help="新版本（git 引用，默认当前工作目录）")
    diff.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    diff.set_defaults(func=_lazy("generator.publishing.contentdiff", "cmd_diff"))

    new = sub.add_parser("new", help="新建站点或活动文件（带中文注释，可直接通过检查）")
    new.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    new_sub = new.add_subparsers(dest="what", required=True, metavar="类型")
    new_station = new_sub.add_parser("station", help="新建一个站点")
    new_station.add_argument("slug", help="站点代号：乡镇拼音小写，如 shicheng")
    new_station.add_argument("--name", required=True, help="标牌名称，如 周宁县狮城镇民政服务站")
    new_station.add_argument("--kind", default="township", help="hub | street | township | community")
    new_station.add_argument("--parent", default=None, help="上级站点代号（默认为社工总站）")
    new_station.add_argument("--address", default=None, help="站点地址（不写则在终端里询问）")
    new_station.add_argument("--phone", default=None, help="站点电话，如 0593-1234567（不写则询问）")
    new_station.add_argument(
        "--staff",
        action="append",
        default=None,
        help="工作人员：姓名,岗位[,持证]，可写多次（不写则询问站长姓名）",
    )
    new_activity = new_sub.add_parser("activity", help="给站点添加一项活动")
    new_activity.add_argument("slug", help="站点代号")
    new_activity.add_argument("--date", required=True, help="日期，如 2026-11-24")
    new_activity.add_argument("--start", required=True, help="开始时间，如 09:00")
    new_activity.add_argument("--end", required=True, help="结束时间，如 11:00")
    new_activity.add_argument("--title", required=True, help="活动名称")
    new_activity.add_argument("--kind", default="event", help="event | group | talk | training | service")
    new_activity.add_argument("--domain", default="community", help="服务领域代号")
    new_activity.add_argument("--place", required=True, help="地点")
    new_activity.add_argument("--audience", default=None, help="服务对象（可选）")
    new.set_defaults(func=_lazy("generator.publishing.scaffold", "cmd_new"))

    comment = sub.add_parser("comment", help="把比较结果发到 Gitea/Forgejo 拉取请求的评论里（工作流里用）")
    comment.add_argument("file", help="stationsite diff 写出的文件，如 diff.md")
    comment.set_defaults(func=_lazy("generator.publishing.comment", "cmd_comment"))

    posters = sub.add_parser("posters", help="按需生成任意一周的活动安排海报（A4 和 A3）")
    posters.add_argument("--week", required=True, help="这一周中的任意一天，如 2026-11-30（周一至周日）")
    posters.add_argument("--station", action="append", default=None, help="只生成这个站点（可重复）")
    posters.add_argument("--out", default=None, help="输出目录（默认 posters-<周一日期>/）")
    posters.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    posters.set_defaults(func=_lazy("generator.posters.ondemand", "cmd_posters"))

    export = sub.add_parser(
        "export", help="把网站页面导出为不需要本插件的普通 MkDocs 项目（不含海报和开放数据）"
    )
    export.add_argument("dest", help="导出到的新目录（必须不存在或为空）")
    export.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    export.add_argument(
        "--engine", choices=("mkdocs", "zensical"), default="mkdocs", help="导出给哪个程序生成"
    )
    export.set_defaults(func=_lazy("generator.site.export", "cmd_export"))

    results = sub.add_parser("results", help="月度成效表格：生成填报模板，或把填好的表格导入各站 results.yml")
    results.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    results_sub = results.add_subparsers(dest="action", required=True, metavar="操作")
    template = results_sub.add_parser("template", help="生成某月的填报表格（每站一行，每项指标一列）")
    template.add_argument("month", help="月份，如 2026-10")
    template.add_argument("--out", required=True, help="写出的 .xlsx 文件")
    results_import = results_sub.add_parser("import", help="把填好的表格写入各站 results.yml")
    results_import.add_argument("file", help="填好的 .xlsx 文件")
    results.set_defaults(func=_lazy("generator.publishing.spreadsheet", "cmd_results"))

    search = sub.add_parser("search-index", help="给已生成的网站建立搜索索引（其他引擎生成的网站用）")
    search.add_argument("site_dir", help="已生成的网站目录")
    search.add_argument("--root", default=".", help="内容仓库目录（默认当前目录）")
    search.set_defaults(func=_lazy("generator.site.search", "cmd_search_index"))

    fields = sub.add_parser("fields", help="打印字段说明（与网站“字段说明”页相同）")
    fields.set_defaults(func=cmd_fields)
    return parser


def cmd_fields(args: argparse.Namespace) -> int:
    from generator.content.fieldref import field_reference_markdown

    print(field_reference_markdown())
    return 0


def _lazy(module: str, name: str):  # type: ignore[no-untyped-def]
    """Import a command's module only when it runs: ``check`` stays fast and light."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), name)(args))

    return run


def main(argv: list[str] | None = None) -> int:
    # Every command's output passes one masking, argument errors too: no command prints a
    # personal number in full.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = MaskedOutput(out), MaskedOutput(err)
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


if __name__ == "__main__":
    sys.exit(main())
