"""archive.gitdates: each file's last commit from one ``git log`` pass, in temporary repositories."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive.gitdates import Change, History, last_commits, read_history

NAMES = ["-c", "user.name=Archive", "-c", "user.email=archive@example.invalid", "-c", "init.defaultBranch=main",
         "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = dict(os.environ)
    if when:
        env.update(GIT_COMMITTER_DATE=when, GIT_AUTHOR_DATE="2000-01-01T00:00:00Z")  # the author date is not used
    done = subprocess.run(["git", *NAMES, "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def commit(repo: Path, when: str, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


QUOTED = 'reports/2022/报告 "引号".md'


@pytest.fixture
def repo(tmp_path) -> Path:
    """A history with edits, an exact rename, a rename with edits, a merged branch and a change outside docs/."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for path in ("docs/reports/2022/a.md", "docs/reports/2022/b.md", "docs/reports/2021/old.md", f"docs/{QUOTED}"):
        write(repo, path, f"{path}\n")
    write(repo, "README.md", "readme\n")
    commit(repo, "2024-01-10T09:00:00+08:00", "first")
    write(repo, "docs/reports/2022/a.md", "edited\n")
    commit(repo, "2024-02-01T23:30:00-05:00", "edit a")
    git(repo, "mv", "docs/reports/2021/old.md", "docs/reports/2021/moved.md")
    commit(repo, "2024-03-05T10:00:00+08:00", "move without a change")
    git(repo, "mv", "docs/reports/2022/b.md", "docs/reports/2022/b2.md")
    write(repo, "docs/reports/2022/b2.md", "moved and edited: a different text altogether\n")
    commit(repo, "2024-04-01T10:00:00+08:00", "move with a change")
    git(repo, "checkout", "-q", "-b", "topic")
    write(repo, "docs/reports/2023/f.md", "on a branch\n")
    commit(repo, "2024-05-01T10:00:00+08:00", "on the branch")
    git(repo, "checkout", "-q", "main")
    write(repo, "README.md", "changed outside docs\n")
    commit(repo, "2024-05-20T10:00:00+08:00", "outside docs")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "topic", when="2024-06-01T10:00:00+08:00")
    write(repo, "README.md", "changed again outside docs\n")
    commit(repo, "2024-07-01T10:00:00+08:00", "outside docs again")
    return repo


def test_one_pass_dates_each_file_by_its_last_commit_on_the_first_parent_line(repo):
    history = read_history(str(repo / "docs"))
    assert history.available and history.note is None and history.uncommitted == frozenset()
    assert history.committed == {
        "reports/2022/a.md": at("2024-02-01T23:30:00-05:00"),   # in the commit's own offset
        "reports/2021/moved.md": at("2024-01-10T09:00:00+08:00"),  # an exact move is not a change
        "reports/2022/b2.md": at("2024-04-01T10:00:00+08:00"),  # a move with edits is
        "reports/2023/f.md": at("2024-06-01T10:00:00+08:00"),   # the day it was merged, not written
        QUOTED: at("2024-01-10T09:00:00+08:00"),
    }
    assert history.change("reports/2022/a.md") == Change(when=at("2024-02-01T23:30:00-05:00"))
    assert history.change("reports/2022/a.md").when.date().isoformat() == "2024-02-01"  # UTC would say 02-02


def test_uncommitted_edits_and_new_files_are_not_yet_committed(repo):
    write(repo, "docs/reports/2022/a.md", "being edited\n")
    write(repo, "docs/reports/2022/new.md", "new\n")
    git(repo, "mv", "docs/reports/2023/f.md", "docs/reports/2023/g.md")  # a rename in the index
    history = read_history(str(repo / "docs"))
    assert history.uncommitted == {"reports/2022/a.md", "reports/2023/g.md", "reports/2023/f.md"}
    assert history.change("reports/2022/a.md") == Change(when=None)
    assert history.change("reports/2022/new.md") == Change(when=None)  # git has no commit of it
    assert history.change("reports/2023/g.md") == Change(when=None)
    assert history.change("reports/2022/b2.md").committed


def test_a_page_of_two_files_shows_the_newer_and_waits_for_both(repo):
    history = read_history(str(repo / "docs"))
    assert history.change("reports/2022/b2.md", QUOTED) == Change(when=at("2024-04-01T10:00:00+08:00"))
    assert history.change(QUOTED, "reports/2022/b2.md") == Change(when=at("2024-04-01T10:00:00+08:00"))
    assert history.change("reports/2022/b2.md", "reports/2022/b2.en.md") == Change(when=None)


def test_docs_dir_below_the_repository_root_and_paths_relative_to_it(repo):
    history = read_history(str(repo / "docs" / "reports" / "2022"))
    assert set(history.committed) == {"a.md", "b2.md", '报告 "引号".md'}
    write(repo, "docs/reports/2022/a.md", "being edited\n")
    write(repo, "docs/reports/2021/moved.md", "outside the folder read\n")
    assert read_history(str(repo / "docs" / "reports" / "2022")).uncommitted == {"a.md"}


def test_a_shallow_clone_gives_no_dates_and_says_why(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, capture_output=True)
    history = read_history(str(clone / "docs"))
    assert not history.available and history.committed == {} and history.change("reports/2022/a.md") is None
    assert history.note.code == "git_shallow"
    assert f"{history.note.what('en')} — {history.note.fix('en')}" == (
        "this is a shallow clone: its history is incomplete and the dates of last change would be wrong, so report "
        "pages show none — run git fetch --unshallow for the whole history; in CI check out the whole history "
        "(GitHub Actions: fetch-depth: 0; GitLab: GIT_DEPTH: 0)")


def test_outside_a_repository_or_without_git_there_are_no_dates(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    history = read_history(str(tmp_path / "docs"))
    assert (history.available, history.note.code) == (False, "git_not_repository")
    assert history.change("reports/x.md") is None
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert read_history(str(tmp_path / "docs")).note.code == "git_missing"


def test_git_taking_too_long_is_a_note_not_an_error(repo):
    history = read_history(str(repo / "docs"), timeout=1e-6)
    assert (history.available, history.note.code) == (False, "git_failed")
    assert "no answer after" in history.note.args["detail"]


def test_a_repository_without_a_commit_yet(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "docs/reports/2022/a.md", "first\n")
    history = read_history(str(repo / "docs"))
    assert history.available and history.committed == {}
    assert history.change("reports/2022/a.md") == Change(when=None)


def test_the_parser_reads_odd_names_and_commits_without_entries():
    out = (b"\x002024-03-01T00:00:00+00:00\x00\n"                      # a commit with no entries
           b"\x002024-02-01T00:00:00+00:00\x00\nM\x00\n\x00A\x00a.md\x00R100\x00r/x.md\x00r/y.md\x00"
           b"\x00not a date\x00\nM\x00lost.md\x00"                      # an unreadable date dates nothing
           b"\x002024-01-01T00:00:00+08:00\x00\nA\x00\n\x00M\x00r/x.md\x00D\x00gone.md\x00")
    assert last_commits(out) == {
        "\n": at("2024-02-01T00:00:00+00:00"),      # a file named by a newline is a name, not a boundary
        "a.md": at("2024-02-01T00:00:00+00:00"),
        "r/y.md": at("2024-01-01T00:00:00+08:00"),  # renamed without a change: its content's date
    }
    assert last_commits(b"") == {} and last_commits(b"\x00\x00\x00R100\x00") == {}


def test_without_history_no_page_has_a_date():
    assert History().change("reports/x.md") is None
    dated = History(available=True, committed={"x.md": datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=8)))})
    assert dated.change("x.md").when.isoformat() == "2024-01-01T00:00:00+08:00"
