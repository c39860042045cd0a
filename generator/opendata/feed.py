"""feed.xml: an Atom feed of the news, newest first, with absolute links under site_url.

Each entry's id is its page address (stable across builds); updated/published are the item's
date at 00:00 Shanghai and the feed's updated is the build moment, so output is reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from feedgen.feed import FeedGenerator

from generator.clock import SHANGHAI
from generator.content.model import Content, NewsItem
from generator.content.richtext import markdown_to_html

KIND_LABELS = {"news": "新闻", "brief": "月度简报", "case": "服务案例"}


def write_feed(content: Content, site_url: str, moment: dt.datetime, path: Path) -> Path:
    p = content.programme
    fg = FeedGenerator()
    fg.id(site_url)
    fg.title(f"{p.site_title} 新闻动态")
    fg.subtitle(p.programme)
    fg.author({"name": p.authority})
    fg.link(href=site_url, rel="alternate", type="text/html")
    fg.link(href=f"{site_url}feed.xml", rel="self", type="application/atom+xml")
    fg.language("zh-CN")
    fg.rights("CC BY 4.0")
    fg.updated(moment)
    for item in sorted(content.news, key=lambda n: (n.date, n.name), reverse=True):
        _entry(fg, item, site_url)
    fg.generator("stationsite")
    path.write_bytes(fg.atom_str(pretty=True))
    return path


def _entry(fg: FeedGenerator, item: NewsItem, site_url: str) -> None:
    url = f"{site_url}news/{item.name}/"
    day = dt.datetime(item.date.year, item.date.month, item.date.day, tzinfo=SHANGHAI)
    entry = fg.add_entry(order="append")
    entry.id(url)
    entry.title(item.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(day)
    entry.updated(day)
    entry.category(term=item.kind, label=KIND_LABELS.get(item.kind, item.kind))
    if item.summary:
        entry.summary(item.summary)
    entry.content(markdown_to_html(item.body), type="html")
