"""`stationsite comment` (Gitea/Forgejo pull-request comment) and `stationsite build --preview` links."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.cli import main
from generator.publishing.contentdiff import MARKER
from generator.site.preview import folder_link_to_file, make_browsable_from_disk


class GiteaAPI(BaseHTTPRequestHandler):
    """Answers the three endpoints of Gitea's /api/v1 that the command uses, as Gitea documents them."""

    comments: list[dict] = []
    calls: list[tuple[str, str, str]] = []

    def _reply(self, code: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self) -> None:  # noqa: N802 (http.server's names)
        self.calls.append(("GET", self.path, self.headers["Authorization"]))
        page = int(self.path.split("page=")[1].split("&")[0])
        self._reply(200, self.comments[(page - 1) * 50 : page * 50])

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        self.calls.append(("POST", self.path, body["body"]))
        self.comments.append({"id": 100 + len(self.comments), "body": body["body"]})
        self._reply(201, self.comments[-1])

    def do_PATCH(self) -> None:  # noqa: N802
        body = self._body()
        self.calls.append(("PATCH", self.path, body["body"]))
        wanted = int(self.path.rsplit("/", 1)[1])
        next(c for c in self.comments if c["id"] == wanted)["body"] = body["body"]
        self._reply(200, {})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gitea(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), GiteaAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    GiteaAPI.comments, GiteaAPI.calls = [{"id": i, "body": f"someone else {i}"} for i in range(60)], []
    monkeypatch.setenv("TOKEN", "t0ken")
    monkeypatch.setenv("API", f"http://127.0.0.1:{server.server_port}/api/v1/repos/county/site")
    monkeypatch.setenv("PR", "7")
    yield GiteaAPI
    server.shutdown()


def test_comment_is_created_once_then_updated_on_gitea(gitea, tmp_path: Path, capsys) -> None:
    diff = tmp_path / "diff.md"
    diff.write_text(f"{MARKER}\n## 公众将看到的变化\n第一次", encoding="utf-8")
    assert main(["comment", str(diff)]) == 0
    assert [c[0] for c in gitea.calls] == ["GET", "GET", "POST"]  # two pages of other people's comments
    assert (
        gitea.calls[0][2] == "token t0ken"
        and gitea.calls[-1][1] == "/api/v1/repos/county/site/issues/7/comments"
    )
    diff.write_text(f"{MARKER}\n第二次", encoding="utf-8")
    assert main(["comment", str(diff)]) == 0
    assert (
        gitea.calls[-1][0] == "PATCH"
        and gitea.calls[-1][1] == "/api/v1/repos/county/site/issues/comments/160"
    )
    ours = [c for c in gitea.comments if MARKER in c["body"]]
    assert len(ours) == 1 and ours[0]["body"].endswith("第二次")
    assert "已更新" in capsys.readouterr().out


def test_comment_says_what_is_missing_and_when_the_host_cannot_be_reached(
    monkeypatch, tmp_path, capsys
) -> None:
    for name in ("TOKEN", "API", "PR"):
        monkeypatch.delenv(name, raising=False)
    assert main(["comment", str(tmp_path / "diff.md")]) == 1
    assert "TOKEN、API、PR" in capsys.readouterr().err
    monkeypatch.setenv("TOKEN", "x")
    monkeypatch.setenv("API", "http://127.0.0.1:9/api/v1/repos/a/b")  # nothing listens on the discard port
    monkeypatch.setenv("PR", "1")
    assert main(["comment", str(tmp_path / "diff.md")]) == 1
    assert "评论没有发出去" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../stations/qibu/#hours", "../stations/qibu/index.html#hours"),
        (".", "index.html"),
        ("..", "../index.html"),
        ("stations/", "stations/index.html"),
        ("data/?x#y", "data/index.html?x#y"),
        ("../posters/qibu/board.pdf", "../posters/qibu/board.pdf"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("//cdn.example/x/", "//cdn.example/x/"),
        ("#top", "#top"),
        ("tel:0593-0000001", "tel:0593-0000001"),
    ],
)
def test_preview_links_open_files_not_folders(url: str, expected: str) -> None:
    assert folder_link_to_file(url) == expected


def test_preview_rewrites_every_page_of_a_tree(tmp_path: Path) -> None:
    (tmp_path / "stations").mkdir()
    (tmp_path / "index.html").write_text('<a href="stations/">站点</a><a href="#x">x</a>', encoding="utf-8")
    (tmp_path / "stations" / "index.html").write_text("<a href='../'>首页</a>", encoding="utf-8")
    assert make_browsable_from_disk(tmp_path) == 2
    assert 'href="stations/index.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "href='../index.html'" in (tmp_path / "stations" / "index.html").read_text(encoding="utf-8")
    assert make_browsable_from_disk(tmp_path) == 0  # idempotent
