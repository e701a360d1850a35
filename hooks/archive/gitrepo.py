"""Reading a past commit of the archive without checking it out, for ``./dev diff`` (:mod:`.diff`).

The working tree is the contributor's and may hold uncommitted edits, so a past commit is
read from git's objects, with two processes whatever the number of files: ``git ls-tree -r
-z`` lists the commit's files, ``git cat-file --batch`` streams their contents (under a second
for 10,000 reports). Every one-shot command goes through the build's git runner
(:func:`.gitdates.git`: bounded by a timeout, never writing to the repository); only the
stream, which needs git's standard input, is started here. ``-z`` gives the paths unquoted, so
any file name a pull request carries comes back as it is; pathspecs are read literally
(``--literal-pathspecs``), and a revision a user typed is never taken for an option (it must
not start with ``-``, and ``--end-of-options`` precedes it).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .gitdates import git

#: file modes of the blobs a build reads: plain files; links (120000) and submodules are never followed
REGULAR_MODES = ("100644", "100755")


class GitError(Exception):
    """Git cannot answer: ``code`` says why (no_git, not_repository, bad_revision, read_failed),
    ``detail`` is git's own first line of explanation, when it gave one."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _run(folder: str, *args: str):
    found = git(folder, "--literal-pathspecs", *args)
    if found.status is None:
        raise GitError("no_git", _first_line(found.stderr))
    return found


def toplevel(folder: str) -> str:
    """The root of the working tree ``folder`` is in; GitError("not_repository") outside one."""
    found = _run(folder, "rev-parse", "--show-toplevel")
    if not found.ok:
        raise GitError("not_repository", _first_line(found.stderr))
    return os.fsdecode(found.stdout.rstrip(b"\n"))


def commit(folder: str, revision: str) -> str:
    """The full id of the commit ``revision`` names (a branch, tag, ``origin/main``, an id…);
    GitError("bad_revision") when it names none."""
    if not revision or revision.startswith("-") or "\0" in revision:
        raise GitError("bad_revision")
    found = _run(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    name = found.stdout.decode("ascii", errors="replace").strip()
    if not found.ok or not name:
        raise GitError("bad_revision", _first_line(found.stderr))
    return name


def merge_base(folder: str, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they have none in this clone (a
    shallow clone lacks the history; unrelated histories have none)."""
    found = _run(folder, "merge-base", "--end-of-options", one, other)
    name = found.stdout.decode("ascii", errors="replace").strip()
    return name if found.ok and name else None


def is_shallow(folder: str) -> bool:
    found = _run(folder, "rev-parse", "--is-shallow-repository")
    return found.ok and found.stdout.strip() == b"true"


@dataclass(frozen=True)
class Blob:
    """A plain file of a commit: its path from the repository's root and its content's id."""

    path: str
    sha: str


def tree(folder: str, revision: str, paths: Iterable[str]) -> list[Blob]:
    """The plain files of commit ``revision`` under ``paths`` (from the repository's root), by path.

    Links and submodules are left out, as the build never reads through them (:mod:`.sources`).
    """
    found = _run(folder, "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", revision, "--", *paths)
    if not found.ok:
        raise GitError("read_failed", _first_line(found.stderr))
    blobs = []
    for entry in found.stdout.split(b"\0"):
        head, tab, path = entry.partition(b"\t")
        fields = head.split(b" ")
        if not tab or len(fields) != 3:
            continue
        mode, kind, sha = (field.decode("ascii", errors="replace") for field in fields)
        if kind == "blob" and mode in REGULAR_MODES:
            blobs.append(Blob(os.fsdecode(path), sha))
    return sorted(blobs, key=lambda blob: blob.path)


def read_blobs(folder: str, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """(id, content) of each blob of ``shas``, in order, from one ``git cat-file --batch``.

    The requests are written by a thread while the answers are read, so that neither pipe
    fills up and stops the other at any number of files.
    """
    try:
        process = subprocess.Popen(["git", "--no-optional-locks", "-C", folder, "cat-file", "--batch"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   bufsize=1 << 20)
    except OSError as error:
        raise GitError("no_git", str(error)) from None

    def feed() -> None:
        try:
            for sha in shas:
                process.stdin.write(sha.encode("ascii") + b"\n")
            process.stdin.close()
        except (OSError, ValueError):
            pass  # git stopped early: the reader reports it

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for sha in shas:
            header = process.stdout.readline().split()
            if len(header) != 3 or not header[2].isdigit():
                raise GitError("read_failed", f"{sha}: {b' '.join(header).decode('ascii', errors='replace')}")
            size = int(header[2])
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after each object
            if len(data) != size:
                raise GitError("read_failed", f"{sha}: cut short")
            yield sha, data
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        writer.join()


def blob_id(data: bytes) -> str:
    """The id git gives a file of this content: a working-tree file compares with a commit's
    blob without asking git (the same content, the same id)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
