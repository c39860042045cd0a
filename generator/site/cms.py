"""Form-based editing: Decap CMS under ``/admin/``, configured from the declared schemas.

``cms_config()`` turns the same ``Record``/``Field`` declarations that ``stationsite check`` uses
into Decap's ``config.yml`` (widgets, required fields, enums as drop-downs, Chinese labels and
hints), so the form cannot offer a field the checker refuses, nor miss one it requires. The
content is known at build time, so every station gets its own entries (picked by its Chinese
name); a new station still starts with ``stationsite new station``.

``write_admin()`` writes the admin page into the built site. Decap's JavaScript bundle is copied
from ``node_modules/decap-cms/dist`` (``npm install`` puts it there; ``.ci/setup`` runs it) rather
than vendored: 6 MB of minified code would otherwise sit in every county's git history and be
upgraded by hand. Nothing is loaded from another host. Without node_modules the build still
succeeds and only says that ``/admin/`` was left out.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.content.model import Content
from generator.content.schema_types import (
    Bool,
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
    Type,
)
from generator.content.schemas import ACTIVITY, NEWS, POLICY, RESULT, RULE, STATION

LOG = logging.getLogger("mkdocs.plugins.stationsite")
HERE = Path(__file__).resolve().parent
FORMATS_JS = HERE / "cms_formats.js"
# decap-server (local editing: `local_backend`, honoured only on localhost) on any port.
LOCAL_SERVER = "http://localhost:*"
BACKENDS = ("github", "gitea", "forgejo")
BACKEND_KEYS = ("name", "branch", "repo", "base_url", "api_root", "app_id", "auth_endpoint")
DEFAULT_API = {"github": "https://api.github.com"}
# Fields whose value is a station code: offered as a drop-down of the county's stations.
STATION_REFS = ("parent", "station")


def cms_config(
    content: Content, site_url: str, backend: dict[str, Any] | None = None, local_url: str | None = None
) -> dict[str, Any]:
    """Decap CMS's configuration for this county's content (a plain dict, dumped as config.yml).
    ``local_url``: decap-server's API address when it does not run on its default port 8081."""
    slugs = {s.slug: s.name for s in content.stations}
    fields = _FieldMaker(slugs)
    stations = list(content.stations)
    collections: list[dict[str, Any]] = [
        {
            "name": "stations",
            "label": "站点信息",
            "format": "stationsite-map",  # Decap takes the format per collection, not per file
            "label_singular": "站点",
            "description": "每个站点的标牌名称、地址、电话、开放时间和工作人员（stations/<代号>/station.yml）",
            "files": [
                {
                    "name": s.slug,
                    "label": s.name,
                    "file": f"stations/{s.slug}/station.yml",
                    "fields": [*fields.record(STATION), _HEADER],
                }
                for s in stations
            ],
        },
        {
            "name": "activities",
            "label": "活动安排",
            "format": "stationsite-list",
            "description": "每个站点的活动（stations/<代号>/activities.yml）；本周活动海报取当周的活动",
            "files": [
                {
                    "name": s.slug,
                    "label": s.name,
                    "file": f"stations/{s.slug}/activities.yml",
                    "fields": [
                        {
                            "name": "items",
                            "label": "活动",
                            "label_singular": "活动",
                            "widget": "list",
                            "summary": "{{fields.date}} {{fields.start}} {{fields.title}}",
                            "collapsed": True,
                            "required": False,
                            "fields": fields.record(ACTIVITY),
                        },
                        _HEADER,
                    ],
                }
                for s in stations
            ],
        },
        {
            "name": "results",
            "label": "月度成效",
            "format": "stationsite-list",
            "description": "每个站点每月的汇总数（stations/<代号>/results.yml）；不填任何个人信息",
            "files": [
                {
                    "name": s.slug,
                    "label": s.name,
                    "file": f"stations/{s.slug}/results.yml",
                    "fields": [
                        {
                            "name": "items",
                            "label": "月份",
                            "label_singular": "月份",
                            "widget": "list",
                            "summary": "{{fields.month}}",
                            "collapsed": True,
                            "required": False,
                            "fields": fields.record(RESULT, counts=_counts_fields(content)),
                        },
                        _HEADER,
                    ],
                }
                for s in stations
            ],
        },
        _markdown_collection("rules", "制度上墙", "content/rules", RULE, fields, create=False),
        _markdown_collection("policies", "办事指南", "content/policies", POLICY, fields, create=False),
        _markdown_collection("news", "新闻动态", "content/news", NEWS, fields, create=True),
    ]
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
        "collections": collections,
    }


_HEADER = {"name": "_header", "label": "文件开头的注释", "widget": "hidden", "required": False}


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


def _counts_fields(content: Content) -> dict[str, Any]:
    return {
        "name": "counts",
        "label": "各指标本月数量",
        "widget": "object",
        "hint": "只填全站当月汇总数；当月为 0 的指标可以不填",
        "fields": [
            {
                "name": ind.id,
                "label": f"{ind.name}（{ind.unit}）",
                "widget": "number",
                "value_type": "int",
                "min": 0,
                "required": False,
                "hint": ind.id,
            }
            for ind in content.indicators
        ],
    }


def _markdown_collection(
    name: str, label: str, folder: str, schema: Record, fields: _FieldMaker, create: bool
) -> dict[str, Any]:
    collection: dict[str, Any] = {
        "name": name,
        "label": label,
        "folder": folder,
        "extension": "md",
        "format": "stationsite-frontmatter",
        "create": create,
        "delete": False,
        "identifier_field": "title",
        "fields": [
            *fields.record(schema),
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
    if create:
        # File names become addresses; a Chinese title would make a non-ASCII one.
        collection["slug"] = "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}"
    return collection


class _FieldMaker:
    """Decap field definitions from our declared fields."""

    def __init__(self, stations: dict[str, str]):
        self.stations = stations

    def record(self, schema: Record, **override: dict[str, Any]) -> list[dict[str, Any]]:
        return [override.get(f.name) or self.field(f) for f in schema.fields]

    def field(self, spec: Field) -> dict[str, Any]:
        out: dict[str, Any] = {"name": spec.name, "label": spec.doc, "required": spec.required}
        if spec.name in STATION_REFS:
            out.update(widget="select", options=[{"label": n, "value": s} for s, n in self.stations.items()])
        else:
            out.update(self.widget(spec.type))
        # A drop-down shows its choices already; other widgets say what they expect.
        shows_choices = out["widget"] == "select"
        hint = [f"键 {spec.name}", "" if shows_choices else spec.type.doc_name]
        if spec.example:
            hint.append(f"例如 {spec.example}")
        if not spec.required:
            hint.append("可不填")
        out["hint"] = "；".join(h for h in hint if h)
        return out

    def widget(self, kind: Type) -> dict[str, Any]:
        if isinstance(kind, Enum):
            return {"widget": "select", "options": _options(kind)}
        if isinstance(kind, Bool):
            return {"widget": "boolean", "default": False}
        if isinstance(kind, Int):
            return {"widget": "number", "value_type": "int", "min": kind.minimum}
        if isinstance(kind, Date):
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "YYYY-MM-DD",
                "time_format": False,
                "picker_utc": True,
            }
        if isinstance(kind, Time):
            return {"widget": "string", "pattern": [r"^\d{1,2}:\d{2}$", "时间写成 时:分，例如 08:30"]}
        if isinstance(kind, Month):
            return {"widget": "string", "pattern": [r"^\d{4}-\d{2}$", "月份写成 年-月，例如 2026-10"]}
        if isinstance(kind, Pattern):
            return {"widget": "string", "pattern": [f"^(?:{kind.regex.pattern})$", f"应为{kind.expected}"]}
        if isinstance(kind, Text):
            out: dict[str, Any] = {"widget": "string"}
            if kind.max_len:
                out["pattern"] = [f"^[\\s\\S]{{1,{kind.max_len}}}$", f"最多 {kind.max_len} 个字"]
            return out
        if isinstance(kind, ListOf):
            if isinstance(kind.item, Enum):
                return {
                    "widget": "select",
                    "multiple": True,
                    "min": kind.min_items or None,
                    "options": _options(kind.item),
                }
            if isinstance(kind.item, Record):
                return {
                    "widget": "list",
                    "min": kind.min_items or None,
                    "collapsed": False,
                    "fields": self.record(kind.item),
                }
            return {
                "widget": "list",
                "min": kind.min_items or None,
                "summary": "{{fields.item}}",  # a folded item shows its text, not the word 一项
                "field": {"name": "item", "label": "一项", **self.widget(kind.item)},
            }
        if isinstance(kind, Record):
            return {"widget": "object", "collapsed": False, "fields": self.record(kind)}
        if isinstance(kind, MapOf):
            raise ValueError("MapOf needs a field list from the content (see _counts_fields)")
        raise ValueError(f"no Decap widget for {type(kind).__name__}")


def _options(kind: Enum) -> list[dict[str, str]]:
    return [
        {"label": label if label == key else f"{label}（{key}）", "value": key}
        for key, label in kind.choices.items()
    ]


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
    written.append(Path(shutil.copyfile(FORMATS_JS, admin / "stationsite-formats.js")))
    (admin / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    html = ADMIN_HTML.format(csp=admin_csp(config["backend"]), site_name=_html_text(site_name))
    (admin / "index.html").write_text(html, encoding="utf-8")
    return [*written, admin / "config.yml", admin / "index.html"]


def _html_text(text: str) -> str:
    return re.sub(r"[&<>\"]", lambda m: {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[m[0]], text)
