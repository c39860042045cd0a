"""programme.json: what the contract buys and pays for — budget, funding sources with their amounts
and shares, payment milestones with their percentages, conditions, dates and whether each is met.

The milestones follow the spirit of OCDS ``contracts.implementation.milestones`` (id, title, type,
dueDate, dateMet, status met / scheduled), so an auditor can map them onto OCDS tooling.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.content.model import Content
from generator.opendata.jsonfile import write_json

MET, SCHEDULED = "met", "scheduled"
PROGRAMME_SCHEMA_PATH = "programme.schema.json"

_MONEY = {"type": ["integer", "null"], "minimum": 0}
PROGRAMME_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "项目、预算、资金来源与付款节点",
    "type": "object",
    "required": [
        "county",
        "authority",
        "contractor",
        "programme",
        "period",
        "budget_yuan",
        "funding",
        "milestones",
    ],
    "properties": {
        "county": {"type": "string"},
        "authority": {"type": "string", "description": "购买主体"},
        "contractor": {"type": "string", "description": "承接机构"},
        "programme": {"type": "string"},
        "period": {
            "type": "object",
            "properties": {
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
            },
        },
        "budget_yuan": {**_MONEY, "description": "项目预算（元），未公布时为 null"},
        "funding": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "yuan", "share"],
                "properties": {
                    "source": {"type": "string", "description": "资金来源"},
                    "yuan": _MONEY,
                    "share": {"type": ["number", "null"], "description": "占预算的比例（0..1）"},
                },
            },
        },
        "milestones": {
            "type": "array",
            "description": "付款节点（参照 OCDS implementation.milestones）",
            "items": {
                "type": "object",
                "required": ["id", "title", "type", "percent", "status"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string", "description": "付款条件"},
                    "type": {"const": "payment"},
                    "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                    "yuan": {**_MONEY, "description": "预算 × 比例，没有预算时为 null"},
                    "dueDate": {"type": ["string", "null"], "format": "date"},
                    "dateMet": {"type": ["string", "null"], "format": "date"},
                    "status": {"enum": [MET, SCHEDULED]},
                },
            },
        },
    },
}


def programme_data(content: Content) -> dict[str, Any]:
    p = content.programme
    return {
        "county": p.county,
        "authority": p.authority,
        "contractor": p.contractor,
        "programme": p.programme,
        "period": {"start": p.period_start.isoformat(), "end": p.period_end.isoformat()},
        "budget_yuan": p.budget_yuan,
        "funding": [
            {
                "source": source,
                "yuan": yuan,
                "share": round(yuan / p.budget_yuan, 4) if p.budget_yuan else None,
            }
            for source, yuan in p.funding
        ],
        "milestones": [
            {
                "id": f"payment-{i + 1}",
                "title": pay.after,
                "type": "payment",
                "percent": pay.percent,
                "yuan": p.payment_yuan(pay),
                "dueDate": pay.due.isoformat() if pay.due else None,
                "dateMet": pay.met.isoformat() if pay.met else None,
                "status": pay.status,
            }
            for i, pay in enumerate(p.payments)
        ],
    }


def write_programme(content: Content, path: Path) -> list[Path]:
    """programme.json and, next to it, its JSON Schema."""
    return [
        write_json(path, programme_data(content)),
        write_json(path.parent / PROGRAMME_SCHEMA_PATH, PROGRAMME_SCHEMA),
    ]
