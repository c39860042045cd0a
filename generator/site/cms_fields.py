"""Decap CMS widgets from the declared schemas (``generator.content.schemas``).

One walker turns every ``Field`` of a ``Record`` into a Decap field: a widget per schema type,
the checker's required flag, enums as drop-downs, a short Chinese label and a hint with the
field's description, its key, what it expects and an example. ``stationsite check`` stays the
judge; the form only keeps a clerk from saving what the checker would refuse.

An optional record (an activity's ``repeat``, a station's ``signature_project``) is offered as a
list of at most one item, not as an object: Decap validates an object's required sub-fields even
when the whole object is optional and left empty (decap-cms issues #2103, #7748), so an object
widget would block saving every activity that does not repeat. ``one_item_paths`` names these
places, and the admin page's file formats (cms_formats.js) turn ``repeat: {...}`` into
``repeat: [{...}]`` when reading a file and back when writing it.
"""

from __future__ import annotations

from typing import Any

from generator.content.schema_types import (
    Bool,
    Date,
    Enum,
    Field,
    Int,
    ListOf,
    MapOf,
    Month,
    Pattern,
    Record,
    Text,
    Time,
    Type,
)

# Fields whose value is a station code: offered as a drop-down of the county's stations.
STATION_REFS = ("parent", "station")
# A step into each item of a list, in a path of ``one_item_paths``.
EACH = "*"


def is_one_item(spec: Field) -> bool:
    """An optional record: a one-item list in the form (see the module's docstring)."""
    return not spec.required and isinstance(spec.type, Record)


def one_item_paths(schema: Type) -> list[list[str]]:
    """Where optional records sit in a file of this schema, as key paths from the file's top
    (``EACH`` for every item of a list): ``[["*", "repeat"]]`` for activities.yml. Paths are as
    the form holds the data: below an optional record, its one item (``EACH``) comes first."""
    if isinstance(schema, ListOf):
        return [[EACH, *p] for p in one_item_paths(schema.item)]
    if not isinstance(schema, Record):
        return []
    paths: list[list[str]] = []
    for spec in schema.fields:
        inner = one_item_paths(spec.type)
        if is_one_item(spec):
            paths.append([spec.name])
            paths += [[spec.name, EACH, *p] for p in inner]
        else:
            paths += [[spec.name, *p] for p in inner]
    # Outer first: reading wraps a record into its list before the records inside it (the
    # formats unwrap in the reverse order).
    return sorted(paths, key=len)


class FieldMaker:
    """Decap field definitions from our declared fields.

    ``map_keys``: for a ``MapOf`` whose keys are data (indicator ids, station codes), the keys the
    county has, as (key, label) pairs, looked up by the MapOf's key pattern."""

    def __init__(self, stations: dict[str, str], map_keys: dict[Pattern, list[tuple[str, str]]]):
        self.stations = stations
        self.map_keys = map_keys

    def record(self, schema: Record) -> list[dict[str, Any]]:
        return [self.field(f) for f in schema.fields]

    def field(self, spec: Field) -> dict[str, Any]:
        out: dict[str, Any] = {"name": spec.name, "label": spec.short, "required": spec.required}
        if spec.name in STATION_REFS:
            out.update(widget="select", options=[{"label": n, "value": s} for s, n in self.stations.items()])
        elif is_one_item(spec):
            assert isinstance(spec.type, Record)
            out.update(
                widget="list",
                max=1,
                collapsed=False,
                label_singular=spec.short,
                summary=_summary(spec.type),
                fields=self.record(spec.type),
            )
        else:
            out.update(self.widget(spec.type))
        hint = [spec.doc if spec.doc != spec.short else "", f"键 {spec.name}"]
        # A drop-down shows its choices already; other widgets say what they expect.
        if out["widget"] != "select" and not is_one_item(spec):
            hint.append(spec.type.doc_name)
        if spec.example:
            hint.append(f"例如 {spec.example}")
        if is_one_item(spec):
            hint.append(f"可不填；要填时点“新增{spec.short}”")
        elif not spec.required:
            hint.append("可不填")
        out["hint"] = "；".join(h for h in hint if h)
        return out

    def widget(self, kind: Type) -> dict[str, Any]:
        if isinstance(kind, Enum):
            return {"widget": "select", "options": options(kind)}
        if isinstance(kind, Bool):
            return {"widget": "boolean", "default": False}
        if isinstance(kind, Int):
            return {"widget": "number", "value_type": "int", "min": kind.minimum}
        if isinstance(kind, Date):
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "YYYY-MM-DD",
                "time_format": False,
                "picker_utc": True,
            }
        if isinstance(kind, Time):
            return {"widget": "string", "pattern": [r"^\d{1,2}:\d{2}$", "时间写成 时:分，例如 08:30"]}
        if isinstance(kind, Month):
            return {"widget": "string", "pattern": [r"^\d{4}-\d{2}$", "月份写成 年-月，例如 2026-10"]}
        if isinstance(kind, Pattern):
            return {"widget": "string", "pattern": [f"^(?:{kind.regex.pattern})$", f"应为{kind.expected}"]}
        if isinstance(kind, Text):
            out: dict[str, Any] = {"widget": "string"}
            if kind.max_len:
                out["pattern"] = [f"^[\\s\\S]{{1,{kind.max_len}}}$", f"最多 {kind.max_len} 个字"]
            return out
        if isinstance(kind, ListOf):
            return self._list(kind)
        if isinstance(kind, Record):
            return {"widget": "object", "collapsed": False, "fields": self.record(kind)}
        if isinstance(kind, MapOf):
            return self._map(kind)
        raise ValueError(f"no Decap widget for {type(kind).__name__}")

    def _list(self, kind: ListOf) -> dict[str, Any]:
        if isinstance(kind.item, Enum):
            return {
                "widget": "select",
                "multiple": True,
                "min": kind.min_items or None,
                "options": options(kind.item),
            }
        if isinstance(kind.item, Record):
            return {
                "widget": "list",
                "min": kind.min_items or None,
                "collapsed": False,
                "label_singular": kind.item.title,
                "summary": _summary(kind.item),
                "fields": self.record(kind.item),
            }
        return {
            "widget": "list",
            "min": kind.min_items or None,
            "summary": "{{fields.item}}",  # a folded item shows its text, not the word 一项
            "field": {"name": "item", "label": _item_label(kind.item), **self.widget(kind.item)},
        }

    def _map(self, kind: MapOf) -> dict[str, Any]:
        keys = self.map_keys.get(kind.key)
        if keys is None:
            raise ValueError(f"no list of keys for a map keyed by {kind.key.doc_name}")
        value = self.widget(kind.value)
        return {
            "widget": "object",
            "collapsed": False,
            "fields": [
                {"name": k, "label": label, "required": False, "hint": k, **value} for k, label in keys
            ],
        }


def _summary(record: Record) -> str:
    """A folded item shows its first fields' values: 2026-12-31 2027-01-03 元旦假期闭站."""
    shown = [f.name for f in record.fields if not isinstance(f.type, Bool)][:3]
    return " ".join("{{fields." + name + "}}" for name in shown)


def _item_label(kind: Type) -> str:
    return {Date: "日期", Time: "时间", Month: "月份"}.get(type(kind), "一项")


def options(kind: Enum) -> list[dict[str, str]]:
    return [
        {"label": label if label == key else f"{label}（{key}）", "value": key}
        for key, label in kind.choices.items()
    ]


def key_order(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The order of keys for the Decap fields ``fields`` (as the form holds the data), for the
    admin page's formats to write keys in: Decap keeps an entry in an Immutable.js Map, which
    forgets the order of more than 8 keys (an activity with a repeat has 9), so a saved file
    would list them shuffled. ``{"keys": [...], "fields": {key: order}, "each": order}``."""
    out: dict[str, Any] = {"keys": [f["name"] for f in fields if f.get("widget") != "hidden"]}
    inner = {f["name"]: _value_order(f) for f in fields}
    inner = {k: v for k, v in inner.items() if v}
    if inner:
        out["fields"] = inner
    return out


def _value_order(field: dict[str, Any]) -> dict[str, Any] | None:
    if "fields" not in field:
        return None
    order = key_order(field["fields"])
    return {"each": order} if field["widget"] == "list" else order
