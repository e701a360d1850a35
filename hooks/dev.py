"""The contributor's commands with plain Python, for those without bash (Windows):

    python hooks/dev.py check  [--format text|github|gitlab] [paths…]
    python hooks/dev.py new    --unit U --year Y --template T [--slug S]
    python hooks/dev.py import FILE --unit U --year Y --template T [--slug S]
    python hooks/dev.py diff   BASE

run from the repository's folder with the project's Python (``.venv/bin/python``, or
``.venv\\Scripts\\python`` on Windows). ``./dev check|new|import|diff`` runs the same code.
Each command lives in the plain package (``hooks/archive/``), which never imports MkDocs.
"""
from __future__ import annotations

import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

#: command → module of hooks/archive with its ``main(argv) -> int``
COMMANDS = {
    "check": "archive.check",
    "new": "archive.scaffold",
    "import": "archive.importing",
    "diff": "archive.diff",
}


def run(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.split("\n\n")[1].rstrip(), file=sys.stderr)
        return 2
    return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):  # a Windows pipe's code page cannot stop the report
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        sys.exit(run(sys.argv[1:]))
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
