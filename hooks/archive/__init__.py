"""The work-report archive: report model, vocabulary, validation, index and rendering.

Nothing in this package imports MkDocs. ``hooks/mkdocs_archive.py`` adapts it to MkDocs;
another static-site generator can drive the same functions.
"""
