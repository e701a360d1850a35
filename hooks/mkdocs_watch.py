"""``./dev serve`` hears a saved file from the system at once, instead of MkDocs' polling.

MkDocs 1.6's live-reload server watches with watchdog's ``PollingObserver``: twice a second it
lists and stats every file under docs/. At 10,000 reports one look costs about 0.2 s of the
interpreter the rebuild runs in (the two take turns holding the GIL), a look runs all through
every rebuild, and a saved edit waits up to 0.7 s to be noticed. The system's own notifications
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows: watchdog's
``Observer``) cost nothing between edits and arrive at once (tests/benchmarks/preview_bench.py
measures the difference).

This module is the only contact with the live-reload server's internals: ``server.observer``
and ``server._watched_paths`` of mkdocs 1.6.x. With another MkDocs, a platform with no native
observer, or a system that refuses the watches (inotify's limit on watched folders), MkDocs'
polling stays as it was. Only changes are heard: watchdog also reports a file being opened or
read, which the build itself does to every report (that would rebuild for ever).
"""
from __future__ import annotations

import logging

import mkdocs
import watchdog.events
import watchdog.observers
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.archive.watch")

KNOWN_MKDOCS = "1.6."

#: what a save, an editor's save by renaming, a new file or a deleted one reports
CHANGES = [watchdog.events.FileModifiedEvent, watchdog.events.FileCreatedEvent, watchdog.events.FileDeletedEvent,
           watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent,
           watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent, watchdog.events.DirMovedEvent]


class _Changes(watchdog.observers.Observer):  # the platform's native observer
    """Schedules every watch for changes only (MkDocs' ``watch`` passes no filter)."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=CHANGES,
                                follow_symlink=follow_symlink)

    def start(self) -> None:
        """Started in ``native_watching``, where a refusal can still fall back; MkDocs starts it again."""
        if not self.is_alive():
            super().start()


def native_watching(server) -> bool:
    """Move the server's watches to the native observer, before it starts; True if they moved."""
    observer, watched = getattr(server, "observer", None), getattr(server, "_watched_paths", None)
    if (not mkdocs.__version__.startswith(KNOWN_MKDOCS) or issubclass(watchdog.observers.Observer, PollingObserver)
            or not isinstance(observer, PollingObserver) or observer.is_alive() or not isinstance(watched, dict)):
        return False
    counts = dict(watched)
    _move(server, counts, _Changes())
    try:
        server.observer.start()  # the system's watches are placed here: refused now, not later
    except OSError as error:
        log.info(f"serve: the system's file notifications are refused ({error}); polling for changes instead")
        _move(server, counts, PollingObserver(timeout=observer.timeout))
        return False
    log.info(f"serve: saved files are heard from the system ({type(server.observer).__mro__[1].__name__}), not by polling")
    return True


def _move(server, counts: dict[str, int], observer) -> None:
    for path, count in counts.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer
    for path, count in counts.items():
        for _ in range(count):
            server.watch(path)
