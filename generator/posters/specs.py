"""Which posters a station has, and where each one's QR code points. Cheap: no rendering.

The posters page lists these (title, code, PDF, HTML); the build renders them; ``stationsite diff``
compares their fingerprints. Order is the order of the posters page: information board (A4, A3),
this week (A4, A3), next week, posted rules, service flow, results, the A6 QR card and the A4 sheet
of four cards. ``all.pdf`` holds one copy of each poster in its A4 form (``in_all``): not the A3
copies, and the card sheet instead of the A6 card.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Content, Rule, Station

FLOW_POSTER = "flow"  # front matter ``poster: flow``: the rule is posted as the 服务流程 poster
FLOW_QR_PATH = "policies/"  # the flow poster promises the materials: the policy guides list them


@dataclass(frozen=True)
class PosterSpec:
    """One poster of one station.

    ``page_url_path`` is site-relative (no leading slash), e.g. ``stations/shicheng/`` or
    ``stations/shicheng/results/``; the QR code opens ``site_url + page_url_path``, and
    ``qr_caption`` is what the poster says that page is (printed beside the code with the
    address). ``html_name``/``pdf_name`` are file names inside ``posters/<slug>/``.
    """

    id: str
    title: str
    page_url_path: str
    html_name: str
    pdf_name: str
    kind: str  # board | week | rule | flow | results | card | cards
    station: str
    paper: str = "A4"  # the paper it is designed for; a rule too long for A4 is printed on A3
    rule_name: str | None = None
    qr_caption: str = "本站网页"
    week_offset: int = 0  # week posters: 0 this week, 1 next week
    in_all: bool = True  # one copy in all.pdf (A4 forms only)
    qr_count: int = 1  # QR codes printed on the page (the card sheet has four)


def _spec(
    station: Station,
    ident: str,
    kind: str,
    title: str,
    path: str,
    caption: str,
    **extra: object,
) -> PosterSpec:
    return PosterSpec(
        id=ident,
        title=title,
        page_url_path=path,
        html_name=f"{ident}.html",
        pdf_name=f"{ident}.pdf",
        kind=kind,
        station=station.slug,
        qr_caption=caption,
        **extra,  # type: ignore[arg-type]
    )


def rule_url_path(station: Station, rule: Rule) -> str:
    """The page of the rule as this station posts it: its own version, else the county rule."""
    if rule.station == station.slug:
        return f"stations/{station.slug}/rules/{rule.name}/"
    return f"rules/{rule.name}/"


def rule_poster(content: Content, rule: Rule) -> str | None:
    """The poster kind ``rule`` declares. A station's own version of a county rule that declares
    none keeps the county rule's kind: it is the same rule, reworded for the station."""
    if rule.poster or rule.station is None:
        return rule.poster
    county = next((r for r in content.rules if r.name == rule.name), None)
    return county.poster if county else None


def service_flow_rules(content: Content, station: Station) -> list[Rule]:
    """The rules ``station`` posts as 服务流程 posters (front matter ``poster: flow``), in order."""
    return [r for r in content.rules_for(station) if rule_poster(content, r) == FLOW_POSTER]


def service_flow_rule(content: Content, station: Station) -> Rule | None:
    flows = service_flow_rules(content, station)
    return flows[0] if flows else None


def flow_id(index: int, rule: Rule) -> str:
    return "flow" if index == 0 else f"flow-{rule.name}"


def poster_specs(content: Content, station: Station) -> list[PosterSpec]:
    """Every poster of ``station``, in page order. Ids: board, board-a3, week, week-a3, week-next,
    rule-<name>, flow (flow-<name> for a second flow rule), results, card, cards-a4.

    A flow rule is posted as the 服务流程 poster (numbered steps), not a second time as a text rule.
    """
    base = f"stations/{station.slug}/"
    week = base + "#activities"
    specs = [
        _spec(station, "board", "board", "公示栏", base, "本站网页"),
        _spec(station, "board-a3", "board", "公示栏", base, "本站网页", paper="A3", in_all=False),
        _spec(station, "week", "week", "本周活动安排", week, "本站网页的活动安排"),
        _spec(
            station, "week-a3", "week", "本周活动安排", week, "本站网页的活动安排", paper="A3", in_all=False
        ),
        _spec(station, "week-next", "week", "下周活动安排", week, "本站网页的活动安排", week_offset=1),
    ]
    flows = service_flow_rules(content, station)
    for rule in content.rules_for(station):
        if rule in flows:
            continue
        specs.append(
            _spec(
                station,
                f"rule-{rule.name}",
                "rule",
                rule.title,
                rule_url_path(station, rule),
                "本制度网页版",
                rule_name=rule.name,
            )
        )
    for i, rule in enumerate(flows):
        specs.append(
            _spec(
                station, flow_id(i, rule), "flow", rule.title, FLOW_QR_PATH, "办事指南", rule_name=rule.name
            )
        )
    specs.append(_spec(station, "results", "results", "服务成效", base + "results/", "本站逐月成效"))
    specs.append(_spec(station, "card", "card", "二维码卡片", base, "本站网页", paper="A6", in_all=False))
    specs.append(
        _spec(station, "cards-a4", "cards", "二维码卡片（一张 A4 四张）", base, "本站网页", qr_count=4)
    )
    return specs
