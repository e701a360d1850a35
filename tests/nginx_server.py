"""A real nginx (Debian's package) serving a built site with deploy/nginx/archive.conf.

nginx runs as the test's own user, in the foreground, from a prefix under the test's temporary
folder: its configuration, pid file, logs and temporary files are all there, so no root and
nothing under /etc or /var is needed. The generated nginx.conf includes a copy of the
deployment snippets in which only the site's folder is replaced; the sub-path is the one
the snippet serves (:data:`SUB_PATH`).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
SUB_PATH = "/reports-archive/"
SITE_FOLDER = "/var/www/reports-archive/"   # the folder archive.conf names, replaced here
CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")


def nginx_binary() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH."""
    return shutil.which("nginx") or next((path for path in CANDIDATES if os.access(path, os.X_OK)), None)


@dataclass
class Nginx:
    process: subprocess.Popen
    prefix: Path
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{SUB_PATH}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, name: str = "error.log") -> str:
        path = self.prefix / "logs" / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """SIGTERM (nginx's fast shutdown) to this master only; it ends its own workers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def site_snippet(folder: Path) -> str:
    """archive.conf with the site's folder in place of the deployment's."""
    text = (DEPLOY / "archive.conf").read_text(encoding="utf-8")
    assert text.count(f"alias {SITE_FOLDER};") == 1, "archive.conf names its folder once, in its alias"
    return text.replace(f"alias {SITE_FOLDER};", f"alias {folder.resolve()}/;")


def configuration(folder: Path, prefix: Path, port: int) -> str:
    """nginx.conf: one server on loopback that includes the snippets from conf/snippets/."""
    user = ""
    if os.geteuid() == 0:  # a root master would hand requests to workers running as nobody
        import pwd
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"
    temp = "\n".join(f"    {name}_temp_path {prefix / 'temp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log {prefix / 'logs' / 'access.log'};
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location / {{ return 404; }}
        include snippets/archive.conf;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path, prefix: Path, timeout: float = 20.0) -> Nginx:
    """Start nginx serving ``folder`` at :data:`SUB_PATH`; raise with its error log if it fails."""
    binary = nginx_binary()
    assert binary is not None, "nginx is not installed"
    conf = prefix / "conf"
    (conf / "snippets").mkdir(parents=True, exist_ok=True)
    (prefix / "logs").mkdir(exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    (conf / "snippets" / "archive.conf").write_text(site_snippet(folder), encoding="utf-8")
    shutil.copy(DEPLOY / "archive-headers.conf", conf / "snippets" / "archive-headers.conf")
    error_log = prefix / "logs" / "error.log"
    for _ in range(5):  # another process may take the free port before nginx binds it
        port = free_port()
        (conf / "nginx.conf").write_text(configuration(folder, prefix, port), encoding="utf-8")
        process = subprocess.Popen(
            [binary, "-p", f"{prefix}/", "-c", str(conf / "nginx.conf"), "-e", str(error_log),
             "-g", f"daemon off; pid {prefix / 'nginx.pid'}; error_log {error_log} warn;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        server = Nginx(process=process, prefix=prefix, port=port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return server
            except OSError:
                time.sleep(0.05)
        server.stop()
        if "Address already in use" not in server.log():
            break
    raise RuntimeError(f"nginx did not start:\n{server.log()}")
