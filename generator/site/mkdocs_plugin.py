"""The MkDocs plugin ``stationsite``: a thin adapter from MkDocs events to the core.

- ``on_config``: load and validate the repository; bad content stops the build here, before MkDocs
  cleans ``site_dir``, with the same Chinese messages as ``stationsite check``.
- ``on_files``: hand the generated pages to MkDocs as virtual files.
- ``on_page_markdown``: append the generated sections to the hand-written home and about pages.
- ``on_page_content``: sanitise hand-written (docs/) pages and escape their front matter.
- ``on_post_page`` / ``on_post_template``: a Content-Security-Policy on every page (csp.py).
- ``on_files`` also lists the open data files as files of the docs tree (written in ``on_config`` on
  the second core, see sidejob.py), so pages link them with checked Markdown links, as under any
  engine (generator/site/engines.py); ``on_env`` waits for them before MkDocs copies them.
- ``on_post_build``: the files that are not pages, the same core step as every engine's
  (``generator.site.outputs.after_pages``: the posters), after the form-editing page ``admin/``
  (cms.py) and stripping image metadata of docs/ files (docsguard).
- ``on_build_error``: wait for and throw away the open data of a failed build.
- ``on_serve``: watch ``stations/`` and ``content/`` so ``mkdocs serve`` rebuilds when they change.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.clock import build_moment
from generator.content.load import load_content
from generator.opendata import open_data_files
from generator.problems import ContentError, format_text
from generator.site import csp, docsguard
from generator.themefiles import TEMPLATE_DIRS, theme_dir

LOG = logging.getLogger("mkdocs.plugins.stationsite")


class StationSiteConfig(Config):
    posters = opt.Type(bool, default=True)  # `stationsite build --no-posters` turns this off
    open_data = opt.Type(bool, default=True)
    # Form editing under /admin/ (Decap CMS): {name: github|gitea|forgejo, repo, branch, base_url,
    # api_root, app_id}; see docs/guide/forms.md. Without it, github and no repository (local use).
    cms = opt.Type(dict, default={})
    # Pagefind over the written HTML (generator/site/search.py). `stationsite build` turns this off
    # and runs the same step itself after MkDocs, as it would after any other engine.
    search_index = opt.Type(bool, default=True)


class StationSitePlugin(BasePlugin[StationSiteConfig]):
    def __init__(self) -> None:
        self.root: Path | None = None
        self.content: Any = None
        self.report: Any = None
        self.maker: Any = None
        self.moment: Any = None
        self.progress: Any = None  # set by `stationsite build` to print poster progress
        self.preloaded: Any = None  # content `stationsite build` has already loaded and checked
        self.open_data: Any = None  # (SideJob writing the open data, the directory it writes into)
        self.previous_site: Path | None = None  # the site this build replaces (its poster ledger)
        self.poster_issue: Any = None  # this build's poster codes and dates (pages and posters)
        self.carried_ledger: Any = None  # without posters: the previous ledger, published unchanged

    # -- load ----------------------------------------------------------------------------------

    def on_config(self, config: Any) -> Any:
        from generator.results.progress import compute_results
        from generator.site.pages import make

        self.root = Path(config.config_file_path).resolve().parent
        _use_package_theme(config)
        if not config.site_url:
            raise PluginError("mkdocs.yml 缺少 site_url：海报二维码要指向这个网址，请填写网站的正式地址。")
        started = time.perf_counter()
        content, problems = (self.preloaded, []) if self.preloaded else load_content(self.root)
        if problems:
            raise PluginError(f"内容检查未通过，共 {len(problems)} 个问题：\n" + format_text(problems))
        assert content is not None  # no problems: load_content returned the model
        self.content = content
        # One moment for the whole build, so pages, data and posters agree on "this week".
        self.moment = build_moment()
        self.report = compute_results(content, self.moment.date())
        self.maker = make(content, self.report, self.moment, _site_url(config))
        # Before MkDocs empties site_dir: the previous build's ledger of poster codes. Without
        # posters no code is worked out (nothing is printed); the ledger is carried forward as it was.
        previous = self.previous_site or Path(config.site_dir)
        if self.config.posters:
            from generator.posters.build import poster_issue

            self.poster_issue = poster_issue(
                content,
                self.report,
                _site_url(config),
                self.moment,
                previous,
                cache_dir=self.root / ".cache" / "posters",
            )
        else:
            from generator.posters.ledger import previous_ledger

            self.carried_ledger = previous_ledger(previous, _site_url(config))
        LOG.info("已读取内容：%d 个站点（%.2f 秒）", len(content.stations), time.perf_counter() - started)
        if self.config.open_data:
            self._start_open_data(config)
        return config

    def _start_open_data(self, config: Any) -> None:
        from generator.opendata import write_open_data
        from generator.site.sidejob import SideJob

        # Written apart and moved in after the pages: MkDocs empties site_dir after this event.
        folder = Path(tempfile.mkdtemp(prefix="stationsite-data-"))
        job = SideJob(write_open_data, self.content, self.report, folder, _site_url(config), self.moment)
        self.open_data = job, folder

    # -- pages ---------------------------------------------------------------------------------

    def on_files(self, files: Files, config: Any) -> Files:
        from generator.site.pages import generate_pages

        # MkDocs publishes every file of a theme folder; our page and poster templates are not
        # site assets.
        ours = theme_dir()
        for file in list(files):
            if (
                file.src_uri.startswith(tuple(d + "/" for d in TEMPLATE_DIRS))
                and file.abs_src_path
                and Path(file.abs_src_path).resolve().is_relative_to(ours)
            ):
                files.remove(file)

        pages = generate_pages(
            self.content,
            self.report,
            self.moment,
            _site_url(config),
            self.poster_issue,
            with_posters=self.config.posters,
        )
        for page in pages:
            existing = files.get_file_from_path(page.src)
            if existing is not None:
                # A hand-written page in docs/ at the same path wins: counties can replace any page.
                LOG.info("docs/%s 是手写页面，使用它代替生成的页面", page.src)
                continue
            files.append(File.generated(config, page.src, content=page.markdown))
        if self.open_data is not None:
            _job, folder = self.open_data
            for path in open_data_files(self.content):
                files.append(File.generated(config, path, abs_src_path=str(folder / path)))
        return files

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        # MkDocs copies the static files (the open data among them) right after this event. The
        # list given in on_files is a prediction (open_data_files, kept exact by a test): a file it
        # missed is still published, and one not written is not copied.
        if self.open_data is not None:
            job, folder = self.open_data
            written = {p.relative_to(folder).as_posix() for p in job.result()}
            for path in sorted(written - set(open_data_files(self.content))):
                files.append(File.generated(config, path, abs_src_path=str(folder / path)))
            for path in sorted(set(open_data_files(self.content)) - written):
                found = files.get_file_from_path(path)
                if found is not None:
                    files.remove(found)
            LOG.info("已写出开放数据：%d 个文件", len(written))
        return env

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        out = self.maker.with_sections(page.file.src_uri, markdown)
        if page.file.generated_by is None:  # hand-written (docs/): mark where our sections begin
            out = docsguard.mark_sections(markdown, out)
        return out

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        if page.file.generated_by is not None:
            return html  # generated from content: sanitised and escaped where it was made
        # docs/ is content too (see docsguard.py): same sanitiser, and no markup in titles.
        page.meta = docsguard.escape_meta(page.meta)
        if "title" not in page.meta and page.title and "&" in page.title:
            # The H1's text as MkDocs took it is HTML text (tags stripped, entities kept), but
            # Material prints it into <title> through `striptags`, which decodes `&lt;/title&gt;`
            # back into markup (a script there would even get a CSP hash). Given as the page's
            # meta title it is printed as it is.
            page.meta["title"] = page.title
        return docsguard.sanitise_page(html)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        # Every page carries its CSP, hashing the theme's inline scripts as they are (see csp.py):
        # a script added to the theme needs no hand-written hash.
        return csp.with_policy(output, page.content)

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        return csp.with_policy(output_content) if template_name.endswith(".html") else output_content

    # -- files that are not pages --------------------------------------------------------------

    def on_post_build(self, config: Any) -> None:
        from generator.site.outputs import after_pages

        site_dir = Path(config.site_dir)
        if self.config.search_index:
            from generator.site.search import SearchIndexError, build_search_index

            try:
                index = build_search_index(site_dir, self.content)
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
            LOG.info("已生成搜索索引：%d 个页面", index.pages)
        docsguard.strip_images(Path(config.docs_dir), site_dir)
        if self.open_data is not None:  # copied into site_dir by MkDocs (see on_files, on_env)
            _job, folder = self.open_data
            self.open_data = None
            shutil.rmtree(folder, ignore_errors=True)
        self._write_admin(config, site_dir)
        assert self.root is not None
        try:
            after_pages(
                self.content,
                self.report,
                site_dir,
                _site_url(config),
                self.moment,
                posters=self.config.posters,
                progress=self.progress or _progress_line,
                cache_dir=self.root / ".cache" / "posters",
                issue=self.poster_issue,
                carried_ledger=self.carried_ledger,
            )
        except ContentError as exc:
            raise PluginError(format_text(exc.problems)) from None

    def _write_admin(self, config: Any, site_dir: Path) -> None:
        from generator.site.cms import write_admin

        assert self.root is not None
        try:
            made = write_admin(
                site_dir, self.content, self.root, _site_url(config), config.site_name, self.config.cms
            )
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml 的 stationsite 插件设置 cms 有误：{exc}") from None
        if made is None:
            LOG.info("未找到 node_modules/decap-cms（运行 npm install）：本次不生成 /admin/ 表单编辑页")
        else:
            LOG.info("已生成表单编辑页 /admin/：%d 个文件", len(made))

    def on_build_error(self, error: Exception) -> None:
        if self.open_data is not None:
            job, folder = self.open_data
            self.open_data = None
            job.discard()
            shutil.rmtree(folder, ignore_errors=True)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        assert self.root is not None
        for name in ("stations", "content"):
            if (self.root / name).is_dir():
                server.watch(str(self.root / name))
        return server


def _use_package_theme(config: Any) -> None:
    """Put the generator's theme between the county's own ``custom_dir`` (which still overrides
    single templates) and mkdocs-material, so a county repository needs no copy of it."""
    ours = str(theme_dir())
    dirs = config.theme.dirs
    if ours in dirs:
        return
    custom = config.theme.custom_dir
    at = 1 if custom and dirs and Path(dirs[0]).resolve() == Path(custom).resolve() else 0
    dirs.insert(at, ours)


def _progress_line(message: str) -> None:
    if not message.startswith("警告："):  # already reported by the stationsite.posters logger
        LOG.info("%s", message)


def _site_url(config: Any) -> str:
    url = str(config.site_url or "")
    return url if url.endswith("/") else url + "/"
