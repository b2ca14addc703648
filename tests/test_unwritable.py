"""A build into a folder kit cannot write: one clear error naming the folder and why, exit 1, nothing replaced.

Permissions do not stop root, so as root the build runs without any capability (setpriv): an
unprivileged process, as a resident's session is. Its user id stays 0 only because the Python
that runs it lives under /root here.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kit.build import build

SESSION = """\
title: Essai
days:
  - date: 2019-05-23
    start: "9:00"
    blocks:
      - {title: Accueil, duration: 30}
"""


def unprivileged(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the privileges that bypass permissions")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--", *command]


def outputs(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file() and ".cache" not in p.relative_to(out).parts}


def read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)


def writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


@pytest.mark.parametrize("locked", ["output", "output/essai"], ids=["output folder", "a sub-folder"])
def test_a_read_only_output_folder_is_one_clear_error_and_nothing_is_replaced(make_kit, locked):
    root = make_kit({"content/sessions/essai.yaml": SESSION})
    build(root, jobs=1)
    before = outputs(root / "output")
    (root / "content/sessions/essai.yaml").write_text(SESSION.replace("Accueil", "Accueil café"))
    read_only(root / locked)
    try:
        result = subprocess.run(unprivileged([sys.executable, "-m", "kit", "build", "--kit", str(root), "-j", "2"]),
                                capture_output=True, text=True)
    finally:
        writable(root / "output")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    message = lines[0]
    assert str(root / locked) in message and ("permission denied" in message.lower())
    assert outputs(root / "output") == before
    assert not list((root / "output/.cache").glob("staging-*"))
