"""The built sample site (the session build): the auditor's /results/, money on the about page."""

from __future__ import annotations

import re
from pathlib import Path


def test_results_page_opens_with_who_lags_then_county_progress_then_stations(built_site: Path) -> None:
    html = (built_site / "results/index.html").read_text(encoding="utf-8")
    order = [
        html.index(f'id="{anchor}"') for anchor in ("lagging", "county", "cumulative", "money", "stations")
    ]
    assert order == sorted(order)
    assert '<table class="ss-lag">' in html and "截至 2026 年 10 月，全部 10 个站已填报。" in html
    # cumulative charts: inline SVG with a text alternative, no script anywhere in the content
    charts = re.findall(r'<svg class="ss-chart ss-cumulative" id="cum-([a-z_]+)"', html)
    assert "home_visits" in charts and "trainings" in charts
    desc = re.search(r'<desc id="cum-home_visits-d">([^<]+)</desc>', html)
    assert desc and "累计完成（人次）" in desc[1] and "目标 10500" in desc[1]  # three-year contract
    content = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    assert "<script" not in content


def test_about_page_and_open_data_publish_the_money(built_site: Path) -> None:
    about = (built_site / "about/index.html").read_text(encoding="utf-8")
    assert 'id="money"' in about and "5,400,000" in about and "尚未达成" in about
    assert (built_site / "data/programme.json").is_file() and (
        built_site / "data/programme.schema.json"
    ).is_file()
