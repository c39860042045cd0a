"""Form editing: the Decap CMS configuration generated from the declared schemas, the file formats
the admin page uses to read and write our files, and /admin/ in the built site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.content.load import load_content
from generator.content.schema_types import Enum, Field, ListOf, MapOf, Record, Text, Type
from generator.content.schemas import ACTIVITY, FILE_KINDS, NEWS, POLICY, RULE, STATION
from generator.site.cms import (
    FORMATS_JS,
    KINDS,
    NOT_IN_FORMS,
    _backend,
    admin_csp,
    cms_config,
    config_yaml,
    find_node_modules,
    formats_script,
)
from generator.site.cms_fields import is_one_item, one_item_paths

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://zhouning-mzfwz.example/"


@pytest.fixture(scope="module")
def config(sample_content) -> dict:
    # Through YAML and back: what Decap reads is the dumped text.
    return yaml.safe_load(config_yaml(cms_config(sample_content, SITE_URL)))


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def test_workflow_locale_and_one_entry_per_station(config, sample_content) -> None:
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "zh_Hans"
    assert config["local_backend"] is True
    for name, kind in (("stations", "station"), ("activities", "activities"), ("results", "results")):
        files = _collection(config, name)["files"]
        assert [f["file"] for f in files] == [
            f"stations/{s.slug}/{kind}.yml" for s in sample_content.stations
        ]
        assert [f["label"] for f in files] == [s.name for s in sample_content.stations]
    assert {c["name"] for c in config["collections"]} == {
        "stations",
        "activities",
        "results",
        "rules",
        "policies",
        "news",
    }


@pytest.mark.parametrize(
    ("where", "schema"),
    [
        (("stations", "file"), STATION),
        (("activities", "items"), ACTIVITY),
        (("rules", None), RULE),
        (("policies", None), POLICY),
        (("news", None), NEWS),
    ],
)
def test_fields_required_and_enums_follow_the_schema(config, where, schema) -> None:
    collection = _collection(config, where[0])
    if "files" in collection:
        fields = collection["files"][0]["fields"]
        if where[1] == "items":
            fields = next(f for f in fields if f["name"] == "items")["fields"]
    else:
        fields = collection["fields"]
    by_name = {f["name"]: f for f in fields}
    for spec in schema.fields:
        made = by_name[spec.name]
        assert made["required"] is spec.required, spec.name
        # A short Chinese label; the whole description, the key and an example in the hint.
        assert made["label"] == spec.short and f"键 {spec.name}" in made["hint"]
        assert spec.doc in made["hint"] or spec.doc == spec.short
        if spec.example:
            assert f"例如 {spec.example}" in made["hint"]
        enum = spec.type if isinstance(spec.type, Enum) else getattr(spec.type, "item", None)
        if isinstance(enum, Enum) and spec.name not in ("parent", "station"):
            assert made["widget"] == "select"
            assert [o["value"] for o in made["options"]] == list(enum.choices)
            assert made.get("multiple", False) is isinstance(spec.type, ListOf)
    extra = set(by_name) - {f.name for f in schema.fields}
    assert extra <= {"_header", "body"}


CJK = re.compile(r"[\u4e00-\u9fff]")
SCALAR_WIDGETS = {"Bool": "boolean", "Int": "number", "Date": "datetime"}


def _unmatched(kind: Type, made: dict, where: str) -> list[str]:
    """Where the Decap field ``made`` does not offer what the declared type ``kind`` takes."""
    if isinstance(kind, Record):
        return _record_unmatched(kind, made.get("fields") or [], where)
    if isinstance(kind, Enum):
        ok = made["widget"] == "select" and [o["value"] for o in made["options"]] == list(kind.choices)
        return [] if ok else [f"{where}: not a drop-down of {list(kind.choices)}"]
    if isinstance(kind, ListOf):
        if isinstance(kind.item, Enum):
            return [] if made.get("multiple") else [f"{where}: not a multiple choice"]
        if made["widget"] != "list":
            return [f"{where}: not a list"]
        if isinstance(kind.item, Record):
            return _record_unmatched(kind.item, made.get("fields") or [], where + "[]")
        return _unmatched(kind.item, made["field"], where + "[]")
    if isinstance(kind, MapOf):
        if made["widget"] != "object" or not made.get("fields"):
            return [f"{where}: no field per key"]
        return [p for f in made["fields"] for p in _unmatched(kind.value, f, f"{where}.{f['name']}")]
    expected = SCALAR_WIDGETS.get(type(kind).__name__, "string")
    return [] if made.get("widget") == expected else [f"{where}: widget {made.get('widget')}, not {expected}"]


def _record_unmatched(record: Record, fields: list[dict], where: str) -> list[str]:
    by_name = {f["name"]: f for f in fields}
    problems = []
    for spec in record.fields:
        path = f"{where}.{spec.name}"
        made = by_name.get(spec.name)
        if made is None:
            problems.append(f"{path}: no widget")
            continue
        if made["required"] is not spec.required:
            problems.append(f"{path}: required is {made['required']}, the schema says {spec.required}")
        if not (CJK.search(made["label"]) and CJK.search(made.get("hint", ""))):
            problems.append(f"{path}: no Chinese label and hint")
        if spec.name in ("parent", "station"):  # station codes: a drop-down of the county's stations
            problems += [] if made["widget"] == "select" else [f"{path}: not a drop-down of stations"]
        elif is_one_item(spec):
            if made["widget"] != "list" or made.get("max") != 1:
                problems.append(f"{path}: an optional record, not a list of at most one item")
            problems += _unmatched(spec.type, made, path + "[]")
        else:
            problems += _unmatched(spec.type, made, path)
    return problems


def _fields_of(collection: dict) -> list[dict]:
    fields = collection["files"][0]["fields"] if "files" in collection else collection["fields"]
    items = [f for f in fields if f["name"] == "items"]
    return items[0]["fields"] if items else fields


def test_every_declared_field_has_its_widget(config) -> None:
    """Walks the declared schemas of every file kind the form offers, down to the repeat rule's
    except dates and a closure's reason: each field has a widget of its type, its required flag,
    its enum's choices and a Chinese label and hint."""
    collections = {c["name"]: c for c in config["collections"]}
    problems = []
    for kind in KINDS:
        record = kind.schema if isinstance(kind.schema, Record) else kind.schema.item
        assert isinstance(record, Record)
        problems += _record_unmatched(record, _fields_of(collections[kind.name]), kind.name)
    assert problems == []
    # The repeat rule and closures in particular (issue 17's new fields).
    activity = {f["name"]: f for f in _fields_of(collections["activities"])}
    repeat = {f["name"]: f for f in activity["repeat"]["fields"]}
    assert (repeat["every"]["required"], repeat["until"]["required"], repeat["except"]["required"]) == (
        True,
        True,
        False,
    )
    assert [o["value"] for o in repeat["every"]["options"]] == ["week", "2 weeks", "month"]
    assert repeat["except"]["field"]["widget"] == "datetime"
    station = {f["name"]: f for f in _fields_of(collections["stations"])}
    closures = {f["name"]: f for f in station["closures"]["fields"]}
    assert list(closures) == ["from", "to", "reason"] and all(f["required"] for f in closures.values())
    assert closures["reason"]["pattern"][0] == "^[\\s\\S]{1,40}$"


def test_the_schema_walk_reports_a_field_without_a_widget(config) -> None:
    """The walk above can fail: a field dropped from the form, or made optional, is reported."""
    activities = next(c for c in config["collections"] if c["name"] == "activities")
    fields = [dict(f) for f in _fields_of(activities)]
    repeat = next(f for f in fields if f["name"] == "repeat")
    repeat["fields"] = [f for f in repeat["fields"] if f["name"] != "until"]
    fields = [f for f in fields if f["name"] != "place"]
    problems = _record_unmatched(ACTIVITY, fields, "activities")
    assert problems == ["activities.place: no widget", "activities.repeat[].until: no widget"]


def test_every_declared_file_kind_is_in_the_form_or_left_out_for_a_reason() -> None:
    offered = {id(k.schema) for k in KINDS}
    missing = [
        where for where, schema in FILE_KINDS if id(schema) not in offered and where not in NOT_IN_FORMS
    ]
    assert missing == []
    assert set(NOT_IN_FORMS) <= {where for where, _ in FILE_KINDS}


def test_results_counts_offer_every_indicator_as_a_whole_number(config, sample_content) -> None:
    items = next(f for f in _collection(config, "results")["files"][0]["fields"] if f["name"] == "items")
    counts = next(f for f in items["fields"] if f["name"] == "counts")
    assert [f["name"] for f in counts["fields"]] == [i.id for i in sample_content.indicators]
    assert all(
        f["widget"] == "number" and f["value_type"] == "int" and f["min"] == 0 for f in counts["fields"]
    )
    assert (
        counts["fields"][0]["label"]
        == f"{sample_content.indicators[0].name}（{sample_content.indicators[0].unit}）"
    )


def test_station_references_are_drop_downs_of_the_county_stations(config, sample_content) -> None:
    station_fields = _collection(config, "stations")["files"][0]["fields"]
    parent = next(f for f in station_fields if f["name"] == "parent")
    assert [o["value"] for o in parent["options"]] == [s.slug for s in sample_content.stations]
    news_station = next(f for f in _collection(config, "news")["fields"] if f["name"] == "station")
    assert news_station["widget"] == "select" and news_station["required"] is False


def test_backends_and_the_admin_pages_policy() -> None:
    github = _backend({"name": "github", "repo": "county/site"})
    assert github["repo"] == "county/site" and github["branch"] == "main"
    assert "connect-src 'self' http://localhost:* https://api.github.com" in admin_csp(github)
    forgejo = _backend(
        {"name": "forgejo", "repo": "county/site", "base_url": "https://git.example.cn", "app_id": "abc"}
    )
    assert forgejo["api_root"] == "https://git.example.cn/api/v1"
    csp = admin_csp(forgejo)
    assert "https://git.example.cn" in csp and "api.github.com" not in csp
    assert "script-src 'self' 'unsafe-eval'" in csp  # scripts only from the site itself
    with pytest.raises(ValueError, match="gitlab"):
        _backend({"name": "gitlab"})
    with pytest.raises(ValueError, match="未知的键 repository"):
        _backend({"name": "github", "repository": "county/site"})


needs_node = pytest.mark.skipif(
    shutil.which("node") is None or find_node_modules(REPO) is None, reason="node and npm install needed"
)

# Reads each file as the admin page does, shuffles every mapping's keys (Decap's Immutable.js maps
# forget the order of more than 8 keys), writes it back, and keeps what the form was given.
ROUND_TRIP_JS = """
const fs = require("fs");
global.jsyaml = require(process.argv[2]);
const formats = {};
global.CMS = { registerCustomFormat: (name, ext, f) => { formats[name] = f; } };
eval(fs.readFileSync(process.argv[3], "utf8"));
const shuffled = v => Array.isArray(v) ? v.map(shuffled)
  : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).reverse().map(k => [k, shuffled(v[k])])) : v;
const seen = {};
for (const [path, name] of JSON.parse(fs.readFileSync(process.argv[4], "utf8"))) {
  const f = formats[name];
  const form = f.fromFile(fs.readFileSync(path, "utf8"));
  seen[path] = form;
  fs.writeFileSync(path, f.toFile(shuffled(form)));
}
fs.writeFileSync(process.argv[5], JSON.stringify(seen));
"""


def _format_of(config: dict, root: Path) -> dict[str, str]:
    """Each file the form edits → its collection's format, as config.yml says."""
    out = {}
    for c in config["collections"]:
        if "files" in c:
            out |= {str(root / f["file"]): c["format"] for f in c["files"]}
        else:
            out |= {str(p): c["format"] for p in sorted((root / c["folder"]).glob("*." + c["extension"]))}
    return out


@needs_node
def test_the_admin_pages_formats_write_files_that_mean_the_same(
    sample_copy, sample_content, config, tmp_path
) -> None:
    """Every sample file the form edits, read and written back as the form does (keys shuffled as
    Decap's maps do), passes check and loads to the same content; an optional record (an
    activity's repeat) is a one-item list in the form, as its widget expects."""
    files = _format_of(config, sample_copy)
    assert len(files) > 3 * len(sample_content.stations)
    (tmp_path / "files.json").write_text(json.dumps(list(files.items())), encoding="utf-8")
    (tmp_path / "roundtrip.js").write_text(ROUND_TRIP_JS, encoding="utf-8")
    (tmp_path / "formats.js").write_text(formats_script(config), encoding="utf-8")
    modules = find_node_modules(REPO)
    assert modules is not None
    args = [str(tmp_path / n) for n in ("roundtrip.js", "formats.js", "files.json", "form.json")]
    subprocess.run(["node", args[0], str(modules / "js-yaml"), *args[1:]], check=True)
    assert main(["check", "--root", str(sample_copy)]) == 0
    content, problems = load_content(sample_copy)
    assert not problems
    assert content == sample_content
    form = json.loads((tmp_path / "form.json").read_text(encoding="utf-8"))
    xiancun = sample_copy / "stations/xiancun/activities.yml"
    repeats = [a["repeat"] for a in form[str(xiancun)]["items"] if "repeat" in a]
    assert repeats == [[{"every": "week", "until": "2028-12-31", "except": ["2026-12-02"]}]]
    assert "volunteers" not in form[str(sample_copy / "stations/hub/station.yml")]
    assert isinstance(form[str(sample_copy / "stations/shicheng/station.yml")]["volunteers"], list)
    # Written back as a record in the hand-written layout, keys in the declared order.
    written = xiancun.read_text(encoding="utf-8")
    assert "  repeat: {every: week, until: 2028-12-31, except: [2026-12-02]}\n" in written
    activities = (sample_copy / "stations/shicheng/activities.yml").read_text(encoding="utf-8")
    assert activities.startswith("# 狮城镇民政服务站 活动安排") and 'start: "09:00"' in activities
    assert '- date: 2026-11-17\n  start: "09:00"\n  end: "11:30"\n  title: 银龄守护' in activities


NESTED = Record(
    "外层",
    [
        Field("name", Text(), "名称"),
        Field(
            "rule",
            Record(
                "规则",
                [
                    Field("every", Text(), "周期"),
                    Field("note", Record("备注", [Field("text", Text(), "文字")]), "备注", required=False),
                ],
            ),
            "规则",
            required=False,
        ),
    ],
)
NESTED_JS = """
const fs = require("fs");
global.jsyaml = require(process.argv[2]);
const formats = {};
global.CMS = { registerCustomFormat: (name, ext, f) => { formats[name] = f; } };
global.STATIONSITE_FORMATS = JSON.parse(process.argv[4]);
eval(fs.readFileSync(process.argv[3], "utf8"));
const f = formats.nested;
const form = f.fromFile(process.argv[5]);
process.stdout.write(JSON.stringify({form: form, file: f.toFile(form)}));
"""


def test_one_item_paths_reach_optional_records_inside_optional_records() -> None:
    assert one_item_paths(ListOf(NESTED)) == [["*", "rule"], ["*", "rule", "*", "note"]]
    assert one_item_paths(ACTIVITY) == [["repeat"]]
    assert one_item_paths(RULE) == []


@needs_node
def test_the_formats_wrap_and_unwrap_nested_optional_records(tmp_path) -> None:
    modules = find_node_modules(REPO)
    assert modules is not None
    table = {"nested": {"layout": "list", "one_item": one_item_paths(ListOf(NESTED)), "order": {}}}
    text = "# 头\n- name: 甲\n  rule: {every: week, note: {text: 乙}}\n- name: 丙\n"
    (tmp_path / "nested.js").write_text(NESTED_JS, encoding="utf-8")
    args = [str(modules / "js-yaml"), str(FORMATS_JS), json.dumps(table), text]
    done = subprocess.run(["node", str(tmp_path / "nested.js"), *args], check=True, capture_output=True)
    out = json.loads(done.stdout)
    assert out["form"]["items"] == [
        {"name": "甲", "rule": [{"every": "week", "note": [{"text": "乙"}]}]},
        {"name": "丙"},
    ]
    assert out["file"] == text


@pytest.mark.slow
def test_built_site_has_the_admin_page_with_its_own_policy(built_site) -> None:
    if find_node_modules(REPO) is None:
        pytest.skip("npm install not run: the build leaves /admin/ out")
    admin = built_site / "admin"
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'self'" in html
    assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in html
    assert "http" not in html.split("<body>")[1]  # every script from this site
    for name in ("decap-cms.js", "js-yaml.min.js", "stationsite-formats.js"):
        assert (admin / name).stat().st_size > 0
    assert not list(admin.glob("*.map"))
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["publish_mode"] == "editorial_workflow" and config["site_url"] == SITE_URL
