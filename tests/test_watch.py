"""``./dev serve`` hears saved files from the system (hooks/mkdocs_watch.py); anything unknown keeps
MkDocs' polling. The reload itself is tested on a running server in test_preview."""
from __future__ import annotations

import sys

import mkdocs
import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from sites import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import mkdocs_watch  # noqa: E402


@pytest.fixture
def server(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    server.watch(str(tmp_path / "docs"))  # watched twice (a plugin asking again): counted twice
    yield server
    server.observer.stop()


def test_the_watches_move_to_the_native_observer_started_once(server, tmp_path):
    watched = dict(server._watched_paths)
    assert mkdocs_watch.native_watching(server) is True
    assert isinstance(server.observer, mkdocs_watch._Changes) and server.observer.is_alive()
    assert server._watched_paths == watched == {str(tmp_path / "docs"): 2, str(tmp_path / "mkdocs.yml"): 1}
    server.observer.start()  # MkDocs' serve() starts it again: nothing happens
    assert mkdocs_watch.native_watching(server) is False  # already moved


def test_a_refusal_of_the_system_keeps_polling(server, tmp_path, monkeypatch):
    def refused(self):
        raise OSError(28, "inotify watch limit reached")
    monkeypatch.setattr(mkdocs_watch._Changes, "start", refused)
    assert mkdocs_watch.native_watching(server) is False
    assert type(server.observer) is PollingObserver and not server.observer.is_alive()
    assert server._watched_paths == {str(tmp_path / "docs"): 2, str(tmp_path / "mkdocs.yml"): 1}


def test_another_mkdocs_keeps_polling(server, monkeypatch):
    monkeypatch.setattr(mkdocs, "__version__", "2.0.0")
    polling = server.observer
    assert mkdocs_watch.native_watching(server) is False
    assert server.observer is polling
