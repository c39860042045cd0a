"""Which posters a station has, and where each one's QR code points. Cheap: no rendering.

The station page lists these (title, PDF, HTML); the build renders them; ``stationsite diff``
compares their fingerprints. Order is the order of ``all.pdf``: information board, this week,
posted rules, service flow, results, the A6 QR card.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import Content, Rule, Station

SERVICE_FLOW_RULE = "service-flow"  # the posted rule whose ordered list is the 服务流程 poster


@dataclass(frozen=True)
class PosterSpec:
    """One poster of one station.

    ``page_url_path`` is site-relative (no leading slash), e.g. ``stations/shicheng/`` or
    ``stations/shicheng/#activities``; the QR code opens ``site_url + page_url_path``.
    ``html_name``/``pdf_name`` are file names inside ``posters/<slug>/``.
    """

    id: str
    title: str
    page_url_path: str
    html_name: str
    pdf_name: str
    kind: str  # board | week | rule | flow | results | card
    station: str
    paper: str = "A4"  # the paper it is designed for; a rule too long for A4 is printed on A3
    rule_name: str | None = None


def _spec(
    station: Station,
    ident: str,
    kind: str,
    title: str,
    path: str,
    *,
    paper: str = "A4",
    rule_name: str | None = None,
) -> PosterSpec:
    return PosterSpec(
        id=ident,
        title=title,
        page_url_path=path,
        html_name=f"{ident}.html",
        pdf_name=f"{ident}.pdf",
        kind=kind,
        station=station.slug,
        paper=paper,
        rule_name=rule_name,
    )


def rule_url_path(station: Station, rule: Rule) -> str:
    """The page of the rule as this station posts it: its own version, else the county rule."""
    if rule.station == station.slug:
        return f"stations/{station.slug}/rules/{rule.name}/"
    return f"rules/{rule.name}/"


def service_flow_rule(content: Content, station: Station) -> Rule | None:
    for rule in content.rules_for(station):
        if rule.name == SERVICE_FLOW_RULE:
            return rule
    return None


def poster_specs(content: Content, station: Station) -> list[PosterSpec]:
    """Every poster of ``station``, in print order. Ids: board, week, rule-<name>, flow, results, card.

    The service-flow rule is posted as the 服务流程 poster (numbered steps), not a second time as
    a text rule.
    """
    base = f"stations/{station.slug}/"
    specs = [
        _spec(station, "board", "board", "公示栏", base),
        _spec(station, "week", "week", "本周活动安排", base + "#activities"),
    ]
    for rule in content.rules_for(station):
        if rule.name == SERVICE_FLOW_RULE:
            continue
        specs.append(
            _spec(
                station,
                f"rule-{rule.name}",
                "rule",
                rule.title,
                rule_url_path(station, rule),
                rule_name=rule.name,
            )
        )
    flow = service_flow_rule(content, station)
    if flow is not None:
        specs.append(
            _spec(station, "flow", "flow", "服务流程", rule_url_path(station, flow), rule_name=flow.name)
        )
    specs.append(_spec(station, "results", "results", "服务成效", base + "#results"))
    specs.append(_spec(station, "card", "card", "二维码卡片", base, paper="A6"))
    return specs
