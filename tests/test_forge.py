"""The forge's files: CI workflows (GitHub, Forgejo, Gitea, GitLab), request templates, pre-commit.

Nothing else runs these files before a pull request does, and a mistake in them fails every
contribution or, worse, publishes one that failed. So: each file is valid against its forge's
published schema (check-jsonschema's vendored copies, read with the network shut off), every
command it names exists, the publish job waits for every other job and runs only on the default
branch, pull-request jobs have a read-only token and no secrets, the three Actions files keep
the same jobs and commands, and the check, diff and pre-commit steps are run for real in a
temporary checkout of a fixture site with a problem.
"""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.mdtext import cell
import yaml

from sites import ROOT, Site, make_site

sys.path.insert(0, str(ROOT / "hooks"))
import dev as dev_py  # noqa: E402  (hooks/dev.py: the commands without bash)
from archive.check import FORMATS, _read_yaml, load_config  # noqa: E402
from archive.validation import FIELDS  # noqa: E402

GITHUB = ROOT / ".github" / "workflows" / "archive.yml"
FORGEJO = ROOT / ".forgejo" / "workflows" / "archive.yml"
GITEA = ROOT / ".gitea" / "workflows" / "archive.yml"
ACTIONS = (GITHUB, FORGEJO, GITEA)
GITLAB = ROOT / ".gitlab-ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CI_RUN = ROOT / ".ci" / "run"
TEMPLATES = (ROOT / ".github" / "pull_request_template.md",
             ROOT / ".gitlab" / "merge_request_templates" / "Default.md")
PUBLISH_IF = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
#: a proxy nobody listens on: anything that tries the network fails at once
OFFLINE = {name: "http://127.0.0.1:9" for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]  # GitHub's `shell: bash`, GitLab's script shell

BAD = "docs/reports/2023/finance-2023.md"
BAD_WHAT = "未登记的单位「区财政厅」"
BAD_LINE = 5


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The workflow's ``on:`` (YAML 1.1 reads the bare key ``on`` as true)."""
    return workflow["on"] if "on" in workflow else workflow[True]


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step(workflow: dict, job: str, name: str) -> dict:
    return next(s for s in steps(workflow, job) if s.get("name") == name)


def scripts(path: Path) -> dict[str, list[str]]:
    """Every shell script of a CI file, by job."""
    data = load(path)
    if path == GITLAB:
        return {name: job.get("before_script", []) + job.get("script", []) for name, job in data.items()
                if isinstance(job, dict) and "script" in job}
    return {name: [s["run"] for s in job["steps"] if "run" in s] for name, job in data["jobs"].items()}


COMMAND = re.compile(r"(?:\./dev|bash \.ci/run)(?: [^|;&\n]*)?")


def commands(script: str) -> list[str]:
    """The project's commands a script runs: ``./dev …`` and ``bash .ci/run``, without pipes."""
    return [found.strip() for found in COMMAND.findall(script)]


def dev_cases() -> set[str]:
    """The commands ./dev's case statement knows."""
    text = (ROOT / "dev").read_text(encoding="utf-8")
    case = text[text.index('case "$command" in'):]
    return {name for found in re.findall(r"^  ([a-z|]+)\)", case, re.M) for name in found.split("|")}


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, env=dict(os.environ, **OFFLINE))


# ---- the files as data ----------------------------------------------------------------------

@pytest.mark.parametrize("path,schema", [(GITHUB, "vendor.github-workflows"), (FORGEJO, "vendor.github-workflows"),
                                         (GITEA, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")])
def test_each_ci_file_is_valid_against_its_forges_schema_offline(path, schema):
    result = check_jsonschema(schema, path)
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_file(tmp_path):
    workflow = load(GITHUB)
    workflow["jobs"]["publish"]["needs"] = 5
    broken = tmp_path / "archive.yml"
    broken.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1
    pipeline = load(GITLAB)
    pipeline["pages"]["rules"] = "main"
    broken_gitlab = tmp_path / ".gitlab-ci.yml"
    broken_gitlab.write_text(yaml.safe_dump(pipeline), encoding="utf-8")
    assert check_jsonschema("vendor.gitlab-ci", broken_gitlab).returncode == 1


def test_the_pre_commit_configuration_is_valid():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(PRE_COMMIT)],
                            capture_output=True, text=True, env=dict(os.environ, **OFFLINE))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    hook = load(PRE_COMMIT)["repos"][0]["hooks"][0]
    docs = os.path.relpath(load_config(str(ROOT / "mkdocs.yml")).docs_dir, ROOT)
    assert (hook["entry"], hook["language"], hook["files"], hook["pass_filenames"]) == (
        "./dev check", "unsupported", f"^{docs}/", True)


def test_every_command_named_exists():
    named = [command for path in (*ACTIONS, GITLAB) for texts in scripts(path).values()
             for text in texts for command in commands(text)]
    named += commands(load(PRE_COMMIT)["repos"][0]["hooks"][0]["entry"]) + commands(CI_RUN.read_text(encoding="utf-8"))
    assert {c.split()[1] for c in named if c.startswith("./dev")} == {"check", "build", "diff", "test"}
    assert {c.split()[1] for c in named if c.startswith("./dev")} <= dev_cases()
    assert set(dev_py.COMMANDS) <= dev_cases()
    for command in named:
        words = command.split()
        if "--format" in words:
            assert words[words.index("--format") + 1] in FORMATS, command
        if "-f" in words:
            assert (ROOT / words[words.index("-f") + 1]).is_file(), command
        if words[0] == "bash":
            assert (ROOT / words[1]).is_file(), command
    # the Windows entry the pre-commit file suggests runs a command hooks/dev.py has
    windows = re.search(r"\.venv/Scripts/python hooks/dev\.py (\w+)", PRE_COMMIT.read_text(encoding="utf-8"))
    assert windows and windows.group(1) in dev_py.COMMANDS


def _jobs_commands(path: Path) -> dict[str, list[str]]:
    return {job: [c.replace(" --format github", "") for text in texts for c in commands(text)]
            for job, texts in scripts(path).items()}


def test_the_three_actions_files_run_the_same_commands_in_the_same_jobs():
    expected = {
        "check": ["./dev check"],
        "build": ["./dev build --strict", "./dev build --strict -f mkdocs.public.yml"],
        "test": ["bash .ci/run"],
        "diff": ['./dev diff "$base"'],
        "publish": [],
    }
    for path in ACTIONS:
        assert _jobs_commands(path) == expected, path
    assert step(load(GITHUB), "check", "Check every report")["run"] == "./dev check --format github"
    gitlab = _jobs_commands(GITLAB)
    assert gitlab == {"check": ["./dev check", "./dev check --format gitlab > gl-code-quality-report.json"],
                      "build": expected["build"], "test": expected["test"], "diff": expected["diff"], "pages": []}


def _normalised(workflow: dict) -> dict:
    """The workflow with runner labels and actions blanked: what Forgejo's and Gitea's copies share."""
    workflow = copy.deepcopy(workflow)
    for job in workflow["jobs"].values():
        job["runs-on"] = "RUNNER"
        for each in job["steps"]:
            if "uses" in each:
                each["uses"] = each["uses"].rsplit("/", 1)[-1].split("@")[0]
    return workflow


def test_forgejo_and_gitea_differ_only_in_runner_label_and_actions():
    forgejo, gitea = load(FORGEJO), load(GITEA)
    assert {job["runs-on"] for job in forgejo["jobs"].values()} == {"docker"}
    assert {job["runs-on"] for job in gitea["jobs"].values()} == {"ubuntu-latest"}
    assert _normalised(forgejo) == _normalised(gitea)
    uses = {s["uses"] for job in forgejo["jobs"].values() for s in job["steps"] if "uses" in s}
    assert uses == {"https://code.forgejo.org/actions/checkout@v4", "https://code.forgejo.org/forgejo/upload-artifact@v4",
                    "https://code.forgejo.org/forgejo/download-artifact@v4"}


def test_actions_on_github_and_gitea_are_pinned_to_a_commit_with_its_tag_beside_it():
    for path in (GITHUB, GITEA):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
        assert lines, path
        for line in lines:
            assert re.fullmatch(r"(- )?uses: actions/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+(-node20)?", line), line
    # Gitea serves artifact protocol v3: upload/download-artifact v4 and later refuse a server that is not GitHub's
    artifacts = {line.split("uses: ", 1)[1] for line in GITEA.read_text(encoding="utf-8").splitlines()
                 if "-artifact@" in line}
    assert artifacts == {"actions/upload-artifact@c24449f33cd45d4826c6702db7e49f7cdb9b551d # v3.2.1-node20",
                         "actions/download-artifact@ad191675b41f6a5b46da9a048cb6893812da158b # v3.1.0-node20"}


def test_publish_waits_for_every_other_job_and_runs_only_on_a_push_to_main():
    for path in ACTIONS:
        workflow = load(path)
        on = triggers(workflow)
        assert set(on) == {"pull_request", "push"}, path   # never pull_request_target
        assert on["push"] == {"branches": ["main"]}
        publish = workflow["jobs"]["publish"]
        assert sorted(publish["needs"]) == sorted(set(workflow["jobs"]) - {"publish"})
        assert publish["if"] == PUBLISH_IF
        assert [job for job, data in workflow["jobs"].items() if "if" in data] == ["publish"]
    pages = step(load(GITHUB), "build", "Package the public edition for GitHub Pages")
    assert pages["if"] == PUBLISH_IF
    pipeline = load(GITLAB)
    assert pipeline["pages"]["needs"] == ["check", "build", "test", "diff"]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pipeline["workflow"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"'}]


def test_pull_request_jobs_have_a_read_only_token_and_no_secrets():
    for path in ACTIONS:
        workflow = load(path)
        assert workflow["permissions"] == {"contents": "read"}
        for name, job in workflow["jobs"].items():
            if name == "publish":
                continue
            assert "permissions" not in job, (path, name)
            assert "secrets." not in json.dumps(job), (path, name)
            for each in job["steps"]:
                if "checkout@" in each.get("uses", ""):
                    assert each["with"]["persist-credentials"] is False
    assert load(GITHUB)["jobs"]["publish"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "secrets." not in json.dumps(load(GITLAB))


def test_jobs_run_on_debian_12_with_bash():
    for path, image in ((GITHUB, "python:3.11-bookworm"), (FORGEJO, "node:22-bookworm"), (GITEA, "node:22-bookworm")):
        workflow = load(path)
        assert workflow["defaults"] == {"run": {"shell": "bash"}}
        for name, job in workflow["jobs"].items():
            container = job.get("container")
            if path == GITHUB and name == "publish":
                assert container is None   # deploy-pages needs no checkout
                continue
            assert (container if isinstance(container, str) else container["image"]) == image, (path, name)
    assert load(GITLAB)["default"]["image"] == "python:3.11-bookworm"


def test_the_test_job_installs_chromium_and_requires_the_browser_tests():
    text = CI_RUN.read_text(encoding="utf-8")
    assert "apt-get install -y -qq python3-venv chromium fonts-noto-cjk" in text
    assert text.index("export ARCHIVE_REQUIRE_BROWSER=1") < text.index("./dev test")
    assert load(GITHUB)["jobs"]["test"]["container"]["options"] == "--shm-size=1g"


def test_the_uploaded_sites_are_the_folders_the_builds_write():
    internal = _read_yaml(str(ROOT / "mkdocs.yml")).get("site_dir", "site")
    public = _read_yaml(str(ROOT / "mkdocs.public.yml"))["site_dir"]
    assert (internal, public) == ("site", "site-public")
    for path in ACTIONS:
        uploads = {s["with"]["name"]: s["with"]["path"] for s in steps(load(path), "build") if "upload-artifact" in s.get("uses", "")}
        assert uploads == {"site": f"{internal}/", "site-public": f"{public}/"}, path
    assert step(load(GITHUB), "build", "Package the public edition for GitHub Pages")["with"] == {"path": f"{public}/"}
    for path in (FORGEJO, GITEA):
        assert steps(load(path), "publish")[0]["with"] == {"name": "site", "path": internal}
    pipeline = load(GITLAB)
    # expose_as links a folder only when its path ends with "/" (gitlab-org/gitlab#366867)
    assert pipeline["build"]["artifacts"]["paths"] == [f"{internal}/", f"{public}/"]
    assert pipeline["build"]["artifacts"]["expose_as"] == "archive site"
    assert pipeline["pages"]["script"] == [f"rm -rf public && cp -r {public} public"]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]}
    assert pipeline["check"]["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}


def test_the_diff_jobs_have_the_history_and_the_target_branch():
    for path in ACTIONS:
        checkout = steps(load(path), "diff")[0]
        assert checkout["with"]["fetch-depth"] == 0, path
        summarise = step(load(path), "diff", "Summarise what the change does to the archive's data")
        assert summarise["env"]["TARGET"] == "${{ github.base_ref }}"
        assert "${{" not in summarise["run"]   # event data reaches the script through the environment only
    diff = load(GITLAB)["diff"]
    assert diff["variables"] == {"GIT_DEPTH": "0"}
    assert 'base="origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in diff["script"][0]
    assert diff["artifacts"]["paths"] == ["archive-diff.md"]


# ---- the request templates ------------------------------------------------------------------

ZH_ITEMS = ("报告年度：", "单位：", "报告类型：", "数字核对：", "保密：", "检查：", "数据变化：")
EN_ITEMS = ("Year:", "Unit:", "Template:", "Figures:", "Confidentiality:", "Check:", "Data changes:")


def _items(text: str) -> list[str]:
    return [line[len("- [ ] "):] for line in text.splitlines() if line.startswith("- [ ] ")]


@pytest.mark.parametrize("path", TEMPLATES, ids=["github", "gitlab"])
def test_the_request_templates_carry_the_checklist_in_chinese_then_english(path):
    chinese, english = path.read_text(encoding="utf-8").split("\n---\n")
    zh, en = _items(chinese), _items(english)
    assert [item.split("：")[0] + "：" for item in zh] == list(ZH_ITEMS)
    assert [item.split(":")[0] + ":" for item in en] == list(EN_ITEMS)
    assert "**汇报**的年度" in zh[0] and "`docs/reports/2022/`" in zh[0] and "`year`" in zh[0]
    assert "**reviews**" in en[0] and "`docs/reports/2022/`" in en[0] and "`year`" in en[0]
    assert "`unit`" in zh[1] and "`unit`" in en[1] and "`template`" in zh[2] and "`template`" in en[2]
    assert "签发的原件" in zh[3] and "signed original" in en[3]
    for item in (zh[4], en[4]):
        assert "`confidential`" in item and "`withheld`" in item and "{{" in item
    assert "`./dev check`" in zh[5] and "`./dev check`" in en[5]
    assert "diff" in zh[6] and "diff" in en[6]


def _headings(guide: Path) -> dict[str, str]:
    """The guide's headings by their anchor: {"year": "### （二）报告属于哪一年", …}."""
    return {anchor: title.strip() for title, anchor in
            re.findall(r"^(#{2,3} .+?) \{ #([\w-]+) \}$", guide.read_text(encoding="utf-8"), re.M)}


def test_the_templates_name_what_the_archive_and_its_guide_have():
    assert "confidential" in FIELDS
    github, gitlab = (_items(path.read_text(encoding="utf-8")) for path in TEMPLATES)
    assert github[:6] == gitlab[:6] and github[7:13] == gitlab[7:13]   # only where the forge shows the diff differs
    guide = Path(load_config(str(ROOT / "mkdocs.yml")).docs_dir) / "guide"
    zh, en = _headings(guide / "index.md"), _headings(guide / "index.en.md")
    # the sections each item points to, by title, and the guide's anchors for them
    assert re.findall(r"「(.+?)」", github[0] + github[4]) == ["报告属于哪一年", "不予公开的数字", "保密数字和公开版"]
    assert re.findall(r'"(.+?)"', github[7] + github[11]) == [
        "Which year a report belongs to", "withheld figures", "confidential figures and the public edition"]
    for anchor, title_zh, title_en in (("year", "报告属于哪一年", "Which year a report belongs to"),
                                       ("withheld", "不予公开的数字", "withheld figures"),
                                       ("confidential", "保密数字和公开版", "confidential figures and the public edition")):
        assert zh[anchor].endswith(title_zh), zh[anchor]
        assert en[anchor].lower().endswith(title_en.lower()), en[anchor]


# ---- run for real in a temporary checkout ---------------------------------------------------

def checkout(root: Path) -> Site:
    """A fixture site laid out as the repository: ./dev, hooks/ and the project's .venv beside docs/."""
    installed = ROOT / ".venv" / ".installed"
    if not installed.is_file():
        pytest.skip("the project's .venv is not set up (./dev test sets it up)")
    site = make_site(root)
    shutil.copy(ROOT / "dev", root / "dev")
    (root / "hooks").symlink_to(ROOT / "hooks", target_is_directory=True)
    (root / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    shutil.copy(installed, root / "requirements.txt")   # as installed: ./dev has nothing to install
    (root / ".gitignore").write_text("/.venv\n/.cache/\n__pycache__/\n", encoding="utf-8")
    return site


def with_problem(site: Site) -> Site:
    site.edit("reports/2023/finance-2023.md", "unit: 区财政局", "unit: 区财政厅")
    return site


def bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(BASH + [script], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=dict(os.environ, **env))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def problem_line(tmp_path_factory) -> str:
    """The text line ./dev check gives for the fixture's one problem, read from check itself."""
    site = with_problem(checkout(tmp_path_factory.mktemp("line")))
    result = bash("./dev check", site.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{BAD}:{BAD_LINE}: {BAD_WHAT} — "), result.stdout + result.stderr
    return lines[0]


def test_the_github_check_step_annotates_the_problem(tmp_path, problem_line):
    site = with_problem(checkout(tmp_path / "repo"))
    summary = tmp_path / "summary.md"
    result = bash(step(load(GITHUB), "check", "Check every report")["run"], site.root, GITHUB_STEP_SUMMARY=str(summary))
    message = problem_line.split(": ", 1)[1]
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"::error file={BAD},line={BAD_LINE}::{message}"]
    what, fix = message.split(" — ")
    assert f"| {cell(BAD)} | {BAD_LINE} | {cell(what)} | {cell(fix)} |" in summary.read_text(encoding="utf-8").splitlines()


def test_the_gitlab_check_job_logs_the_lines_and_writes_code_quality(tmp_path, problem_line):
    script = "\n".join(load(GITLAB)["check"]["script"])
    site = with_problem(checkout(tmp_path / "repo"))
    result = bash(script, site.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [problem_line]
    report = json.loads((site.root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["description"]) for i in report] == [
        (BAD, BAD_LINE, problem_line.split(": ", 1)[1])]
    clean = checkout(tmp_path / "clean")
    result = bash(script, clean.root)
    assert (result.returncode, result.stdout) == (0, "")
    assert json.loads((clean.root / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []


def test_the_diff_step_summarises_a_pull_request_and_a_push(tmp_path):
    site = checkout(tmp_path / "repo")
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "base")
    base = git(site.root, "rev-parse", "HEAD")
    git(site.root, "update-ref", "refs/remotes/origin/main", base)
    git(site.root, "checkout", "-q", "-b", "contribution")
    site.edit("reports/2023/finance-2023.md", "growth_rate: 5.1", "growth_rate: 5.4")
    git(site.root, "commit", "-q", "-am", "figure")
    run = step(load(GITHUB), "diff", "Summarise what the change does to the archive's data")["run"]
    direct = bash("./dev diff origin/main", site.root)
    assert direct.returncode == 0 and "5.4" in direct.stdout, direct.stdout + direct.stderr
    summary = tmp_path / "summary.md"
    result = bash(run, site.root, EVENT="pull_request", TARGET="main", BEFORE="", GITHUB_STEP_SUMMARY=str(summary))
    assert (result.returncode, result.stdout) == (0, direct.stdout), result.stderr
    assert summary.read_text(encoding="utf-8") == direct.stdout
    pushed = bash(run, site.root, EVENT="push", TARGET="", BEFORE=base, GITHUB_STEP_SUMMARY=str(tmp_path / "push.md"))
    assert (pushed.returncode, pushed.stdout) == (0, bash(f"./dev diff {base}", site.root).stdout)
    first = bash(run, site.root, EVENT="push", TARGET="", BEFORE="0" * 40, GITHUB_STEP_SUMMARY=str(tmp_path / "first.md"))
    assert (first.returncode, first.stdout) == (0, "No earlier commit to compare with (first push of the branch).\n")
    assert not (tmp_path / "first.md").exists()


def test_the_pre_commit_hook_checks_the_staged_reports_offline(tmp_path, problem_line):
    site = with_problem(checkout(tmp_path / "repo"))
    shutil.copy(PRE_COMMIT, site.root / ".pre-commit-config.yaml")
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), **OFFLINE)

    def pre_commit(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files], cwd=site.root,
                              capture_output=True, text=True, encoding="utf-8", env=env)

    failed = pre_commit(BAD)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert failed.stdout.splitlines()[0].endswith("Failed")
    assert problem_line in failed.stdout.splitlines()
    clean = pre_commit("docs/reports/2022/tax-2022.md")   # the archive still has BAD's problem: not this file's
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.splitlines()[0].endswith("Passed") and problem_line not in clean.stdout
    skipped = pre_commit("dev")
    assert (skipped.returncode, skipped.stdout.splitlines()[0].endswith("(no files to check)Skipped")) == (0, True)
