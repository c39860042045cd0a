"""docs/ is content: only an allow-list of file types, images without metadata, no symlinks,
sanitised pages (also one that replaces a generated page), and ``stationsite diff`` shows it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import need_zensical
from hostile_payloads import ENGINES, HOSTILE_BODY, file_problems
from PIL import Image

from generator.cli import main
from generator.content.docsfiles import BadImage, strip_metadata
from generator.content.load import load_content
from generator.publishing.docsdiff import docs_changes


def _messages(root: Path) -> list[str]:
    _, problems = load_content(root)
    return [str(p) for p in problems]


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (16, 12), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (26.0, 6.0, 0.0)}  # GPS: latitude
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, comment=b"home of a resident")
    return buf.getvalue()


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "某某 13900000000")
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def test_image_metadata_is_stripped_and_pixels_kept():
    jpeg = _jpeg_with_gps()
    assert Image.open(io.BytesIO(jpeg)).getexif()
    clean = strip_metadata(jpeg, ".jpg")
    img = Image.open(io.BytesIO(clean))
    assert not img.getexif() and b"PhoneMaker" not in clean and b"home of a resident" not in clean
    assert img.size == (16, 12) and img.tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()
    png = _png_with_text()
    clean = strip_metadata(png, ".png")
    assert b"13900000000" in png and b"13900000000" not in clean
    assert Image.open(io.BytesIO(clean)).tobytes() == Image.open(io.BytesIO(png)).tobytes()
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "GIF", comment=b"secret")
    assert b"secret" not in strip_metadata(buf.getvalue(), ".gif")
    Image.open(io.BytesIO(strip_metadata(buf.getvalue(), ".gif"))).load()
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "WEBP", exif=Image.open(io.BytesIO(jpeg)).getexif())
    assert b"PhoneMaker" in buf.getvalue() and b"PhoneMaker" not in strip_metadata(buf.getvalue(), ".webp")
    Image.open(io.BytesIO(strip_metadata(buf.getvalue(), ".webp"))).load()
    for bad, suffix in ((b"<html><script>", ".png"), (jpeg[:40], ".jpg"), (b"GIF89a", ".gif")):
        with pytest.raises(BadImage):
            strip_metadata(bad, suffix)


def test_checker_refuses_unpublishable_docs_files(sample_copy: Path):
    docs = sample_copy / "docs"
    (docs / "evil.js").write_text("alert(1)", encoding="utf-8")
    (docs / "logo.svg").write_text('<svg onload="alert(1)"/>', encoding="utf-8")
    (docs / "notice.pdf").write_bytes(b"%PDF-1.4 /JS (app.alert(1))")
    (docs / "fake.png").write_text("<html><script>alert(1)</script>", encoding="utf-8")
    (docs / "ok.png").write_bytes(_png_with_text())
    (docs / "config.txt").symlink_to("../.git/config")
    (docs / "inside.md").symlink_to("about.md")
    messages = _messages(sample_copy)
    joined = "\n".join(messages)
    for name in ("evil.js", "logo.svg", "notice.pdf"):
        assert f"docs/{name}: docs/ 里不能发布这种文件" in joined
    assert "docs/fake.png: 图片无法识别（不是 PNG 文件）" in joined
    assert "docs/config.txt: 这是符号链接" in joined and "docs/inside.md: 这是符号链接" in joined
    assert "ok.png" not in joined  # a readable image is published, without its metadata
    assert len(messages) == 6, messages


@pytest.mark.parametrize("engine", ENGINES)
def test_docs_pages_and_images_are_published_harmless(sample_copy: Path, engine: str):
    if engine == "zensical":
        need_zensical()
    docs = sample_copy / "docs"
    (docs / "stations" / "hub").mkdir(parents=True)
    # a hand-written page in place of a generated one is still sanitised
    # (with the section the station's results page links back to: Zensical checks anchors in strict mode)
    (docs / "stations" / "hub" / "index.md").write_text(
        "# 总站\n\n## 服务成效 {#results}\n" + HOSTILE_BODY, encoding="utf-8"
    )
    (docs / "about.md").write_text(
        (docs / "about.md").read_text(encoding="utf-8") + HOSTILE_BODY, encoding="utf-8"
    )
    (docs / "photo.jpg").write_bytes(_jpeg_with_gps())
    assert main(["build", "--root", str(sample_copy), "--no-posters", "--engine", engine]) == 0
    site = sample_copy / "site"
    for page in ("stations/hub/index.html", "about/index.html"):
        assert file_problems(site / page) == [], page
        assert "点我" in (site / page).read_text(encoding="utf-8")  # the text stays
    # the generated sections of the about page survive the sanitiser (they are ours)
    assert 'class="ss-' in (site / "about" / "index.html").read_text(encoding="utf-8")
    published = (site / "photo.jpg").read_bytes()
    assert b"PhoneMaker" not in published and not Image.open(io.BytesIO(published)).getexif()


def test_diff_shows_hand_written_page_changes(tmp_path: Path):
    base, head = tmp_path / "base", tmp_path / "head"
    for folder in (base, head):
        (folder / "docs").mkdir(parents=True)
        (folder / "docs" / "about.md").write_text("# 关于\n\n正文\n", encoding="utf-8")
        (folder / "docs" / "old.md").write_text("# 旧页\n", encoding="utf-8")
    (head / "docs" / "about.md").write_text("# 关于\n\n正文\n<script>steal()</script>\n", encoding="utf-8")
    (head / "docs" / "old.md").unlink()
    (head / "docs" / "new.md").write_text("# 新页 <b>\n\n```x```\n", encoding="utf-8")
    (head / "docs" / "a.png").write_bytes(b"\x89PNG")
    lines = docs_changes(base, head)
    text = "\n".join(lines)
    assert "- 修改手写页面：`docs/about.md`（关于）：增加 1 行，删除 0 行" in text
    assert "\n<script>steal()</script>\n```" in text  # inside a fenced block: shown, not run
    assert "- 删除手写页面：`docs/old.md`（旧页）" in text
    assert "- 新增手写页面：`docs/new.md`（新页 \\<b\\>）" in text and "````text" in text
    assert "- 新增手写文件：`docs/a.png`" in text
    assert docs_changes(base, base) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_docs_file_is_a_problem(sample_copy: Path):
    page = sample_copy / "docs" / "secret.md"
    page.write_text("# x\n", encoding="utf-8")
    page.chmod(0)
    assert "docs/secret.md: 无法读取文件：没有读取权限" in "\n".join(_messages(sample_copy))
