"""Form-based editing: Decap CMS under ``/admin/``, configured from the declared schemas.

``cms_config()`` turns the same ``Record``/``Field`` declarations that ``stationsite check`` uses
into Decap's ``config.yml`` (the widgets come from cms_fields.py), so the form cannot offer a
field the checker refuses, nor miss one it requires. ``KINDS`` says which files each collection
edits and how they are laid out; ``formats_script()`` hands the same table to the admin page's
file formats (cms_formats.js). The content is known at build time, so every station gets its own
entries (picked by its Chinese name); a new station still starts with ``stationsite new station``.

``write_admin()`` writes the admin page into the built site. Decap's JavaScript bundle is copied
from ``node_modules/decap-cms/dist`` (``npm install`` puts it there; ``.ci/setup`` runs it) rather
than vendored: 6 MB of minified code would otherwise sit in every county's git history and be
upgraded by hand. Nothing is loaded from another host. Without node_modules the build still
succeeds and only says that ``/admin/`` was left out.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.content.model import Content
from generator.content.schema_types import ListOf, Record
from generator.content.schemas import (
    ACTIVITIES,
    INDICATOR_ID,
    NEWS,
    POLICY,
    RESULTS,
    RULE,
    STATION,
)
from generator.site.cms_fields import FieldMaker, key_order, one_item_paths

LOG = logging.getLogger("mkdocs.plugins.stationsite")
HERE = Path(__file__).resolve().parent
FORMATS_JS = HERE / "cms_formats.js"
# decap-server (local editing: `local_backend`, honoured only on localhost) on any port.
LOCAL_SERVER = "http://localhost:*"
BACKENDS = ("github", "gitea", "forgejo")
BACKEND_KEYS = ("name", "branch", "repo", "base_url", "api_root", "app_id", "auth_endpoint")
DEFAULT_API = {"github": "https://api.github.com"}
# Declared file kinds the form does not offer, and why (tests/test_cms.py holds every other kind
# to a collection, so a new kind cannot be left out of the form unnoticed).
NOT_IN_FORMS = {
    # Set once when the contract is signed, by whoever sets up the site, and annotated line by line
    # with the contract's reasoning (targets as three years' totals, the sample-county line to
    # delete): a form saves a file without its comments, so these stay edits of the file.
    "content/county.yml": "合同信息只在签订合同时由管理员在文件里修改：表单保存会丢掉文件里逐行的注释",
    "content/indicators.yml": "指标和目标只在签订合同时由管理员在文件里修改：表单保存会丢掉文件里逐行的注释",
    # Each entry lets a number through the privacy check onto the public site: a deliberate edit of
    # the file, reviewed as such, not one more form a clerk might fill to silence a check.
    "content/privacy-allowlist.yml": "隐私检查例外只在文件里改，由审核人逐条确认",
}


@dataclass(frozen=True)
class Kind:
    """One collection of the form: which files, laid out how, checked by which schema."""

    name: str
    label: str
    schema: Record | ListOf
    layout: str  # "map" (a YAML mapping), "list" (a YAML list) or "frontmatter" (Markdown)
    where: str  # the files it edits (a station's code as <代号>; a folder's files as *.md)
    description: str
    item_label: str = ""  # list layout: what one item is called
    item_summary: str = ""  # list layout: how a folded item reads

    @property
    def format(self) -> str:
        return f"stationsite-{self.name}"


KINDS = (
    Kind(
        "stations",
        "站点信息",
        STATION,
        "map",
        "stations/<代号>/station.yml",
        "每个站点的标牌名称、地址、电话、开放时间、工作人员和闭站（stations/<代号>/station.yml）",
    ),
    Kind(
        "activities",
        "活动安排",
        ACTIVITIES,
        "list",
        "stations/<代号>/activities.yml",
        "每个站点的活动（stations/<代号>/activities.yml）；每周、隔周或每月办的活动只写一次，填“重复”",
        "活动",
        "{{fields.date}} {{fields.start}} {{fields.title}}",
    ),
    Kind(
        "results",
        "月度成效",
        RESULTS,
        "list",
        "stations/<代号>/results.yml",
        "每个站点每月的汇总数（stations/<代号>/results.yml）；不填任何个人信息",
        "月份",
        "{{fields.month}}",
    ),
    Kind("rules", "制度上墙", RULE, "frontmatter", "content/rules/*.md", "全县统一的上墙制度"),
    Kind("policies", "办事指南", POLICY, "frontmatter", "content/policies/*.md", "群众办事的政策指南"),
    Kind("news", "新闻动态", NEWS, "frontmatter", "content/news/*.md", "新闻、月度简报和服务案例"),
)
PER_STATION = ("stations", "activities", "results")
# Folders whose files are created in the form (others have a fixed set of files).
CREATE = ("news",)


def cms_config(
    content: Content, site_url: str, backend: dict[str, Any] | None = None, local_url: str | None = None
) -> dict[str, Any]:
    """Decap CMS's configuration for this county's content (a plain dict, dumped as config.yml).
    ``local_url``: decap-server's API address when it does not run on its default port 8081."""
    fields = FieldMaker(
        {s.slug: s.name for s in content.stations},
        {
            # results.yml's counts: one number per indicator of the contract.
            INDICATOR_ID: [(i.id, f"{i.name}（{i.unit}）") for i in content.indicators],
        },
    )
    return {
        "locale": "zh_Hans",
        "backend": _backend(backend or {}),
        # Used only when the page is opened on localhost, with decap-server running (local editing).
        "local_backend": {"url": local_url} if local_url else True,
        "publish_mode": "editorial_workflow",  # saving opens a pull request; merging publishes
        "site_url": site_url,
        "display_url": site_url,
        # Decap requires a media folder; no field takes an upload (photos of people never belong
        # in a public repository) and the Markdown editor has no image button.
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "collections": [_collection(kind, content, fields) for kind in KINDS],
    }


_HEADER = {"name": "_header", "label": "文件开头的注释", "widget": "hidden", "required": False}


def _file_fields(kind: Kind, fields: FieldMaker) -> list[dict[str, Any]]:
    if isinstance(kind.schema, Record):
        return [*fields.record(kind.schema), _HEADER]
    assert isinstance(kind.schema.item, Record)
    items = {
        "name": "items",  # the file's list, as cms_formats.js wraps it
        "label": kind.item_label,
        "label_singular": kind.item_label,
        "widget": "list",
        "summary": kind.item_summary,
        "collapsed": True,
        "required": kind.schema.min_items > 0,
        "min": kind.schema.min_items or None,
        "fields": fields.record(kind.schema.item),
    }
    return [items, _HEADER]


def _collection(kind: Kind, content: Content, fields: FieldMaker) -> dict[str, Any]:
    # Decap takes the format per collection, not per file.
    out: dict[str, Any] = {"name": kind.name, "label": kind.label, "format": kind.format}
    out["description"] = kind.description
    if kind.name in PER_STATION:
        # The content is known at build time: every station gets its own entry, by its Chinese name.
        out["files"] = [
            {
                "name": s.slug,
                "label": s.name,
                "file": kind.where.replace("<代号>", s.slug),
                "fields": _file_fields(kind, fields),
            }
            for s in content.stations
        ]
        return out
    assert kind.layout == "frontmatter" and isinstance(kind.schema, Record)
    out |= {
        "folder": kind.where.rsplit("/", 1)[0],
        "extension": "md",
        "create": kind.name in CREATE,
        "delete": False,
        "identifier_field": "title",
        "fields": [
            *fields.record(kind.schema),
            {
                "name": "body",
                "label": "正文",
                "widget": "markdown",
                "required": False,
                "modes": ["raw", "rich_text"],
                "editor_components": [],  # no image or other embeds: Markdown text only
            },
        ],
    }
    if kind.name in CREATE:
        # File names become addresses; a Chinese title would make a non-ASCII one.
        out["slug"] = "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}"
    return out


def formats_script(config: dict[str, Any]) -> str:
    """The admin page's file formats: for each collection of ``config``, how its files are laid
    out, where their optional records sit and in which order their keys are written; ahead of
    cms_formats.js, which registers them with Decap."""
    table = {}
    for kind, collection in zip(KINDS, config["collections"], strict=True):
        fields = collection["files"][0]["fields"] if collection.get("files") else collection.get("fields", [])
        order = key_order(fields)
        if kind.layout == "list":  # the form's {items: [...]} is the file's list
            order = order.get("fields", {}).get("items", {})
        table[kind.format] = {"layout": kind.layout, "one_item": one_item_paths(kind.schema), "order": order}
    head = "/* Written by stationsite from the declared schemas (generator/site/cms.py). */\n"
    data = json.dumps(table, ensure_ascii=False, sort_keys=True)
    return f"{head}var STATIONSITE_FORMATS = {data};\n" + FORMATS_JS.read_text(encoding="utf-8")


def _backend(options: dict[str, Any]) -> dict[str, Any]:
    name = str(options.get("name", "github"))
    if name not in BACKENDS:
        raise ValueError(f"cms.name 应为 {' | '.join(BACKENDS)} 之一，实际为 {name!r}")
    unknown = sorted(set(options) - set(BACKEND_KEYS))
    if unknown:  # a misspelt key must not vanish silently
        raise ValueError(f"cms 里有未知的键 {', '.join(unknown)}；可用的键：{'、'.join(BACKEND_KEYS)}")
    out: dict[str, Any] = {"name": name, "branch": str(options.get("branch", "main"))}
    for key in BACKEND_KEYS[2:]:
        if options.get(key):
            out[key] = str(options[key])
    if name != "github" and "base_url" in out and "api_root" not in out:
        # Decap's own default is try.gitea.io: a county's server would never be asked.
        out["api_root"] = out["base_url"].rstrip("/") + "/api/v1"
    # Pull-request titles and commit messages in Chinese, so the county's reviewers read them.
    out["commit_messages"] = {
        "create": "新建 {{collection}}：{{slug}}",
        "update": "修改 {{collection}}：{{slug}}",
        "delete": "删除 {{collection}}：{{slug}}",
        "uploadMedia": "上传 {{path}}",
        "deleteMedia": "删除 {{path}}",
    }
    return out


def config_yaml(config: dict[str, Any]) -> str:
    return yaml.safe_dump(_drop_none(config), allow_unicode=True, sort_keys=False, width=4096)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


# -- the admin page ------------------------------------------------------------------------------


def admin_csp(backend: dict[str, Any]) -> str:
    """The admin page's own Content-Security-Policy, looser than the public pages' policy:
    Decap compiles its config schema at run time (``'unsafe-eval'``), styles its React UI with
    inline styles, shows previews from ``blob:`` URLs and talks to the git host's API. Scripts still
    come only from this site."""
    connect = ["'self'", LOCAL_SERVER]
    api = backend.get("api_root") or DEFAULT_API.get(backend["name"])
    if not api and backend.get("base_url"):
        api = backend["base_url"]
    for url in (api, backend.get("base_url")):
        if url:
            parts = urlsplit(str(url))
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in connect:
                connect.append(origin)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https:",
            "font-src 'self' data:",
            "connect-src " + " ".join(connect),
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


ADMIN_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>内容编辑 · {site_name}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>内容编辑页需要开启 JavaScript；也可以直接在代码托管网站上修改文件。</noscript>
<script src="decap-cms.js"></script>
<script src="js-yaml.min.js"></script>
<script src="stationsite-formats.js"></script>
</body>
</html>
"""


def find_node_modules(root: Path) -> Path | None:
    """node_modules with decap-cms and js-yaml: the county repository's, else the generator
    checkout's (a development install)."""
    for base in (root, HERE.parent.parent):
        folder = base / "node_modules"
        if (folder / "decap-cms/dist/decap-cms.js").is_file() and (folder / "js-yaml/dist").is_dir():
            return folder
    return None


def write_admin(
    site_dir: Path,
    content: Content,
    root: Path,
    site_url: str,
    site_name: str,
    backend: dict[str, Any] | None,
    local_url: str | None = None,
) -> list[Path] | None:
    """Write ``site_dir/admin/``; None (and nothing written) when decap-cms is not installed."""
    modules = find_node_modules(root)
    if modules is None:
        return None
    config = cms_config(content, site_url, backend, local_url)
    admin = site_dir / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    written = []
    dist = modules / "decap-cms/dist"
    # The bundle loads its chunks from beside itself; source maps are left out (a further 20 MB).
    for src in sorted(dist.glob("*decap-cms.js")):
        written.append(Path(shutil.copyfile(src, admin / src.name)))
    written.append(Path(shutil.copyfile(modules / "js-yaml/dist/js-yaml.min.js", admin / "js-yaml.min.js")))
    (admin / "stationsite-formats.js").write_text(formats_script(config), encoding="utf-8")
    written.append(admin / "stationsite-formats.js")
    (admin / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    html = ADMIN_HTML.format(csp=admin_csp(config["backend"]), site_name=_html_text(site_name))
    (admin / "index.html").write_text(html, encoding="utf-8")
    return [*written, admin / "config.yml", admin / "index.html"]


def _html_text(text: str) -> str:
    return re.sub(r"[&<>\"]", lambda m: {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[m[0]], text)
