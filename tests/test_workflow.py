"""The CI workflows shipped for the content repository: valid YAML, documented commands only."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from generator.publishing.contentdiff import MARKER

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
PR_FILE = WORKFLOWS / "pull-request.yml"
PUBLISH_FILE = WORKFLOWS / "publish.yml"
GITEA = REPO / ".gitea" / "workflows"
GITEA_PR, GITEA_PUBLISH = GITEA / "pull-request.yml", GITEA / "publish.yml"

# The commands the README documents (install, check, build, diff, new, tests) and the Debian packages
# a poster build needs. A workflow step may run nothing else.
APT_INSTALL = (
    "sudo apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0"
)
DOCUMENTED = [
    "pip install -r requirements.txt",
    "python3 -m venv .venv",
    ".venv/bin/pip install -r requirements.txt",
    "echo $PWD/.venv/bin",
    "stationsite comment",
    "install -m 600 /dev/null ~/.deploy_key",
    r"printf %s\n $DEPLOY_KEY",
    "rsync -a --delete",
    "rm -f ~/.deploy_key",
    "stationsite check",
    "stationsite build",
    "stationsite diff",
    "stationsite new",
    "npm install --no-save --no-audit --no-fund decap-cms@3.16.3 js-yaml@4.3.2",
    "pytest",
    "bash .ci/run",
    "sudo apt-get update",
    APT_INSTALL,
    "sudo apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 "
    "python3-venv python3-pip",
]
STANDARD_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/cache",
    "actions/cache/restore",
    "actions/github-script",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}
PINNED = re.compile(
    r"^\s*uses: (?P<action>[\w./-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+\.\d+\.\d+\S*)$", re.M
)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def commands(run: str) -> list[str]:
    """Each simple command of a ``run:`` script, without redirections."""
    out = []
    for part in re.split(r"&&|\|\||;|\n", run):
        words = [w for w in shlex.split(part) if w]
        clean: list[str] = []
        skip = False
        for w in words:
            if skip:
                skip = False
                continue
            if w in (">", ">>", "2>", "<"):
                skip = True
                continue
            if re.match(r"^\d?>>?", w):
                continue
            clean.append(w)
        if clean:
            out.append(" ".join(clean))
    return out


def documented_prefix(command: str) -> str | None:
    for prefix in sorted(DOCUMENTED, key=len, reverse=True):
        if command == prefix or command.startswith(prefix + " "):
            return prefix
    return None


ALL = [PR_FILE, PUBLISH_FILE, GITEA_PR, GITEA_PUBLISH]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_workflow_is_valid_yaml_with_named_steps(path: Path) -> None:
    data = load(path)
    assert data["name"] and data["on"] and data["jobs"]
    for job in data["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest" and job.get("timeout-minutes")
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step
            assert step.get("name"), step


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_steps_call_only_documented_commands_and_standard_actions(path: Path) -> None:
    for step in steps(load(path)):
        if "run" in step:
            for command in commands(step["run"]):
                assert documented_prefix(command), f"{path.name}: undocumented command {command!r}"
            assert "${{" not in step["run"], "expressions go through env:, never into the shell text"
        else:
            action, _, ref = step["uses"].partition("@")
            assert action in STANDARD_ACTIONS and re.fullmatch(r"[0-9a-f]{40}", ref), step["uses"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_actions_are_pinned_by_commit_with_the_version_in_a_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:- )?uses: .*$", text, re.M)
    pinned = PINNED.findall(text)
    assert uses and len(pinned) == len(uses), [u for u in uses if not PINNED.search(u)]
    # One action, one commit, within a file.
    versions: dict[str, set[str]] = {}
    for action, sha, _version in pinned:
        versions.setdefault(action.split("/restore")[0], set()).add(sha)
    assert all(len(shas) == 1 for shas in versions.values()), versions


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_checkout_keeps_no_credentials_and_caches_pip_and_posters(path: Path) -> None:
    data = load(path)
    all_steps = steps(data)
    for step in all_steps:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    cached = " ".join(
        str(s["with"]["path"]) for s in all_steps if s.get("uses", "").startswith("actions/cache")
    ) + " ".join(str(s.get("with", {}).get("cache", "")) for s in all_steps)
    assert ".cache/posters" in cached and "pip" in cached


def test_github_jobs_get_least_privilege() -> None:
    publish, pr = load(PUBLISH_FILE), load(PR_FILE)
    assert publish["permissions"] == {} and pr["permissions"] == {}
    assert publish["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # The job that runs the pull request's content can only read; commenting runs none of it.
    assert pr["jobs"]["check"]["permissions"] == {"contents": "read"}
    assert pr["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    assert not any("run" in s for s in pr["jobs"]["comment"]["steps"])


def test_gitea_workflows_use_what_act_runner_supports() -> None:
    for path in (GITEA_PR, GITEA_PUBLISH):
        text = path.read_text(encoding="utf-8")
        assert "upload-pages-artifact" not in text and "deploy-pages" not in text, "no Pages on Gitea"
        for action, _sha, version in PINNED.findall(text):
            if action == "actions/upload-artifact":
                assert version.startswith("v3."), "upload-artifact v4 does not work on Gitea/Forgejo"
    runs = [c for s in steps(load(GITEA_PR)) if "run" in s for c in commands(s["run"])]
    assert [c.split()[1] for c in runs if c.startswith("stationsite")] == [
        "check",
        "diff",
        "comment",
        "build",
    ]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_secret_beyond_the_hosts_own_token(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # Gitea has no Pages: copying the site to the county's server needs a key, used only once set.
    optional = {"DEPLOY_KEY"} if path == GITEA_PUBLISH else set()
    assert set(re.findall(r"secrets\.(\w+)", text)) <= {"GITHUB_TOKEN"} | optional
    if optional:
        deploy = next(s for s in steps(load(path)) if "DEPLOY_KEY" in str(s.get("env", {})))
        assert deploy["if"] == "${{ vars.DEPLOY_TARGET != '' }}"


def test_readme_documents_every_command_the_workflows_run() -> None:
    readme = REPO / "README.md"
    if not readme.is_file():
        pytest.skip("README.md has not been written yet")
    text = readme.read_text(encoding="utf-8")
    used = {
        documented_prefix(c)
        for path in ALL
        for s in steps(load(path))
        if "run" in s
        for c in commands(s["run"])
    }
    missing = sorted(p for p in used if p and p not in text)
    assert not missing, f"README.md does not document: {missing}"


def test_pull_request_workflow_checks_comments_and_uploads_a_preview() -> None:
    data = load(PR_FILE)
    assert "pull_request" in data["on"]
    all_steps = steps(data)
    runs = [c for s in all_steps if "run" in s for c in commands(s["run"])]
    assert "stationsite check --format github" in runs
    assert "stationsite diff origin/$BASE_REF HEAD" in runs
    order = [c.split()[1] for c in runs if c.startswith("stationsite")]
    assert order == ["check", "diff", "build"]
    assert "stationsite build --preview" in runs, "the downloaded preview must open from disk"
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "diff needs the base branch's history"
    diff = next(s for s in all_steps if "stationsite diff" in s.get("run", ""))
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}" and "> diff.md" in diff["run"]
    # the diff runs and is posted even when the check failed, so the comment lists the errors
    assert "!cancelled()" in diff["if"]
    comment = next(s for s in all_steps if s.get("uses", "").startswith("actions/github-script"))
    script = comment["with"]["script"]
    assert (
        "diff.md" in script and MARKER in script and "updateComment" in script and "createComment" in script
    )
    assert "core.summary" in script, "fork pull requests get a read-only token: keep the summary"
    assert comment.get("continue-on-error") is True
    upload = next(s for s in all_steps if s.get("with", {}).get("name") == "site-preview")
    assert upload["with"]["path"].rstrip("/") == "site"


def test_publish_workflow_builds_and_deploys_to_pages_from_main() -> None:
    data = load(PUBLISH_FILE)
    assert data["on"]["push"]["branches"] == ["main"]
    assert "schedule" in data["on"], "the week's schedule must follow the date without a commit"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    runs = [c for s in build["steps"] if "run" in s for c in commands(s["run"])]
    assert runs.index("stationsite check --format github") < runs.index("stationsite build")
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert pages["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_command_splitter() -> None:
    assert commands(
        'sudo apt-get update && sudo apt-get install -y x\nstationsite diff "origin/$B" HEAD > diff.md'
    ) == ["sudo apt-get update", "sudo apt-get install -y x", "stationsite diff origin/$B HEAD"]
    assert documented_prefix("stationsite diffx") is None
    assert documented_prefix("rm -rf /") is None


NODE_HARNESS = r"""
const fs = require('fs');
const script = fs.readFileSync(process.argv[2], 'utf8');
const existing = JSON.parse(process.argv[3]);
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const calls = [];
const issues = {
  listComments: () => {},
  updateComment: async (a) => calls.push(['update', a]),
  createComment: async (a) => calls.push(['create', a]),
};
const github = { rest: { issues }, paginate: async (fn, args) => (fn === issues.listComments ? existing : []) };
const core = { summary: { addRaw(t) { calls.push(['summary', t]); return this; }, write: async () => {} } };
const context = { repo: { owner: 'county', repo: 'site' }, issue: { number: 7 } };
new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => console.log(JSON.stringify(calls)));
"""


@pytest.mark.parametrize("existing", ["none", "mine", "someone_elses"])
def test_comment_script_creates_then_updates_its_own_comment(tmp_path: Path, existing: str) -> None:
    """Run the github-script body in Node with a stand-in GitHub client."""
    import json
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    comment = next(s for s in steps(load(PR_FILE)) if s.get("uses", "").startswith("actions/github-script"))
    (tmp_path / "script.js").write_text(comment["with"]["script"], encoding="utf-8")
    (tmp_path / "harness.js").write_text(NODE_HARNESS, encoding="utf-8")
    body = f"{MARKER}\n## 本次修改对公众的影响\n"
    (tmp_path / "diff.md").write_text(body, encoding="utf-8")
    comments = {
        "none": [],
        "mine": [{"id": 42, "user": {"type": "Bot"}, "body": f"{MARKER}\n旧的比较结果"}],
        "someone_elses": [{"id": 43, "user": {"type": "User"}, "body": f"引用：{MARKER}"}],
    }[existing]
    result = subprocess.run(
        [node, "harness.js", "script.js", json.dumps(comments)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls = json.loads(result.stdout)
    assert calls[0] == ["summary", body]
    if existing == "mine":
        assert calls[1] == ["update", {"owner": "county", "repo": "site", "comment_id": 42, "body": body}]
    else:
        assert calls[1] == ["create", {"owner": "county", "repo": "site", "issue_number": 7, "body": body}]
