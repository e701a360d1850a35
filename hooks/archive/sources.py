"""Which files under docs/ the build may read and publish: real files of allowed types, nothing else.

Every file of a pull request is untrusted. A symbolic link makes the build read whatever it
points to — ``docs/reports/2023/env.txt -> /proc/self/environ`` would publish the build
machine's environment (its secrets), ``-> /etc/passwd`` its accounts — so no link under
``docs/`` is ever followed, read, copied or published, whatever it points to (a link to a file
inside the repository gains nothing over the file itself, and telling the two apart means
following it). The same holds for anything else that is not a plain file or folder (a named
pipe would hang the build when read) and for a path that resolves outside ``docs/``.

MkDocs lists ``docs/`` with ``os.walk(followlinks=True)`` before any plugin sees the files, so
a linked *folder* (to ``/``, say) would be walked, listed and copied before ``on_files``, and
nothing can make that walk skip it. :func:`unsafe_entries` therefore looks at the tree first,
never following a link (``os.scandir`` with ``follow_symlinks=False``), and the adapter stops
the build when it finds a linked folder, listing every problem it found; a linked file is
harmless until read, so it is only taken out of the build's files (:func:`refused_file`) and
reported like any other problem.

File types are an allowlist, one definition per place (:data:`REPORT_TYPES`,
:data:`SITE_TYPES`): under ``reports/`` a report (Markdown) and the images and attachments the
contributor guide documents; elsewhere in ``docs/`` also the maintainer's stylesheets. HTML,
SVG (it can carry script), scripts, XML and anything unnamed are refused, and the files of an
allowed type must start the way that type does, so that an HTML page renamed ``.png`` is not
published either. Files that MkDocs itself excludes (``exclude_docs``, dot files) are never
published, so their type does not matter. Plain Python: the MkDocs adapter passes paths in.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from .problems import Problem

REPORTS = "reports/"


@dataclass(frozen=True)
class FileType:
    """A type of file the site publishes: its extensions, and how its content begins."""

    extensions: tuple[str, ...]
    label: dict[str, str]                       # what the content is called, per message language
    signatures: tuple[tuple[int, bytes], ...] = ()  # (offset, bytes) any one of which must match

    def matches(self, head: bytes) -> bool:
        return not self.signatures or any(head[offset:offset + len(magic)] == magic
                                          for offset, magic in self.signatures)


MARKDOWN = FileType((".md",), {"zh": "Markdown 文本", "en": "Markdown text"})
PNG = FileType((".png",), {"zh": "PNG 图片", "en": "a PNG image"}, ((0, b"\x89PNG\r\n\x1a\n"),))
JPEG = FileType((".jpg", ".jpeg"), {"zh": "JPEG 图片", "en": "a JPEG image"}, ((0, b"\xff\xd8\xff"),))
GIF = FileType((".gif",), {"zh": "GIF 图片", "en": "a GIF image"}, ((0, b"GIF87a"), (0, b"GIF89a")))
WEBP = FileType((".webp",), {"zh": "WebP 图片", "en": "a WebP image"}, ((8, b"WEBP"),))
PDF = FileType((".pdf",), {"zh": "PDF 文档", "en": "a PDF document"}, ((0, b"%PDF-"),))
CSS = FileType((".css",), {"zh": "CSS 样式表", "en": "a CSS stylesheet"})

#: under docs/reports/: reports and the images and attachments the contributor guide documents
REPORT_TYPES: tuple[FileType, ...] = (MARKDOWN, PNG, JPEG, GIF, WEBP, PDF)
#: anywhere else in docs/: pages, the maintainer's stylesheets, images and attachments
SITE_TYPES: tuple[FileType, ...] = REPORT_TYPES + (CSS,)

_HEAD = 16  # bytes read to check a signature: enough for every signature above


def allowed_extensions(types: tuple[FileType, ...]) -> tuple[str, ...]:
    return tuple(ext for kind in types for ext in kind.extensions)


def unsafe_entries(docs_dir: str) -> list[Problem]:
    """Every link, special file or folder resolving elsewhere under ``docs_dir``, never following one.

    Paths are relative to ``docs_dir`` (the adapter prefixes ``docs/``); a problem's code says
    whether the entry is a folder (``symlink_dir``), which stops the build, or a file.
    """
    problems: list[Problem] = []
    root = os.path.realpath(docs_dir)
    if os.path.islink(docs_dir) or not os.path.isdir(docs_dir):
        return [Problem("", 1, "symlink_dir")] if os.path.islink(docs_dir) else []
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            entries = sorted(os.scandir(os.path.join(docs_dir, relative)), key=lambda e: e.name)
        except OSError:
            continue  # unreadable folder: MkDocs reports it; nothing here was followed
        for entry in entries:
            path = f"{relative}{entry.name}"
            if entry.is_symlink() or _is_junction(entry):
                problems.append(Problem(path, 1, "symlink_dir" if _points_to_dir(entry) else "symlink"))
            elif entry.is_dir(follow_symlinks=False):
                if os.path.realpath(entry.path) != os.path.join(root, path):
                    problems.append(Problem(path, 1, "outside_docs"))
                else:
                    pending.append(path + "/")
            elif not entry.is_file(follow_symlinks=False):
                problems.append(_special(path, entry.stat(follow_symlinks=False).st_mode))
    return sorted(problems, key=lambda p: p.path)


def stops_build(problems: list[Problem]) -> bool:
    """A linked or relocated folder: MkDocs would walk through it before any check can act."""
    return any(p.code in ("symlink_dir", "outside_docs") for p in problems)


def refused_file(docs_dir: str, src_uri: str, published: bool = True,
                 folders: dict[str, str] | None = None) -> Problem | None:
    """Why the build must neither read nor publish this file of ``docs_dir``, or None.

    Looks at the link itself (``lstat``), never at what it points to; reads the first bytes
    of a regular file of a type with a signature. A file that is not ``published`` (MkDocs
    excludes it) may be of any type, but never a link. ``folders``: the real paths of the
    folders seen so far in one pass over the files (a real path costs a system call per
    folder of the path: 0.9 s for 10,000 files when asked of every file).
    """
    path = os.path.join(docs_dir, src_uri)
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # gone since MkDocs listed it: MkDocs reports it when it reads it
    if stat.S_ISLNK(mode):
        return Problem(src_uri, 1, "symlink")
    if not stat.S_ISREG(mode):
        return _special(src_uri, mode)
    # not a link itself: it is where its folder really is
    folders = {} if folders is None else folders
    real = lambda folder: folders.get(folder) or folders.setdefault(folder, os.path.realpath(folder))  # noqa: E731
    if real(os.path.dirname(path)) != os.path.normpath(os.path.join(real(docs_dir), os.path.dirname(src_uri))):
        return Problem(src_uri, 1, "outside_docs")
    if not published:
        return None
    in_reports = src_uri.startswith(REPORTS)
    types = REPORT_TYPES if in_reports else SITE_TYPES
    ext = os.path.splitext(src_uri)[1].lower()
    kind = next((t for t in types if ext in t.extensions), None)
    if kind is None:
        what = ({"zh": f" {ext} 文件", "en": f"{ext} files"} if ext else
                {"zh": "没有扩展名的文件", "en": "files without an extension"})
        allowed = allowed_extensions(types)
        return Problem(src_uri, 1, "report_file_type" if in_reports else "site_file_type",
                       {"what": what, "allowed": {"zh": "、".join(allowed), "en": ", ".join(allowed)}})
    if kind.signatures:
        try:
            with open(path, "rb") as handle:
                head = handle.read(_HEAD)
        except OSError:
            head = b""
        if not kind.matches(head):
            return Problem(src_uri, 1, "file_content", {"ext": ext, "kind": kind.label})
    return None


def _special(path: str, mode: int) -> Problem:
    kind = ({"zh": "命名管道", "en": "a named pipe"} if stat.S_ISFIFO(mode) else
            {"zh": "套接字", "en": "a socket"} if stat.S_ISSOCK(mode) else
            {"zh": "设备文件", "en": "a device"})
    return Problem(path, 1, "not_regular_file", {"kind": kind})


def _is_junction(entry: os.DirEntry) -> bool:
    """A Windows junction acts as a folder link; ``is_junction`` exists from Python 3.12."""
    check = getattr(entry, "is_junction", None)
    return bool(check and check())


def _points_to_dir(entry: os.DirEntry) -> bool:
    """Whether a link names a folder, which MkDocs' walk would enter (a file it would only list).

    Asks the file system for the target's type (``stat``, as ``os.walk`` itself does): no
    content is read and nothing below the target is listed.
    """
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False
