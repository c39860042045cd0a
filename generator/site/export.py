"""``stationsite export``: the website's pages as an ordinary MkDocs project that needs no plugin.

For site engines that read ``mkdocs.yml`` but run no MkDocs plugins (Zensical, for one), and for
``benchmarks/site_bench.py``, whose plain build is of exactly these files. The project has:

- ``docs/``: the hand-written pages, every generated page written out as Markdown, and the home and
  about pages with their generated sections appended (a hand-written page wins over a generated one
  at the same path, as in the plugin);
- the open data (``data/``, ``calendar/``, ``feed.xml``) in ``docs/`` too: pages link these files
  with Markdown links, which every engine checks and rewrites to the right relative URL;
- ``theme/``: the theme overrides, without our page and poster templates (they are not site files);
- ``mkdocs.yml``: the county's, without the ``stationsite`` plugin; for Zensical also with
  ``variant: classic`` (the look of mkdocs-material, which our theme overrides are made for) and a
  ``site_dir`` inside the project (Zensical refuses one outside it).

docs/ pages are content (issue 12): their front matter is escaped in every export; for
``stationsite build --engine zensical`` (``guard``) the pages and Zensical's partials also get the
marks generator/site/zensicalguard.py sanitises by after the build, and a CSP is written into every
page then. A plain export built by hand has neither: it is for looking at, not for publishing.

Posters are not pages and are linked by paths every engine keeps (from ``index.md`` pages, see
``generator.site.pages.url_link``): ``stationsite build`` writes them into the engine's output.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from generator.content.load import load_content
from generator.problems import format_text
from generator.site import zensicalguard
from generator.themefiles import TEMPLATE_DIRS, theme_dir

# The plugin's entry in mkdocs.yml, with any options indented under it.
PLUGIN_ENTRY = re.compile(r"(?m)^(?P<indent>[ \t]*)- stationsite:?[ \t]*\n(?:(?P=indent)[ \t]+\S.*\n)*")
SITE_URL = re.compile(r"(?m)^site_url:[ \t]*['\"]?(?P<url>[^'\"#\s]+)")
CUSTOM_DIR = re.compile(
    r"(?m)^(?P<indent>[ \t]+)custom_dir:[ \t]*['\"]?(?P<dir>[^'\"#\n]+?)['\"]?[ \t]*(#.*)?$"
)
THEME_NAME = re.compile(r"(?m)^(?P<indent>[ \t]+)name:[ \t]*['\"]?material['\"]?[ \t]*(#.*)?$")
VARIANT = re.compile(r"(?m)^[ \t]+variant:.*\n")
SITE_DIR = re.compile(r"(?m)^site_dir:.*$")
EXTRA_JS = re.compile(r"(?m)^extra_javascript:[ \t]*\n")
SEARCH_PLUGIN = re.compile(
    r"(?m)^[ \t]*- (material/)?search[ \t]*:?[ \t]*(#.*)?$"
)  # Material's search plugin, on
ENGINES = ("mkdocs", "zensical")
ZENSICAL_JS = "assets/zensical-zh.js"  # in the exported theme: Chinese labels for Zensical's search
ZENSICAL_JS_SOURCE = Path(__file__).with_name("zensical-zh.js")


class ExportError(Exception):
    """A problem the person running the command can fix; the message says how (Chinese)."""


def export_project(  # type: ignore[no-untyped-def]
    root: Path,
    dest: Path,
    content=None,
    *,
    engine: str = "mkdocs",
    moment=None,
    report=None,
    guard: Path | None = None,
    posters: bool = True,
) -> list[Path]:
    """Write the plain project for the repository at ``root`` into ``dest`` (new or empty); return
    the generated pages written. ``content`` already loaded and checked is reused, and so are the
    build ``moment`` and results ``report`` when given; ``engine`` (mkdocs or zensical) is the one
    that will build the project; without ``posters`` (``build --no-posters``) the pages name no
    poster files.

    ``guard`` (Zensical's own templates folder) prepares the project for
    ``zensicalguard.harden_site``: marks around the HTML made from pages, and after the
    hand-written part of each docs/ page. Front matter of docs/ pages is escaped in every export."""
    from generator.clock import build_moment
    from generator.opendata import write_open_data
    from generator.results.progress import compute_results
    from generator.site.pages import ABOUT_SRC, HOME_SRC, generate_pages, make, write_docs_tree

    if dest.exists() and any(dest.iterdir()):
        raise ExportError(f"{dest} 不是空目录：为了不覆盖已有文件，请换一个新目录，或先清空它。")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    found = SITE_URL.search(config)
    if not found:
        raise ExportError("mkdocs.yml 缺少 site_url：海报二维码和日历要指向这个网址，请填写网站的正式地址。")
    site_url = found["url"] if found["url"].endswith("/") else found["url"] + "/"
    if content is None:
        content, problems = load_content(root)
        if problems:
            raise ExportError(format_text(problems) + f"\n\n共发现 {len(problems)} 个问题，没有导出。")
    moment = moment or build_moment()
    report = report or compute_results(content, moment.date())

    # Written beside dest and renamed into place: an export that fails leaves nothing behind.
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    try:
        shutil.copytree(root / "docs", staging / "docs")
        # The generator's theme without our templates, then the county's own overrides on top.
        ours = theme_dir()
        shutil.copytree(
            ours,
            staging / "theme",
            ignore=lambda d, names: [n for n in names if Path(d) == ours and n in TEMPLATE_DIRS],
        )
        custom = CUSTOM_DIR.search(config)
        if custom and (root / custom["dir"]).is_dir() and (root / custom["dir"]).resolve() != ours:
            shutil.copytree(
                root / custom["dir"],
                staging / "theme",
                dirs_exist_ok=True,
                ignore=lambda d, names: [n for n in names if n in TEMPLATE_DIRS],
            )
        config = _with_custom_dir(config)
        pages = [
            p
            for p in generate_pages(content, report, moment, site_url, with_posters=posters)
            if not (staging / "docs" / p.src).exists()
        ]
        hand_written = hand_written_pages(staging / "docs")
        write_docs_tree(pages, staging / "docs")
        write_open_data(content, report, staging / "docs", site_url, moment)
        maker = make(content, report, moment, site_url)
        for name in (HOME_SRC, ABOUT_SRC):
            page = staging / "docs" / name
            if name not in hand_written and page.is_file():  # generated: sections as in the plugin
                page.write_text(maker.with_sections(name, page.read_text(encoding="utf-8")), encoding="utf-8")
        for name in hand_written:
            page = staging / "docs" / name
            text = page.read_text(encoding="utf-8")
            full = maker.with_sections(name, text) if name in (HOME_SRC, ABOUT_SRC) else text
            # docs/ is content (issue 12): under MkDocs the plugin escapes front matter and
            # sanitises the page; here the page is prepared for the same (zensicalguard.py).
            out = zensicalguard.prepare_page(text, full) if guard else zensicalguard.escape_front_matter(full)
            if out != text:
                page.write_text(out, encoding="utf-8")
        config = PLUGIN_ENTRY.sub("", config)
        if engine == "zensical":
            # Zensical's search dialog (English labels) shows only where a header offers it: ours
            # links to the Pagefind search page instead, unless Material's search plugin is on.
            dialog = bool(SEARCH_PLUGIN.search(config)) or _own_header(root, custom, ours)
            config = _for_zensical(config, dialog)
            # Our search.html is mkdocs-material 9's search form; Zensical brings its own dialog.
            ours_search = ours / "partials" / "search.html"
            copied = staging / "theme" / "partials" / "search.html"
            if copied.is_file() and copied.read_bytes() == ours_search.read_bytes():
                copied.unlink()
            if dialog:  # Chinese labels for that dialog; MkDocs never publishes the file
                (staging / "theme" / ZENSICAL_JS).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ZENSICAL_JS_SOURCE, staging / "theme" / ZENSICAL_JS)
            if guard is not None:
                try:
                    zensicalguard.write_partials(staging / "theme", guard)
                except zensicalguard.GuardError as exc:
                    raise ExportError(str(exc)) from None
        (staging / "mkdocs.yml").write_text(config, encoding="utf-8")
        os.chmod(staging, 0o755)  # mkdtemp makes it private
        if dest.exists():
            dest.rmdir()  # empty, checked above
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [dest / "docs" / p.src for p in pages]


def hand_written_pages(docs: Path) -> list[str]:
    """The Markdown pages of a docs tree (paths under it), as MkDocs and Zensical read them: no
    file or folder whose name starts with a dot."""
    return sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(docs).parts)
    )


def _with_custom_dir(config: str) -> str:
    """The exported mkdocs.yml names the copied theme as its ``custom_dir``."""
    if CUSTOM_DIR.search(config):
        return CUSTOM_DIR.sub(lambda m: f"{m['indent']}custom_dir: theme", config, count=1)
    return THEME_NAME.sub(lambda m: f"{m[0]}\n{m['indent']}custom_dir: theme", config, count=1)


def _own_header(root: Path, custom: re.Match[str] | None, ours: Path) -> bool:
    """The county's theme replaces our header (which may then show Zensical's search dialog)."""
    if not custom or (root / custom["dir"]).resolve() == ours:
        return False
    return (root / custom["dir"] / "partials" / "header.html").is_file()


def _for_zensical(config: str, search_dialog: bool = False) -> str:
    """Zensical's defaults differ from mkdocs-material's: its ``modern`` variant has a see-through
    header, other icons and a floating contents button; ``classic`` is the look our overrides and
    browser tests are made for. Its site_dir must lie inside the project. Its search dialog labels
    itself in English: where a header shows that dialog (``search_dialog``),
    generator/site/zensical-zh.js (copied into the theme) puts them into Chinese."""
    config = VARIANT.sub("", config)
    config = THEME_NAME.sub(lambda m: f"{m[0]}\n{m['indent']}variant: classic", config, count=1)
    if SITE_DIR.search(config):
        config = SITE_DIR.sub("site_dir: site", config, count=1)
    else:
        config += "\nsite_dir: site\n"
    if not search_dialog:
        return config
    if EXTRA_JS.search(config):
        return EXTRA_JS.sub(lambda m: f"{m[0]}  - {ZENSICAL_JS}\n", config, count=1)
    return config + f"\nextra_javascript:\n  - {ZENSICAL_JS}\n"


def cmd_export(args: argparse.Namespace) -> int:
    root, dest = Path(args.root).resolve(), Path(args.dest).resolve()
    if not (root / "mkdocs.yml").is_file():
        print(
            f"找不到 {root / 'mkdocs.yml'}：请在内容仓库的根目录运行，或用 --root 指定目录。", file=sys.stderr
        )
        return 1
    try:
        engine = getattr(args, "engine", "mkdocs")
        written = export_project(root, dest, engine=engine)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"已导出到 {dest}：生成页面 {len(written)} 个，另有手写页面和主题。"
        f"在该目录运行 {engine} build 即可生成网站（含开放数据，不含海报），"
        f"再运行 stationsite search-index site 建立站内搜索索引。"
        "注意：这样生成的网站没有经过 stationsite 的安全处理（docs/ 页面清理、每页的内容安全策略），"
        "只适合自己查看；要发布，请用 stationsite build（可加 --engine zensical）。",
        file=sys.stderr,
    )
    return 0
