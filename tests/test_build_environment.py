"""The build machine's environment (CI's secrets) never appears in any output file of a build."""
from __future__ import annotations

import os
import secrets
import subprocess

from sites import make_site, output_files


def test_the_build_environment_is_in_no_output_file(tmp_path):
    """A real build of the fixture site, search included, with a unique secret in its environment.

    The site also carries the one way a pull request could reach the environment, a link to
    ``/proc/self/environ``; the build is not strict so that it publishes whatever it would.
    Every output file is searched, gzip files (the sitemap, Pagefind's index) decompressed.
    """
    secret = f"archivesecret{secrets.token_hex(16)}"
    site = make_site(tmp_path / "repo")
    os.symlink("/proc/self/environ", site.docs / "reports" / "2023" / "environ.md")
    os.symlink("/proc/self/environ", site.docs / "stylesheets" / "environ.css")
    args, env = site.command(strict=False)
    env = dict(env, ARCHIVE_TEST_SECRET=secret)
    result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=site.root, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    files = output_files(site.out)
    assert any(name.startswith("search/") and name.endswith(".pf_fragment") for name in files)
    assert any(name.endswith(".pf_index") for name in files)
    # the secret itself, and the value of any variable of this machine named like a secret
    values = {secret} | {value for name, value in env.items() if len(value) >= 8
                         and any(word in name.upper() for word in ("SECRET", "TOKEN", "PASSWORD", "API_KEY"))}
    leaked = sorted({name for name, data in files.items() for value in values
                     if value.encode() in data or value.lower().encode() in data})
    assert leaked == []
    assert secret not in result.stdout + result.stderr
