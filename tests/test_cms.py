"""Form editing: the Decap CMS configuration generated from the declared schemas, the file formats
the admin page uses to read and write our files, and /admin/ in the built site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.content.load import load_content
from generator.content.schema_types import Enum, ListOf
from generator.content.schemas import ACTIVITY, NEWS, POLICY, RULE, STATION
from generator.site.cms import FORMATS_JS, _backend, admin_csp, cms_config, config_yaml, find_node_modules

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
        assert made["label"] == spec.doc and f"键 {spec.name}" in made["hint"]
        enum = spec.type if isinstance(spec.type, Enum) else getattr(spec.type, "item", None)
        if isinstance(enum, Enum) and spec.name not in ("parent", "station"):
            assert made["widget"] == "select"
            assert [o["value"] for o in made["options"]] == list(enum.choices)
            assert made.get("multiple", False) is isinstance(spec.type, ListOf)
    extra = set(by_name) - {f.name for f in schema.fields}
    assert extra <= {"_header", "body"}


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

ROUND_TRIP_JS = """
const fs = require("fs");
global.jsyaml = require(process.argv[2]);
const formats = {};
global.CMS = { registerCustomFormat: (name, ext, f) => { formats[name] = f; } };
eval(fs.readFileSync(process.argv[3], "utf8"));
for (const path of process.argv.slice(4)) {
  const name = path.endsWith(".md") ? "stationsite-frontmatter"
    : path.endsWith("station.yml") ? "stationsite-map" : "stationsite-list";
  const f = formats[name];
  fs.writeFileSync(path, f.toFile(f.fromFile(fs.readFileSync(path, "utf8"))));
}
"""


@needs_node
def test_the_admin_pages_formats_write_files_that_mean_the_same(
    sample_copy, sample_content, tmp_path
) -> None:
    """Every sample file read and written back as the form does passes check and loads to the same
    content (what the CMS saves unchanged fields as)."""
    files = [str(p) for p in sorted(sample_copy.glob("stations/*/*.yml"))]
    files += [
        str(p) for d in ("rules", "policies", "news") for p in sorted(sample_copy.glob(f"content/{d}/*.md"))
    ]
    script = tmp_path / "roundtrip.js"
    script.write_text(ROUND_TRIP_JS, encoding="utf-8")
    modules = find_node_modules(REPO)
    assert modules is not None
    subprocess.run(["node", str(script), str(modules / "js-yaml"), str(FORMATS_JS), *files], check=True)
    assert main(["check", "--root", str(sample_copy)]) == 0
    content, problems = load_content(sample_copy)
    assert not problems
    assert content == sample_content
    activities = (sample_copy / "stations/shicheng/activities.yml").read_text(encoding="utf-8")
    assert activities.startswith("# 狮城镇民政服务站 活动安排") and 'start: "09:00"' in activities


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
