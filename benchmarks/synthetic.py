"""A synthetic county of N stations with realistic content, for benchmarks.

The sample county's ten stations come first (news items refer to them); beyond ten, each new station
is a copy of one of the nine township stations (profile, staff, hours, five weeks of activities,
monthly results, own rules) under a new slug ``town0010``… with a numbered plaque name and its own
landline, under the sample's hub. With fewer than ten, the news items' station references are
dropped. The result passes ``stationsite check``.

Run: ``python benchmarks/synthetic.py 250 /tmp/county`` (writes a repository you can build).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL = ("content", "docs", "theme", "mkdocs.yml")


def make_county(dest: Path, stations: int) -> Path:
    """Write a repository with ``stations`` stations (the hub included) into ``dest``."""
    if stations < 1:
        raise ValueError("a county has at least its hub")
    dest.mkdir(parents=True, exist_ok=True)
    for name in TOP_LEVEL:
        src = ROOT / name
        shutil.copytree(src, dest / name) if src.is_dir() else shutil.copy(src, dest / name)
    models = sorted(p for p in (ROOT / "stations").iterdir() if p.is_dir() and p.name != "hub")
    shutil.copytree(ROOT / "stations" / "hub", dest / "stations" / "hub")
    for model in models[: stations - 1]:
        shutil.copytree(model, dest / "stations" / model.name)
    if stations < len(models) + 1:
        for news in (dest / "content" / "news").glob("*.md"):
            news.write_text(re.sub(r"(?m)^station: .*\n", "", news.read_text(encoding="utf-8")), encoding="utf-8")
    for i in range(len(models) + 1, stations):
        model = models[(i - 1) % len(models)]
        slug = f"town{i:04d}"
        shutil.copytree(model, dest / "stations" / slug)
        profile = dest / "stations" / slug / "station.yml"
        text = profile.read_text(encoding="utf-8")
        # A distinct plaque name and landline per station, as a real county has.
        text = re.sub(r"(?m)^name: (.*?)民政服务站", rf"name: \g<1>第{i}民政服务站", text, count=1)
        text = re.sub(r'(?m)^phone: "[^"]*"', f'phone: "0593-{2000000 + i}"', text, count=1)
        profile.write_text(text, encoding="utf-8")
    return dest


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("用法：python benchmarks/synthetic.py 站点数 输出目录", file=sys.stderr)
        return 2
    out = make_county(Path(argv[1]), int(argv[0]))
    print(f"已生成 {argv[0]} 个站点的示例县：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
