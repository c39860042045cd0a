"""Posters render offline and from the generator's own files only: the checker refuses images in
rules (and remote or outside references everywhere) first; the WeasyPrint fetcher refuses what gets
past it, with a Chinese problem naming the file and line."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest
from conftest import REPO

from generator.content.load import load_content
from generator.problems import ContentError

RULE = "content/rules/duties.md"
REFERENCES = [
    "![外网](http://127.0.0.1:9/track.png)",
    "![绝对路径](/etc/hostname)",
    "![上级目录](../../../../../../etc/hostname)",
    '<img src="file:///etc/hostname">',
    "![引用式][pic]",
    "[pic]: /etc/passwd",
]


def test_checker_refuses_every_kind_of_image_reference_in_a_rule(sample_copy: Path):
    path = sample_copy / RULE
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    start = len(lines) + 2
    path.write_text("\n".join(lines) + "\n\n" + "\n".join(REFERENCES) + "\n", encoding="utf-8")
    _, problems = load_content(sample_copy)
    ours = [p for p in problems if p.file == RULE]
    pictures = {p.line for p in ours if p.message.startswith("制度里插入了图片")}
    # every image line, and the reference definition the image uses
    assert pictures == {start, start + 1, start + 2, start + 3, start + 5}
    assert all("上墙海报" in (p.hint or "") for p in ours if p.message.startswith("制度里插入了图片"))
    leaving = {p.line for p in ours if "绝对路径" in p.message or "仓库以外" in p.message}
    assert {start + 1, start + 2, start + 5} <= leaving


def test_remote_images_are_refused_in_any_content(sample_copy: Path):
    news = sample_copy / "content" / "news" / "2026-11-20-case-elderly-living-alone.md"
    news.write_text(
        news.read_text(encoding="utf-8")
        + "\n![](https://evil.example/pixel.gif)\n[x]: //evil.example/y.png\n",
        encoding="utf-8",
    )
    _, problems = load_content(sample_copy)
    messages = [str(p) for p in problems]
    assert any("图片来自仓库以外：https://evil.example/pixel.gif" in m for m in messages), messages


@pytest.fixture(scope="module")
def renderer():
    from generator.posters import fonts
    from generator.posters.pdf import Renderer

    regular, bold = fonts.find_cjk_fonts()
    chars = fonts.base_characters()
    cache = REPO / ".cache" / "posters"
    return Renderer([fonts.make_subset(regular, chars, cache), fonts.make_subset(bold, chars, cache)])


def test_fetcher_refuses_network_and_files_outside(renderer):
    from generator.posters.offline import RefusedReference
    from generator.posters.render import Fit

    pixel = base64.b64encode(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
    ).decode()
    html = (
        "<html><head><style>.x { background: url(file:///etc/hostname) }</style></head><body>"
        '<img src="http://127.0.0.1:9/track.png"><img src="file:///etc/hostname">'
        '<img src="../../../../../../../etc/passwd"><div class="x">x</div>'
        f'<img src="data:image/png;base64,{pixel}"></body></html>'
    )
    with pytest.raises(RefusedReference) as refused:
        renderer.layout(html, Fit("A4", 12.0))
    urls = refused.value.urls
    assert any(u.startswith("http://127.0.0.1:9/") for u in urls)
    assert sum(u == "file:///etc/hostname" for u in urls) >= 1 and any(
        u.endswith("/etc/passwd") for u in urls
    )
    assert not any(u.startswith("data:") for u in urls)
    # the same renderer still lays out a clean poster afterwards (refusals do not leak between posters)
    assert (
        len(
            renderer.layout("<html><head><style></style></head><body>好</body></html>", Fit("A4", 12.0)).pages
        )
        == 1
    )


def test_a_reference_past_the_checker_stops_the_build_with_file_and_line(sample_content, sample_copy: Path):
    """The checker is the first wall; build the posters of a model it never saw to test the second."""
    import shutil

    from generator.posters import build_posters
    from generator.results.progress import compute_results

    image = "![](http://127.0.0.1:9/track.png)"
    rule_file = sample_copy / RULE
    lines = rule_file.read_text(encoding="utf-8").rstrip("\n").split("\n") + ["", image]
    rule_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hub = sample_content.station("hub")
    rules = tuple(
        dataclasses.replace(r, body=r.body + "\n\n" + image) if r.name == "duties" else r
        for r in sample_content.rules
    )
    content = dataclasses.replace(sample_content, stations=(hub,), rules=rules)
    report = compute_results(content, dt_day())
    cache = sample_copy / ".cache" / "posters"  # the repository's own cache: the problem reads its files
    shutil.copytree(REPO / ".cache" / "posters" / "fonts", cache / "fonts")
    with pytest.raises(ContentError) as err:
        build_posters(
            content,
            report,
            sample_copy / "site" / "posters",
            "https://zhouning-mzfwz.example/",
            dt_day(),
            cache_dir=cache,
            workers=1,
        )
    messages = [str(p) for p in err.value.problems]
    assert messages == [
        f"content/rules/duties.md:{len(lines)}: 海报 posters/hub/rule-duties.pdf 引用了仓库以外的资源："
        "http://127.0.0.1:9/track.png（提示：海报离线生成，只能使用生成器自带的文件：请删除这张图片或这个链接）"
    ]


def dt_day():
    import datetime as dt

    return dt.date(2026, 11, 22)
