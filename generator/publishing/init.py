"""``stationsite init DIR``: a new county repository that installs the generator, not forks it.

It holds only what a county edits (``mkdocs.yml``, ``content/``, one example station, the home and
about text), the publishing workflows for GitHub and for Gitea/Forgejo, a Chinese README for the
county's clerks and ``requirements.txt`` pinning this very version of stationsite. No generator code
and no copy of ``theme/``: upgrading is changing one version number. The files come from
``generator/publishing/county/`` (``*.j2`` are filled in, ``dot-*`` names become ``.*``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from generator import __version__
from generator.clock import build_date
from generator.content.naming import STATION_WORDS

URL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")
COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,10}(县|区|市|旗)$")


class InitError(Exception):
    """A problem the person running the command can fix; the message says how (Chinese)."""


def template_dir() -> Path:
    return Path(str(resources.files("generator.publishing") / "county"))


def county_values(county: str, site_url: str, network: str, today: dt.date) -> dict[str, str]:
    if not COUNTY.match(county):
        raise InitError(
            f"县（区）名称 '{county}' 看起来不对：应为中文全称，以 县、区、市 或 旗 结尾，如 乐至县。"
        )
    if not URL.match(site_url):
        raise InitError(f"网址 '{site_url}' 不对：应以 https:// 开头，如 https://mzfwz.example.gov.cn/。")
    if network not in STATION_WORDS:
        raise InitError(f"站点叫法 '{network}' 不认识：可用的有 {'、'.join(STATION_WORDS)}。")
    return {
        "county": county,
        "site_url": site_url if site_url.endswith("/") else site_url + "/",
        "network": network,
        "site_name": f"{county}{network}",
        "authority": f"{county}民政局",
        "contractor": f"{county}社会工作服务中心",
        "programme": f"{county}{network}购买服务项目",
        "hub_name": f"{county}社工总站",
        "start": f"{today.year}-01-01",
        "end": f"{today.year}-12-31",
        "version": __version__,
    }


def write_county(dest: Path, values: dict[str, str]) -> list[Path]:
    """Write the county repository into ``dest`` (new or empty); return the files written."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InitError(f"{dest} 已存在且不是空目录：为了不覆盖已有文件，请换一个新目录。")
    # Markdown headings carry ids as {#privacy}: Jinja's own comment marker must be something else.
    env = Environment(
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        comment_start_string="{#!",
        comment_end_string="!#}",
    )
    source = template_dir()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Written beside dest and renamed into place: an init that fails leaves nothing behind.
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    written: list[Path] = []
    try:
        for path in sorted(source.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            rel = Path(*(re.sub(r"^dot-", ".", part) for part in path.relative_to(source).parts))
            text = path.read_text(encoding="utf-8")
            if rel.suffix == ".j2":
                rel = rel.with_suffix("")
                text = env.from_string(text).render(**values)
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(dest / rel)
        (staging / "content" / "policies").mkdir(exist_ok=True)
        (staging / "content" / "news").mkdir(exist_ok=True)
        os.chmod(staging, 0o755)  # mkdtemp makes it private
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def cmd_init(args: argparse.Namespace) -> int:
    dest = Path(args.dir).resolve()
    try:
        values = county_values(args.county, args.site_url, args.network, build_date())
        written = write_county(dest, values)
    except InitError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"已在 {dest} 写好 {values['site_name']} 的内容仓库（{len(written)} 个文件，stationsite=={__version__}）。"
    )
    print("请按实际情况核对这些内容：")
    print(
        f"  content/county.yml   购买主体（已写 {values['authority']}）、承接机构、项目名称、合同期、投诉电话"
    )
    print("  content/indicators.yml  按合同修改指标和目标")
    print(
        "  stations/hub/station.yml  总站的地址、电话、开放时间和工作人员；其他站点用 stationsite new station 添加"
    )
    print("  docs/index.md、docs/about.md  首页和“关于本站”的文字")
    print(f"然后在 {dest} 里运行 stationsite check 和 stationsite build。")
    return 0
