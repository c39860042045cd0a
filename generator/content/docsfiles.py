"""``docs/`` is content too: what may be published from it, and images without their metadata.

MkDocs publishes every file of ``docs_dir`` as it is. A pull request could add a script, an SVG
with a script inside, a PDF with JavaScript, or a photo whose EXIF data gives the GPS position of
a resident's home. So only an allow-list of file types is published (Markdown, plain text and the
common image formats), and images are published with their metadata removed (``strip_metadata``;
the checker refuses an image it cannot read, so a file named ``.png`` that is really HTML stops
here). Markdown pages are sanitised when the site is built (see ``generator.site.docsguard``);
symlinks, special files and file names are checked for every content directory in ``pathsafety``.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from generator.problems import Problem

DOCS_DIR = "docs"
TEXT_TYPES = {".md": "Markdown 页面", ".txt": "纯文本"}
IMAGE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}
# Files hosts read by exact name (GitHub Pages' custom domain, and a crawler policy).
EXACT_NAMES = {"CNAME", "robots.txt", ".nojekyll"}
ALLOWED_TEXT = "、".join(sorted({*TEXT_TYPES, *IMAGE_TYPES}))


class BadImage(ValueError):
    """The bytes are not the image format the file name says."""


def check_docs(root: Path) -> list[Problem]:
    """Problems with the files under ``docs/`` that MkDocs would publish."""
    base = root / DOCS_DIR
    problems: list[Problem] = []
    if not base.is_dir() or base.is_symlink():
        return problems
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                continue  # reported by pathsafety
            if name in EXACT_NAMES or name.startswith("."):
                continue  # MkDocs does not publish dotfiles
            suffix = path.suffix.lower()
            if suffix in TEXT_TYPES:
                continue
            if suffix not in IMAGE_TYPES:
                problems.append(
                    Problem(
                        rel,
                        None,
                        None,
                        f"docs/ 里不能发布这种文件（{suffix or '无扩展名'}）",
                        f"网站只发布这些类型：{ALLOWED_TEXT}；脚本、网页、SVG、PDF、压缩包等"
                        "可能带有脚本或个人信息，请不要放进 docs/",
                    )
                )
                continue
            try:
                strip_metadata(path.read_bytes(), suffix)
            except (OSError, BadImage) as exc:
                problems.append(
                    Problem(
                        rel,
                        None,
                        None,
                        f"图片无法识别（{exc}）",
                        f"请确认它确实是 {IMAGE_TYPES[suffix]} 图片：用画图或手机相册重新导出一份",
                    )
                )
    return problems


def published_images(docs_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in docs_dir.rglob("*")
        if p.suffix.lower() in IMAGE_TYPES and p.is_file() and not p.is_symlink()
    )


def strip_metadata(data: bytes, suffix: str) -> bytes:
    """The image without the metadata a camera or phone writes (EXIF with GPS, XMP, comments).

    Only the pixels and what is needed to show them correctly (colour profile) are kept. Raises
    ``BadImage`` when the bytes are not a well-formed file of that type.
    """
    kind = IMAGE_TYPES.get(suffix.lower())
    if kind == "PNG":
        return _png(data)
    if kind == "JPEG":
        return _jpeg(data)
    if kind == "GIF":
        return _gif(data)
    if kind == "WebP":
        return _webp(data)
    raise BadImage("不支持的图片类型")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise BadImage("不是 PNG 文件")
    out, pos = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise BadImage("PNG 文件不完整")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise BadImage("PNG 文件不完整")
        if kind not in _PNG_DROP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    raise BadImage("PNG 文件没有结尾")


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise BadImage("不是 JPEG 文件")
    out, pos = [b"\xff\xd8"], 2
    while pos < len(data):
        if data[pos] != 0xFF or pos + 2 > len(data):
            raise BadImage("JPEG 文件结构损坏")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            out.append(data[pos : pos + 2])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        if pos + 4 > len(data):
            raise BadImage("JPEG 文件不完整")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise BadImage("JPEG 文件不完整")
        segment = data[pos:end]
        # APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) are needed to
        # show the picture; every other APPn (EXIF, XMP, IPTC …) and comments are metadata.
        keep = not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in (0xE0, 0xE2, 0xEE)
        if keep:
            out.append(segment)
        pos = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the end of the file
            out.append(data[pos:])
            return b"".join(out)
    raise BadImage("JPEG 文件没有结尾")


def _gif(data: bytes) -> bytes:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise BadImage("不是 GIF 文件")
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = [data[:pos]]
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            out.append(b"\x3b")
            return b"".join(out)
        if block == 0x21:  # extension: label, then sub-blocks
            if pos + 2 > len(data):
                raise BadImage("GIF 文件不完整")
            label = data[pos + 1]
            end = _gif_sub_blocks(data, pos + 2)
            if label not in (0xFE, 0xFF) or data[pos + 2 : pos + 14] == b"\x0bNETSCAPE2.0":
                out.append(data[pos:end])  # keep graphic control and the looping extension
            pos = end
        elif block == 0x2C:  # image descriptor, optional local colour table, LZW data
            if pos + 10 > len(data):
                raise BadImage("GIF 文件不完整")
            local = data[pos + 9]
            start = pos + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            end = _gif_sub_blocks(data, start + 1)
            out.append(data[pos:end])
            pos = end
        else:
            raise BadImage("GIF 文件结构损坏")
    raise BadImage("GIF 文件没有结尾")


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    while True:
        if pos >= len(data):
            raise BadImage("GIF 文件不完整")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise BadImage("不是 WebP 文件")
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + size + (size & 1)
        if end > len(data) + (size & 1):
            raise BadImage("WebP 文件不完整")
        chunk = bytearray(data[pos:end])
        if kind == b"VP8X" and len(chunk) >= 9:
            chunk[8] &= ~0x0C & 0xFF  # clear the "has EXIF" and "has XMP" flags
        if kind not in (b"EXIF", b"XMP "):
            chunks.append(bytes(chunk))
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
