"""Git, for the build: each report's last change, and the one place that runs ``git``.

A report page says when its report last changed ("最后修改 2025-03-02" / "Last changed
2025-03-02"), taken from the repository's history. The whole docs folder is read in ONE
``git log`` pass, newest first, the first date seen for a path winning; with 10,000 reports
a process per file (mkdocs-git-revision-date-localized-plugin runs git for each page) costs
minutes, one pass a fraction of a second (tests/benchmarks/gitdates_bench.py). Decisions:

- **Which date**: the committer date of the last commit on the *first-parent* line of
  ``HEAD`` that changed the file: the day the change entered the branch the site is built
  from (a merged pull request's merge commit; with squash or rebase merging, the new commit),
  not the day a contributor first wrote it on a branch (the author date, which may be weeks
  older than the published page). ``SOURCE_DATE_EPOCH`` is the committer date too
  (``reproducible``).
- **Timezone**: the commit's own offset (``%cI``), the date on the committer's calendar, as
  ``git log --date=short`` shows it; a commit at 07:00 in Beijing is that day, not the day
  before in UTC. It depends only on the commit, so two builds of one commit agree byte for
  byte; the ``<time>`` element carries the full timestamp with its offset.
- **Renames**: a file moved without any change to its content (git's exact rename, ``-M100%``)
  keeps the date of its content's last change; a move with edits is a change.
- **Not yet committed**: a file with changes in the working tree or the index, or one git has
  no commit for (new, untracked), says "not yet committed" instead of a date: while serving
  an edit the page shows what the contributor is writing, and the date of an older commit
  would claim a text the history does not hold. A build of a commit in CI has none.
- **No dates at all**, and one info line, never a failure: git is not installed, the docs
  folder is not in a repository, git fails or takes too long, or the clone is *shallow*
  (CI's default ``fetch-depth: 1``): its boundary commit seems to add every file, so every
  report would show that commit's date, wrong without a sign of it.

Paths are relative to the docs folder (``reports/2022/x.md``), as MkDocs' ``src_uri``. Git's
output is read with ``-z`` (any byte may be in a file name) and bounded by a timeout; git runs
with ``--no-optional-locks`` so that the build never writes to the repository.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime

from .problems import Problem

#: seconds git may take for one command: a history of ten years of reports takes under one
TIMEOUT = 120


@dataclass(frozen=True)
class Ran:
    """What one git command did: ``status`` None when git could not be started at all."""

    status: int | None
    stdout: bytes = b""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 0


def git(folder: str, *args: str, timeout: float = TIMEOUT) -> Ran:
    """Run ``git -C folder args`` and return its output; never raises.

    ``--no-optional-locks``: a read (``status``) does not refresh the index file, so a build
    changes nothing in the repository and does not contend with a contributor's own git.
    ``LC_ALL=C``: git's messages in English whatever the machine's language, so that a caller
    can tell "not a git repository" from other failures.
    """
    try:
        done = subprocess.run(["git", "--no-optional-locks", "-C", folder, *args], capture_output=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL,
                              env=dict(os.environ, LC_ALL="C"))
    except subprocess.TimeoutExpired:
        return Ran(status=-1, stderr=f"git {args[0]}: no answer after {timeout:.0f} s")
    except (OSError, subprocess.SubprocessError) as error:
        return Ran(status=None, stderr=str(error))
    return Ran(status=done.returncode, stdout=done.stdout, stderr=done.stderr.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Change:
    """When the files a page is made from last changed; ``when`` None: not yet committed."""

    when: datetime | None

    @property
    def committed(self) -> bool:
        return self.when is not None


@dataclass(frozen=True)
class History:
    """The last commit of every file under the docs folder, read once per build.

    ``available`` False: no dates at all (``note`` says why, for one info line).
    """

    available: bool = False
    committed: dict[str, datetime] = field(default_factory=dict)  # path → its last commit, in that commit's offset
    uncommitted: frozenset[str] = frozenset()                      # paths with changes not committed
    note: Problem | None = None

    def change(self, *paths: str) -> Change | None:
        """The last change of a page made from ``paths`` (a report and its translation): the
        newest of their commits; not yet committed if any of them is not; None without git."""
        if not self.available:
            return None
        times = [self.committed.get(path) for path in paths if path not in self.uncommitted]
        if len(times) < len(paths) or None in times:
            return Change(when=None)
        return Change(when=max(times))


def read_history(docs_dir: str, timeout: float = TIMEOUT) -> History:
    """The history of ``docs_dir``: three git commands whatever the number of files."""
    where = git(docs_dir, "rev-parse", "--is-shallow-repository", "--show-prefix", timeout=timeout)
    if where.status is None:
        return History(note=Problem("", 0, "git_missing"))
    if not where.ok:
        if "not a git repository" in where.stderr.lower():
            return History(note=Problem("", 0, "git_not_repository", {"detail": _first_line(where.stderr)}))
        return History(note=Problem("", 0, "git_failed", {"detail": _first_line(where.stderr)}))
    lines = os.fsdecode(where.stdout).split("\n")
    if lines[0].strip() == "true":
        return History(note=Problem("", 0, "git_shallow"))
    prefix = lines[1] if len(lines) > 1 else ""
    log = git(docs_dir, "-c", "log.showSignature=false", "log", "--first-parent", "--diff-merges=first-parent",
              "--root", "-M100%", "--name-status", "--relative", "-z", "--format=%x00%cI", "--", ".", timeout=timeout)
    if not log.ok:
        # a repository without a commit yet: every file is not yet committed
        if git(docs_dir, "rev-parse", "--verify", "-q", "HEAD", timeout=timeout).status != 1:
            return History(note=Problem("", 0, "git_failed", {"detail": _first_line(log.stderr)}))
        committed = {}
    else:
        committed = last_commits(log.stdout)
    status = git(docs_dir, "status", "--porcelain", "-z", "--untracked-files=no", "--", ".", timeout=timeout)
    if not status.ok:
        return History(note=Problem("", 0, "git_failed", {"detail": _first_line(status.stderr)}))
    return History(available=True, committed=committed, uncommitted=frozenset(changed_files(status.stdout, prefix)))


def last_commits(output: bytes) -> dict[str, datetime]:
    """Each path's newest commit in ``git log --format=%x00%cI --name-status -z`` output.

    The output is a series of commits, newest first: ``NUL date NUL``, a newline, then
    entries ``status NUL path NUL`` (``R100 NUL old NUL new NUL`` for an exact rename); a
    commit without entries leaves the newline alone before the next ``date``. An exact
    rename that is a path's newest commit passes that path's date on to the old name's
    next (older) change. Anything that does not parse is skipped, never raised.
    """
    tokens = [os.fsdecode(token) for token in output.split(b"\0")]
    dates: dict[str, datetime] = {}
    heir: dict[str, str] = {}     # old name → the present name its older changes date
    gone: set[str] = set()        # deleted since their last change: not in the tree any more
    when: datetime | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "" or token == "\n":     # a commit begins: its date follows
            i += 1
            when = _parse_time(tokens[i]) if i < len(tokens) else None
            i += 1
            continue
        status = token.lstrip("\n")
        if not status:                       # the newline of a commit with no entries
            i += 1
            continue
        kind = status[0]
        if kind in "RC":
            old, new = (tokens[i + 1], tokens[i + 2]) if i + 2 < len(tokens) else ("", "")
            i += 3
            if kind == "R" and when is not None and new:
                present = heir.pop(new, new)
                if present not in dates and present not in gone:  # the content's last change is older
                    heir[old] = present
                    continue
            _date(dates, heir, gone, new, when)
            continue
        path = tokens[i + 1] if i + 1 < len(tokens) else ""
        i += 2
        if kind == "D":                      # its older changes date nothing that exists now
            if path not in dates and path not in heir:
                gone.add(path)
        else:
            _date(dates, heir, gone, path, when)
    return dates


def _date(dates: dict[str, datetime], heir: dict[str, str], gone: set[str], path: str, when: datetime | None) -> None:
    if not path or when is None:
        return
    present = heir.pop(path, path)
    if present not in gone:
        dates.setdefault(present, when)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def changed_files(output: bytes, prefix: str) -> list[str]:
    """The paths in ``git status --porcelain -z`` output, relative to the docs folder.

    Porcelain paths are relative to the repository's root whatever the working folder;
    ``prefix`` is the docs folder's own path there (``git rev-parse --show-prefix``). A rename
    in the index is ``XY new NUL old NUL``: both names count as changed.
    """
    tokens = [os.fsdecode(token) for token in output.split(b"\0")]
    found = []
    i = 0
    while i < len(tokens):
        entry = tokens[i]
        i += 1
        if len(entry) < 4:
            continue
        found.append(entry[3:])
        if ("R" in entry[:2] or "C" in entry[:2]) and i < len(tokens):
            found.append(tokens[i])
            i += 1
    return [path.removeprefix(prefix) for path in found if path.startswith(prefix)]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else ""
