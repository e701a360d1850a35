"""The contributor guide (docs/guide/) tells contributors what the archive really does.

The guide quotes commands, problem messages, the vocabulary's report types and units, how
figures are shown, and a complete report. Each of those has one definition in the code; these
tests hold every language's guide to it, so that a change the guide does not follow fails here
rather than misleading an office clerk.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sites import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import dev  # noqa: E402  (hooks/dev.py: the commands `python hooks/dev.py …` runs)
from archive.check import REPORTS, Config, check, find_config, load_config, text_lines  # noqa: E402
from archive.formatting import format_value  # noqa: E402
from archive.labels import label  # noqa: E402
from archive.vocabulary import load_vocabulary  # noqa: E402

CONFIG = load_config(find_config(str(ROOT)))
GUIDE = Path(CONFIG.docs_dir) / "guide"
FENCE = re.compile(r"^```([a-z]*)$")
ANCHOR = re.compile(r"\{ #([a-z0-9_-]+) \}$")
PART = re.compile(r"(?m)^## .*\{ #[a-z0-9_-]+ \}$")  # a part of the guide: its examples hold "## " headings too

# Edits to the sample archive that produce the guide's example problem lines: each example in
# the guide must be a line `./dev check` prints for one of them, word for word.
SCENARIOS: dict[str, list[tuple[str, str, str]]] = {
    "a required metric left out": [("2023/tax-bureau-2023.md", "  refund_amount: 2.42\n", "")],
    "a unit not registered": [("2023/tax-bureau-2023.md", "unit: tax-bureau\n", "unit: 区税务分局\n")],
    "a masked figure in the text": [("2023/tax-bureau-2023.md", "其中公共财政收入{{ public_finance_revenue }}",
                                     "其中公共财政收入**亿元")],
    "one 0 too many": [("2023/tax-bureau-2023.md", "  public_finance_revenue: 566000000\n",
                        "  public_finance_revenue: 5660000000\n")],
    "a withheld figure without its reason": [("2021/tax-bureau-2021.md", "{withheld: 涉及干部协查工作，按规定不予公开}",
                                              "{withheld: }")],
    "confidential names a metric not given": [("2023/tax-bureau-2023.md", "metrics:\n",
                                               "confidential: [direct_funds]\nmetrics:\n")],
}


def guide(lang: str) -> str:
    name = "index.md" if lang == CONFIG.default_lang else f"index.{lang}.md"
    return (GUIDE / name).read_text(encoding="utf-8")


def fences(text: str, info: str | None = None) -> list[str]:
    """The fenced code blocks of ``text`` (those with the info string ``info``), as text."""
    blocks, current, kind = [], None, ""
    for line in text.splitlines():
        match = FENCE.match(line)
        if current is None and match:
            current, kind = [], match.group(1)
        elif current is not None and line == "```":
            if info is None or kind == info:
                blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def section(text: str, anchor: str) -> str:
    """The part of the guide under the level-2 heading with ``{ #anchor }``, up to the next one."""
    start = text.index(f"{{ #{anchor} }}")
    following = PART.search(text, start)
    return text[start:following.start() if following else None]


def sample_copy(root: Path, with_reports: bool = True) -> Config:
    """The project's configuration over a copy of the sample's vocabulary (and reports) in ``root``."""
    shutil.copy(CONFIG.root + "/mkdocs.yml", root / "mkdocs.yml")
    docs = root / Path(CONFIG.docs_dir).relative_to(CONFIG.root)
    docs.mkdir(parents=True)
    shutil.copy(Path(CONFIG.docs_dir) / CONFIG.settings.vocabulary, docs / CONFIG.settings.vocabulary)
    (docs / REPORTS).mkdir()
    if with_reports:
        shutil.copytree(Path(CONFIG.docs_dir) / REPORTS, docs / REPORTS, dirs_exist_ok=True)
    return load_config(str(root / "mkdocs.yml"))


@pytest.fixture(scope="module")
def vocabulary():
    vocab, problems = load_vocabulary((Path(CONFIG.docs_dir) / CONFIG.settings.vocabulary).read_text(encoding="utf-8"),
                                      "vocabulary.yml")
    assert problems == []
    return vocab


@pytest.fixture(scope="module")
def produced(tmp_path_factory) -> dict[str, set[str]]:
    """Every line `./dev check` prints, per message language, for each scenario's edits."""
    lines: dict[str, set[str]] = {lang: set() for lang in CONFIG.languages}
    for name, edits in SCENARIOS.items():
        config = sample_copy(tmp_path_factory.mktemp("scenario"))
        for path, old, new in edits:
            target = Path(config.docs_dir) / REPORTS / path
            text = target.read_text(encoding="utf-8")
            assert old in text, f"{name}: {old!r} is no longer in the sample's {path}"
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
        problems = check(config)
        assert problems, f"{name}: the edit no longer gives a problem"
        for lang in lines:
            lines[lang].update(text_lines(problems, lang))
    return lines


@pytest.mark.parametrize("lang", CONFIG.languages)
def test_every_example_problem_line_is_what_the_check_prints(lang, produced):
    examples = [line for block in fences(guide(lang), "text") for line in block.splitlines()
                if re.match(rf"{re.escape(CONFIG.prefix)}\S+\.md:\d+: ", line)]
    assert len(examples) == 7
    assert [line for line in examples if line not in produced[lang]] == []


@pytest.mark.parametrize("lang", CONFIG.languages)
def test_every_command_named_exists(lang):
    text = guide(lang)
    script = (ROOT / "dev").read_text(encoding="utf-8")
    cases = script[script.index('case "$command" in'):]
    commands = {name for pattern in re.findall(r"(?m)^  ([a-z|]+)\)", cases) for name in pattern.split("|")}
    named = set(re.findall(r"\./dev ([a-z]+)", text))
    assert named == {"check", "new", "import", "diff", "serve", "build"}
    assert named <= commands
    windows = set(re.findall(r"hooks\\dev\.py ([a-z]+)", text))
    assert windows == {"check", "new", "import", "diff"} and windows <= set(dev.COMMANDS)


@pytest.mark.parametrize("command", ["new", "import"])
def test_the_options_the_guide_gives_are_accepted(command):
    used = {option for lang in CONFIG.languages
            for line in re.findall(rf"\./dev {command} [^\n`]*", guide(lang))
            for option in re.findall(r"(--[a-z-]+)", line)}
    assert {"--unit", "--year", "--template", "--date"} <= used
    result = subprocess.run([sys.executable, str(ROOT / "hooks" / "dev.py"), command, "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    if "ModuleNotFoundError" in result.stderr:
        pytest.skip(f"`./dev {command}` is not written yet")
    assert result.returncode == 0, result.stderr
    assert sorted(option for option in used | {"--slug"} if option not in result.stdout) == []


@pytest.mark.parametrize("lang", CONFIG.languages)
def test_report_types_and_units_listed_are_the_vocabularys(lang, vocabulary):
    listed = dict(re.findall(r"(?m)^- `([a-z-]+)` [^\n:：]*[:：] ?(.+)$", section(guide(lang), "vocabulary")))
    assert {key: re.split(r"、|, ", metrics) for key, metrics in listed.items()} == \
        {key: list(template.required) for key, template in vocabulary.templates.items()}
    units = [paragraph for paragraph in section(guide(lang), "vocabulary").split("\n\n") if paragraph.strip()][-1]
    assert re.findall(r"`([a-z-]+)` ([^ （(,、。.]+)", units) == [(key, unit.zh) for key, unit in vocabulary.units.items()]


@pytest.mark.parametrize("lang", CONFIG.languages)
def test_the_display_table_shows_what_the_site_shows(lang, vocabulary):
    rows = re.findall(r"(?m)^\| `([a-z_]+): ([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", section(guide(lang), "fill"))
    assert len(rows) == 7
    for key, value, unit, zh, en in rows:
        metric = vocabulary.metrics[key]
        assert unit == metric.unit
        if value.startswith("{withheld:"):
            assert (zh, en) == (label("withheld_quote", "zh"), label("withheld_quote", "en"))
        else:
            number = float(value) if "." in value else int(value)
            assert (zh, en) == (format_value(number, metric.unit, metric.kind, "zh"),
                                format_value(number, metric.unit, metric.kind, "en"))


def test_the_complete_example_passes_the_check(tmp_path):
    examples = {lang: fences(section(guide(lang), "example"), "markdown") for lang in CONFIG.languages}
    assert len({tuple(blocks) for blocks in examples.values()}) == 1  # one example in every language
    [report] = examples[CONFIG.default_lang]
    path = re.search(r"`([^`]+\.md)`", section(guide(CONFIG.default_lang), "example")).group(1)
    assert path.startswith(CONFIG.prefix + REPORTS)
    config = sample_copy(tmp_path, with_reports=False)
    target = Path(config.root) / path
    target.parent.mkdir(parents=True)
    target.write_text(report, encoding="utf-8")
    assert text_lines(check(config), CONFIG.settings.messages) == []


def test_both_languages_have_the_same_parts_and_every_link_lands():
    anchors = {lang: [m.group(1) for line in guide(lang).splitlines() if (m := ANCHOR.search(line))]
               for lang in CONFIG.languages}
    assert len({tuple(found) for found in anchors.values()}) == 1
    for lang, found in anchors.items():
        assert len(found) == len(set(found)) > 40
        assert sorted(set(re.findall(r"\]\(#([a-z0-9_-]+)\)", guide(lang))) - set(found)) == []


@pytest.mark.parametrize("lang", CONFIG.languages)
def test_every_fence_is_a_code_block_with_the_tabs_and_details(lang):
    """A fence inside a tab or a list item is indented: pymdownx.superfences renders it as a code
    block (Python-Markdown's fenced_code would make it a line of inline code). Every fence of the
    guide, indented or not, is one <pre><code>; its tabs and collapsible table pass the allowlist."""
    from html import escape

    import markdown
    from archive.frontmatter import split
    from archive.sanitize import clean
    text = split(guide(lang), "guide").body
    firsts = [m.group(2) for m in re.finditer(r"(?m)^([ ]*)```[a-z]*\n\1(.*)\n(?:.*\n)*?\1```$", text)]
    assert len(re.findall(r"(?m)^[ ]+```[a-z]*$", text)) >= 2 * 6           # the tabs' commands, indented
    html = markdown.Markdown(extensions=list(CONFIG.extensions), extension_configs=CONFIG.extension_configs).convert(text)
    cleaned = clean(html)
    assert cleaned.removed == ()
    blocks = re.findall(r'(?s)<pre><code(?: class="language-[a-z]+")?>(.*?)</code></pre>', cleaned.html)
    assert len(firsts) > 20 and [line for line in firsts
                                  if not any(block.startswith(escape(line, quote=False)) for block in blocks)] == []
    assert "```" not in re.sub(r"(?s)<pre><code.*?</code></pre>", "", cleaned.html)
    assert (cleaned.html.count('<div class="tabbed-set'), cleaned.html.count("<details>")) == (3, 1)
    labels = re.findall(r'<label for="__tabbed_\d+_\d+">([^<]+)</label>', cleaned.html)
    assert labels[:2] == labels[2:4] == labels[5:7] and len(labels) == 8


def test_the_guide_itself_passes_the_check():
    guide_path = CONFIG.prefix + GUIDE.relative_to(CONFIG.docs_dir).as_posix() + "/"
    assert [p.format() for p in check(CONFIG) if p.path.startswith(guide_path)] == []


def run_dev(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``./dev …`` as the guide writes it, run with plain Python in ``cwd`` (as on Windows)."""
    return subprocess.run([sys.executable, str(ROOT / "hooks" / "dev.py"), *args], capture_output=True, text=True,
                          cwd=cwd)


def test_the_new_report_looks_as_the_guide_shows(tmp_path, vocabulary):
    text = section(guide(CONFIG.default_lang), "new")
    [command] = [line for block in fences(text, "sh") for line in block.splitlines()]
    assert command.startswith("./dev new ")
    config = sample_copy(tmp_path, with_reports=False)
    result = run_dev(command.split()[1:], tmp_path)
    if "ModuleNotFoundError" in result.stderr:
        pytest.skip("`./dev new` is not written yet")
    assert result.returncode == 0, result.stderr
    [written] = (Path(config.docs_dir) / REPORTS).rglob("*.md")
    assert (CONFIG.prefix + written.relative_to(config.docs_dir).as_posix()) in text
    lines = written.read_text(encoding="utf-8").splitlines()
    for lang in CONFIG.languages:
        [excerpt] = fences(section(guide(lang), "new"), "yaml")
        assert [line for line in excerpt.splitlines() if line not in lines] == []
    # what is left to fill in: the topics and each required metric, one line each
    template = vocabulary.templates[re.search(r"--template (\S+)", command).group(1)]
    assert len(check(config)) == 1 + len(template.required)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("lang", CONFIG.languages)
def test_the_figures_diff_shown_is_what_diff_prints(lang, tmp_path):
    config = sample_copy(tmp_path)
    settings = tmp_path / "mkdocs.yml"
    settings.write_text(re.sub(r"(?m)^(\s+messages:) \w+", rf"\1 {lang}", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    git = ["git", "-c", "user.name=guide", "-c", "user.email=guide@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "sample"], cwd=tmp_path, check=True)
    report = Path(config.docs_dir) / REPORTS / "2024" / "tax-bureau-2024.md"
    text = report.read_text(encoding="utf-8")
    assert "  tax_revenue: 1473000000\n" in text
    report.write_text(text.replace("  tax_revenue: 1473000000\n", "  tax_revenue: 1502000000\n"), encoding="utf-8")
    result = run_dev(["diff", "main"], tmp_path)
    assert result.returncode == 0, result.stderr
    table = [line for line in section(guide(lang), "review").splitlines() if line.startswith("|")]
    assert len(table) == 3
    assert [line for line in table if line not in result.stdout.splitlines()] == []
