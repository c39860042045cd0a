"""The CJK font posters are printed in: find it, subset it once, describe it to WeasyPrint.

Why subset ourselves: handing WeasyPrint the whole Noto Sans CJK collection (65,535 glyphs, five
regional variants in one 20 MB file) makes every PDF pay for parsing it. We cut the Simplified
Chinese face down once, with fontTools, to GB 2312 (every character of everyday written Chinese)
plus any other character the build prints, save it under the cache directory, and load it with
``@font-face``. WeasyPrint then subsets that small font again per PDF, so each PDF embeds only the
glyphs it uses.

Why GB 2312 and not just the characters used: a PDF's bytes depend on the whole font file it was
made from (glyph ids), so a font that changed whenever anyone typed a new character into an
activity title would make every cached poster stale. With the fixed base, the font — and so the
cache — only changes when the build uses a rare character outside GB 2312.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.problems import ContentError, Problem

FAMILY = "StationSite CJK"  # the @font-face name; the HTML falls back to local fonts in browsers
SUBSET_VERSION = "1"  # bump when the subsetting options change
KNOWN_PATHS = {
    "regular": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    ],
    "bold": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    ],
}
PROBE = "周宁县民政服务站公示栏"  # a font that lacks these is no use for our posters


@dataclass(frozen=True)
class SourceFont:
    """A face inside a font file: path and index in a collection (.ttc)."""

    path: str
    index: int
    weight: int  # 400 or 700

    def digest(self) -> str:
        return _file_digest(self.path) + f":{self.index}"


@dataclass(frozen=True)
class SubsetFont:
    path: Path
    weight: int
    key: str  # hash of (source font bytes, face, characters, options): identifies the file's bytes


class FontMissing(ContentError):
    """No Chinese font: the build stops instead of printing boxes."""


def missing_font_error(detail: str) -> FontMissing:
    return FontMissing(
        [
            Problem(
                "海报",
                None,
                None,
                f"找不到可用的中文字体（{detail}），无法生成海报 PDF",
                "请安装 Noto Sans CJK 字体：Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk；"
                "或用环境变量 STATIONSITE_CJK_FONT 指定字体文件",
            )
        ]
    )


@lru_cache(maxsize=8)
def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:24]


# Reading a face's character map out of the 20 MB collection takes fontTools most of a second, and a
# build needs it twice per face (is it Chinese? does it have every character printed?). The map is
# kept in memory and, once the build names a cache folder, on disk under the font file's SHA-256,
# so a fresh process (a one-station rebuild) reads the file's bytes once and parses no font table.
_disk_cache: Path | None = None


def use_disk_cache(folder: Path | None) -> None:
    """Keep character maps of source fonts in ``folder`` (the poster cache's ``fonts/``)."""
    global _disk_cache
    _disk_cache = folder


def _ranges_text(codepoints: frozenset[int]) -> str:
    out, run = [], None
    for cp in sorted(codepoints):
        if run is not None and cp == run[1] + 1:
            run[1] = cp
            continue
        if run is not None:
            out.append(f"{run[0]:x}-{run[1]:x}")
        run = [cp, cp]
    if run is not None:
        out.append(f"{run[0]:x}-{run[1]:x}")
    return " ".join(out)


def _from_ranges(text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split():
        lo, _, hi = part.partition("-")
        out.update(range(int(lo, 16), int(hi, 16) + 1))
    return frozenset(out)


@lru_cache(maxsize=16)
def _charmap(path: str, index: int) -> frozenset[int]:
    """The code points face ``index`` of ``path`` draws; empty when it is no font we can read."""
    stored = None
    if _disk_cache is not None:
        stored = _disk_cache / f"cmap-{_file_digest(path)}-{index}.txt"
        try:
            text, _, check = stored.read_text(encoding="ascii").rpartition("\n")
            if hashlib.sha256(text.encode()).hexdigest() == check:
                return _from_ranges(text)
        except (OSError, UnicodeDecodeError, ValueError):
            pass  # missing or damaged: read the font again
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        cmap = TTFont(path, fontNumber=index, lazy=True).getBestCmap() or {}
    except Exception:  # not a font we can read: treat like no font
        return frozenset()
    codepoints = frozenset(cmap)
    if stored is not None:
        text = _ranges_text(codepoints)
        stored.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(stored, f"{text}\n{hashlib.sha256(text.encode()).hexdigest()}".encode("ascii"))
    return codepoints


def _covers_chinese(path: str, index: int) -> bool:
    cmap = _charmap(path, index)
    return all(ord(ch) in cmap for ch in PROBE)


def _fc_match(pattern: str) -> tuple[str, int] | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if "|" not in out:
        return None
    file, _, index = out.rpartition("|")
    return (file, int(index or 0)) if file else None


def _candidates(weight_name: str, weight: int) -> Iterator[tuple[str, int]]:
    """Font files to try, best first; lazily, so fc-match runs only until one is good."""
    env = os.environ.get("STATIONSITE_CJK_FONT" + ("_BOLD" if weight == 700 else ""), "").strip()
    if env:
        env_path, _, env_index = env.partition("#")  # "file.ttc#2" names a face in a collection
        yield (env_path, int(env_index or 0))
    style = ":weight=bold" if weight == 700 else ":weight=regular"
    for pattern in (
        f"Noto Sans CJK SC{style}",
        f"Source Han Sans SC{style}",
        f"sans-serif:lang=zh-cn{style}",
    ):
        found = _fc_match(pattern)
        if found:
            yield found
    yield from ((p, 2) for p in KNOWN_PATHS[weight_name])  # index 2 is SC in the Noto CJK collection


def _face(weight_name: str, weight: int) -> SourceFont | None:
    for path, index in _candidates(weight_name, weight):
        if os.path.isfile(path) and _covers_chinese(path, index):
            return SourceFont(path, index, weight)
    return None


@lru_cache(maxsize=1)
def find_cjk_fonts() -> tuple[SourceFont, SourceFont]:
    """(regular, bold) Simplified-Chinese faces; bold falls back to regular. Raises FontMissing."""
    regular = _face("regular", 400)
    if regular is None:
        raise missing_font_error("fc-match 与常见路径中都没有覆盖简体中文的字体")
    bold = _face("bold", 700) or SourceFont(regular.path, regular.index, 700)
    return regular, bold


@lru_cache(maxsize=1)
def base_characters() -> frozenset[str]:
    """Printable ASCII and every character of GB 2312 (6,763 hanzi plus punctuation and symbols)."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def subset_key(source: SourceFont, chars: frozenset[str]) -> str:
    h = hashlib.sha256()
    h.update(f"{SUBSET_VERSION}|{source.digest()}|{source.weight}|".encode())
    h.update("".join(sorted(chars)).encode())
    return h.hexdigest()[:32]


def missing_characters(source: SourceFont, chars: set[str]) -> list[str]:
    """Characters the font cannot draw (they would print as boxes); whitespace and controls ignored."""
    cmap = _charmap(source.path, source.index)
    return sorted(ch for ch in chars if ord(ch) not in cmap and ch.isprintable() and not ch.isspace())


def make_subset(source: SourceFont, chars: frozenset[str], cache_dir: Path) -> SubsetFont:
    """The subset of ``source`` to ``chars``, from the cache or made now (a few seconds per weight)."""
    key = subset_key(source, chars)
    path = cache_dir / "fonts" / f"{FAMILY.replace(' ', '')}-{source.weight}-{key}.otf"
    if not _intact(path):
        from fontTools import subset  # type: ignore[import-untyped]
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        font = TTFont(source.path, fontNumber=source.index, lazy=True)
        options = subset.Options()
        # Layout tables are dropped: WeasyPrint drops GSUB/GPOS from embedded fonts anyway, and
        # their closure over thousands of glyphs is most of the subsetting time.
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "BASE", "JSTF", "DSIG"]
        options.hinting = False
        options.notdef_outline = True
        options.name_IDs = [1, 2, 3, 4, 6]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = buf.getvalue()
        _write_atomic(path, data)  # atomic: a parallel build never reads half a font
        _write_atomic(_digest_path(path), hashlib.sha256(data).hexdigest().encode())
    return SubsetFont(path, source.weight, key)


def _digest_path(font: Path) -> Path:
    return font.with_name(font.name + ".sha256")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _intact(font: Path) -> bool:
    """Whether a cached subset is the file we wrote (its SHA-256 is stored beside it). Garbage
    there — a disk error, an interrupted copy — would otherwise make WeasyPrint fall back silently
    to another font; a font without its digest is made again."""
    try:
        expected = _digest_path(font).read_text(encoding="ascii").strip()
        return hashlib.sha256(font.read_bytes()).hexdigest() == expected
    except (OSError, UnicodeDecodeError):
        return False


def font_face_css(fonts: list[SubsetFont]) -> str:
    """@font-face rules for WeasyPrint (file URLs into the cache; never written into the HTML files)."""
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {f.weight}; font-style: normal; '
        f'src: url("{f.path.resolve().as_uri()}"); }}'
        for f in sorted(fonts, key=lambda f: f.weight)
    )
