"""``stationsite comment FILE``: post the diff as the pull request's comment on Gitea or Forgejo.

GitHub's workflow uses actions/github-script; Gitea and Forgejo have their own API (``/api/v1``),
the same on both, which this speaks with the runner's token: one comment per pull request, found
again by its marker and updated, so a pull request never collects a comment per push.
Reads ``TOKEN``, ``API`` (``<server>/api/v1/repos/<owner>/<repo>``) and ``PR`` from the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from generator.publishing.contentdiff import MARKER

LIMIT = 60000  # Gitea accepts longer bodies, but nobody reads past this; the log has the rest


def _call(method: str, url: str, token: str, body: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"token {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def post_comment(api: str, pr: str, token: str, body: str) -> str:
    """Create or update our comment; return "created" or "updated"."""
    if len(body) > LIMIT:
        body = body[:LIMIT] + "\n\n……内容过长，完整结果见检查日志。"
    api = api.rstrip("/")
    mine = None
    page = 1
    while mine is None:
        batch = _call("GET", f"{api}/issues/{pr}/comments?page={page}&limit=50", token) or []
        mine = next((c for c in batch if MARKER in (c.get("body") or "")), None)
        if len(batch) < 50:
            break
        page += 1
    if mine is not None:
        _call("PATCH", f"{api}/issues/comments/{mine['id']}", token, {"body": body})
        return "updated"
    _call("POST", f"{api}/issues/{pr}/comments", token, {"body": body})
    return "created"


def cmd_comment(args: argparse.Namespace) -> int:
    missing = [name for name in ("TOKEN", "API", "PR") if not os.environ.get(name)]
    if missing:
        print(
            f"缺少环境变量 {'、'.join(missing)}：这个命令在 Gitea/Forgejo 的工作流里运行（见 .gitea/workflows/）。",
            file=sys.stderr,
        )
        return 1
    path = Path(args.file)
    body = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not body.strip():
        body = MARKER + "\n比较没有输出，请打开本次检查的日志查看原因。"
    try:
        done = post_comment(os.environ["API"], os.environ["PR"], os.environ["TOKEN"], body)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"评论没有发出去：{exc}。检查结果仍在本次运行的日志里。", file=sys.stderr)
        return 1
    print("已更新拉取请求里的比较评论。" if done == "updated" else "已在拉取请求里发表比较评论。")
    return 0
