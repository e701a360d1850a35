"""``./dev check`` with plain Python, for contributors without bash (Windows):

    python hooks/check.py [--format text|github|gitlab] [-f mkdocs.yml] [paths…]

run from the repository's folder with the project's Python (``.venv/bin/python``, or
``.venv\\Scripts\\python`` on Windows). ``python -m hooks.check`` works too.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from archive.check import main  # noqa: E402

if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):  # a Windows pipe's code page cannot stop the report
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        sys.exit(main())
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
