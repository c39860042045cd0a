"""Where the previous ledger of poster codes comes from, and why it is not trusted.

The ledger (see issue.py) is what makes an old poster's code page say 已更新. A CI machine starts
empty, so the publishing workflow names the published ledger with ``STATIONSITE_POSTER_LEDGER``:

- a file path: read it;
- an ``http(s)://`` address, or ``published`` (= ``<site_url>posters/ledger.json``, the ledger the
  live site serves): download it, at most ``MAX_BYTES``, within ``TIMEOUT_S``;
- unset: the ledger of the ``site/`` this build replaces (a local build).

Whatever it says is untrusted input — a deployed file anyone with write access to the web server
could have changed, or an answer from whatever host the address reaches: its codes become URL path
segments (``/posters/<slug>/<code>/``) and its titles page text. So it is schema-checked: a file that
is not JSON, not a ledger of this version, or too large is ignored as a whole; an entry whose
station or poster id, code or date is not of its exact form is dropped. Titles are plain text (the
pages escape them) cut to ``MAX_TITLE`` characters. A missing ledger (no file, HTTP 404, no
answer) is a first publication: every code is issued today. Nothing here fails a build; each case
says in one log line what was read and what it means.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Any

LOG = logging.getLogger("stationsite.posters")
LEDGER_NAME = "ledger.json"
LEDGER_ENV = "STATIONSITE_POSTER_LEDGER"
LEDGER_VERSION = 1
PUBLISHED = "published"  # STATIONSITE_POSTER_LEDGER=published: the live site's own ledger
MAX_BYTES = 32 * 1024 * 1024  # 1,000 stations with a year of weekly codes is about 12 MB
TIMEOUT_S = 20
MAX_TITLE = 200
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
POSTER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")  # issue.ALPHABET
FIRST = "按首次发布处理：所有海报编号从今天起算，旧编号的“已更新”页面不会生成"


def checked(data: Any) -> tuple[dict[str, Any], int]:
    """(the ledger with only well-formed entries, how many entries were dropped); a value that is
    not a ledger of this version gives an empty one."""
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is not int or version != LEDGER_VERSION:
        raise ValueError("不是本版本的海报编号台账")
    stations = data.get("stations")
    if not isinstance(stations, dict):
        raise ValueError("缺少 stations")
    out: dict[str, dict[str, list[dict[str, str]]]] = {}
    dropped = 0
    for slug, posters in stations.items():
        if not isinstance(slug, str) or not SLUG.fullmatch(slug) or not isinstance(posters, dict):
            dropped += 1
            continue
        for pid, entries in posters.items():
            if not isinstance(pid, str) or not POSTER_ID.fullmatch(pid) or not isinstance(entries, list):
                dropped += 1
                continue
            kept = []
            for item in entries:
                entry = _entry(item)
                if entry is None:
                    dropped += 1
                else:
                    kept.append(entry)
            if kept:
                out.setdefault(slug, {})[pid] = kept
    return {"version": LEDGER_VERSION, "stations": out}, dropped


def _entry(item: Any) -> dict[str, str] | None:
    if not isinstance(item, dict):
        return None
    code, issued, title = item.get("code"), item.get("issued"), item.get("title", "")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return None
    if not isinstance(issued, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
        return None
    try:
        dt.date.fromisoformat(issued)
    except ValueError:
        return None
    if not isinstance(title, str):
        return None
    title = "".join(ch for ch in title if ch.isprintable())[:MAX_TITLE]
    return {"code": code, "issued": issued, "title": title}


def parse(raw: bytes, where: str) -> dict[str, Any]:
    """The checked ledger in ``raw`` (from ``where``, for the log), or {} with a log line why not."""
    if len(raw) > MAX_BYTES:
        LOG.warning("海报编号台账 %s 超过 %d MB，不予读取；%s", where, MAX_BYTES // (1024 * 1024), FIRST)
        return {}
    try:
        ledger, dropped = checked(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        LOG.warning("海报编号台账 %s 无法读取（%s）；%s", where, str(exc)[:80], FIRST)
        return {}
    codes = sum(len(e) for posters in ledger["stations"].values() for e in posters.values())
    note = f"，{dropped} 条格式不对已忽略" if dropped else ""
    LOG.info("海报编号台账：从 %s 读取 %d 个站点的 %d 个编号%s", where, len(ledger["stations"]), codes, note)
    return ledger


@lru_cache(maxsize=8)
def _download(url: str) -> bytes | None:
    """The body at ``url`` (at most MAX_BYTES + 1 bytes), or None when there is none (logged).
    Kept for the process: the pages and the posters of one build read the same ledger."""
    request = urllib.request.Request(url, headers={"User-Agent": "stationsite", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (http(s) only)
            return bytes(response.read(MAX_BYTES + 1))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            LOG.info("海报编号台账：%s 还没有（HTTP 404，网站尚未发布过海报）；%s", url, FIRST)
        else:
            LOG.warning("海报编号台账：下载 %s 失败（HTTP %d）；%s", url, exc.code, FIRST)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        LOG.warning("海报编号台账：无法连接 %s（%s）；%s", url, str(reason)[:80], FIRST)
    return None


def source(previous_site: Path | None, site_url: str) -> str | None:
    """Where the previous ledger is: an address, a path, or None (no previous ledger)."""
    named = os.environ.get(LEDGER_ENV, "").strip()
    if named == PUBLISHED:
        return site_url.rstrip("/") + "/posters/" + LEDGER_NAME
    if named:
        return named
    if previous_site is not None:
        return str(previous_site / "posters" / LEDGER_NAME)
    return None


def previous_ledger(previous_site: Path | None, site_url: str) -> dict[str, Any]:
    """The previous ledger, checked; {} for a first publication (see the module docstring)."""
    where = source(previous_site, site_url)
    if where is None:
        return {}
    if where.startswith(("http://", "https://")):
        raw = _download(where)
        return {} if raw is None else parse(raw, where)
    path = Path(where)
    if not path.is_file():
        if os.environ.get(LEDGER_ENV):  # named but absent: say so; no site/ yet is the usual case
            LOG.info("海报编号台账：没有文件 %s；%s", where, FIRST)
        return {}
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        LOG.warning("海报编号台账 %s 无法读取（%s）；%s", where, exc.strerror, FIRST)
        return {}
    return parse(raw, where)


def ledger_json(ledger: dict[str, Any]) -> str:
    return json.dumps(ledger, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
