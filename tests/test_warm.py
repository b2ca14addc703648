"""kit.warm: `kit build` run in a fork of the warm process says, writes and exits as in its own process."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_KIT, REPO, SMALL_SESSION, copy_kit
from kit import warm

pytestmark = pytest.mark.skipif(not warm.enabled({}), reason="the warm process needs Linux's abstract sockets")

SESSION = SMALL_SESSION


def environment(**changes: str) -> dict[str, str]:
    return {**os.environ, "KIT_WARM": "1", "NO_COLOR": "1", **changes}


def kit(*args: str, cwd: Path = REPO, **changes: str) -> subprocess.CompletedProcess:
    """`python -m kit …` as a user types it, with the warm process allowed."""
    return subprocess.run([sys.executable, "-m", "kit", *args], cwd=cwd, env=environment(**changes),
                          capture_output=True, text=True, timeout=300)


def ask(what: str) -> dict | None:
    """Ask the warm process from a process that finds it as `python -m kit` does."""
    code = f"import json, kit.warm as w; print(json.dumps(w.ask({what!r})))"
    answer = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=environment(),
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(answer.stdout)


def wait_for_warm_process() -> dict:
    for _ in range(300):
        status = ask("status")
        if status is not None:
            return status
        time.sleep(0.1)
    raise AssertionError("no warm process answered within 30 s")


@pytest.fixture
def warm_process():
    """A warm process for this test alone (any other is stopped first), stopped afterwards."""
    while ask("stop") is not None:
        time.sleep(0.2)
    yield
    while ask("stop") is not None:
        time.sleep(0.2)


def outputs(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "output").rglob("*.pdf") if ".cache" not in p.parts}


def without_times(text: str) -> str:
    return re.sub(r'"seconds": [0-9.]+|\b[0-9.]+ s\b', "", text)


def test_a_build_in_the_warm_process_says_writes_and_exits_as_its_own_process(make_kit, tmp_path, warm_process):
    root = make_kit({"content/sessions/essai.yaml": SESSION})
    first = kit("build", "--kit", str(root), "--out", str(tmp_path / "first"))
    assert first.returncode == 0, first.stderr  # no warm process yet: this one ran alone and left one
    before = wait_for_warm_process()["served"]

    served = kit("build", "--kit", str(root), "--out", str(tmp_path / "served"), "--json")
    alone = kit("build", "--kit", str(root), "--out", str(tmp_path / "alone"), "--json", KIT_WARM="0")
    assert ask("status")["served"] == before + 1
    assert served.returncode == alone.returncode == 0
    report = json.loads(served.stdout)
    assert [(o["path"], o["status"]) for o in report["outputs"]] == \
        [(o["path"], o["status"]) for o in json.loads(alone.stdout)["outputs"]]
    assert without_times(served.stderr).replace("/served/", "/alone/") == without_times(alone.stderr)
    for output in report["outputs"]:
        for name in output["files"]:
            assert (tmp_path / "served" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()

    # A content mistake: the same message, exit code 1, no traceback, nothing written.
    (root / "content/sessions/essai.yaml").write_text(SESSION.replace("duration: 30", "duration: trente"))
    served = kit("build", "--kit", str(root), "--out", str(tmp_path / "broken"))
    alone = kit("build", "--kit", str(root), "--out", str(tmp_path / "broken"), KIT_WARM="0")
    assert served.returncode == alone.returncode == 1
    assert served.stderr == alone.stderr
    assert "content/sessions/essai.yaml:6: day 1, block 1 (“Accueil”), duration: expected minutes" in served.stderr
    assert "Traceback" not in served.stderr and not (tmp_path / "broken").exists()
    assert ask("status")["served"] == before + 2

    # Usage mistakes and help read the same, with the same program name.
    for args in (["build", "--bogus"], ["build", "--help"]):
        served, alone = kit(*args), kit(*args, KIT_WARM="0")
        assert (served.returncode, served.stdout, served.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert "Usage: python -m kit build" in served.stdout


def test_the_fork_works_in_the_command_s_folder_with_its_umask(make_kit, warm_process):
    root = make_kit({"content/sessions/essai.yaml": SESSION})
    kit("build", "--kit", str(root), "-q", cwd=root)
    before = wait_for_warm_process()["served"]
    served = subprocess.run([sys.executable, "-m", "kit", "build", "--kit", ".", "--out", "private", "-q"],
                            cwd=root, env=environment(), preexec_fn=lambda: os.umask(0o077),
                            capture_output=True, text=True, timeout=300)
    assert served.returncode == 0, served.stderr
    assert ask("status")["served"] == before + 1
    programme = root / "private/essai/programme.pdf"  # relative to the command's folder
    assert programme.stat().st_mode & 0o777 == 0o600  # and made with its umask


def test_ctrl_c_reaches_the_build_and_leaves_the_outputs_as_they_were(tmp_path, warm_process):
    root = copy_kit(FIXTURE_KIT, tmp_path / "kit")
    kit("build", "--kit", str(root), "-q", "content/sessions/session-07.yaml")
    wait_for_warm_process()
    before = outputs(root)
    (root / "content/sessions/session-07.yaml").write_text(
        (root / "content/sessions/session-07.yaml").read_text(encoding="utf-8").replace("Session 7", "Session sept"),
        encoding="utf-8")
    command = subprocess.Popen([sys.executable, "-m", "kit", "build", "--kit", str(root)], cwd=REPO,
                               env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)  # the fork is loading or rendering: a whole kit takes seconds
    command.send_signal(signal.SIGINT)
    _, err = command.communicate(timeout=120)
    assert command.returncode == 1 and "Aborted!" in err and "Traceback" not in err
    assert outputs(root) == before


def test_the_warm_process_leaves_when_idle_and_writes_nothing(warm_process, tmp_path):
    """Nothing in the system's temporary folder either: it warms pango up without kit's fonts,
    which weasyprint would copy there."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    address = subprocess.run([sys.executable, "-c", "import kit.warm as w; print(w.address().hex())"], cwd=REPO,
                             env=environment(), capture_output=True, text=True, check=True).stdout.strip()
    server = subprocess.Popen([sys.executable, "-m", "kit.warm", "serve", address, "1"], cwd=REPO,
                              env=environment(TMPDIR=str(system_tmp)))
    try:
        wait_for_warm_process()
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
    assert ask("status") is None
    assert list(system_tmp.iterdir()) == []


def test_a_warm_process_started_for_another_kit_serves_nothing(warm_process):
    server = subprocess.run([sys.executable, "-m", "kit.warm", "serve", (b"\0kit-warm-other").hex(), "1"], cwd=REPO,
                            env=environment(), timeout=60)
    assert server.returncode == 0 and ask("status") is None


def test_the_address_changes_with_any_file_of_kit(tmp_path, monkeypatch):
    package = tmp_path / "kit"
    (package / "templates").mkdir(parents=True)
    (package / "build.py").write_text("x = 1\n")
    (package / "templates" / "agenda.css").write_text("h1 {}\n")
    monkeypatch.setattr(warm, "PACKAGE_DIR", package)
    first = warm.address()
    (package / "templates" / "agenda.css").write_text("h1 { color: red }\n")
    second = warm.address()
    (package / "build.py").write_text("x = 22\n")
    assert len({first, second, warm.address()}) == 3
    assert first.startswith(b"\0kit-warm-")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another user")
def test_the_warm_process_answers_no_other_user(warm_process):
    kit("build", "--help")
    assert ask("status") is None  # help is not a build: it leaves no warm process
    address = subprocess.run([sys.executable, "-c", "import kit.warm as w; print(w.address().hex())"], cwd=REPO,
                             env=environment(), capture_output=True, text=True, check=True).stdout.strip()
    server = subprocess.Popen([sys.executable, "-m", "kit.warm", "serve", address, "60"], cwd=REPO, env=environment())
    try:
        wait_for_warm_process()
        stranger = (
            "import os, socket, json, array\n"
            f"address = bytes.fromhex({address!r})\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(address)\n"
            "try:\n"
            "    socket.send_fds(s, [json.dumps({'status': True}).encode()], [])\n"
            "    print(repr(s.recv(100)))\n"
            "except (BrokenPipeError, ConnectionResetError):  # closed before or after it was asked\n"
            "    print(repr(b''))\n")
        answer = subprocess.run([sys.executable, "-c", stranger], capture_output=True, text=True, timeout=60)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.strip() == "b''"  # closed without a word
        assert ask("status")["served"] == 0
    finally:
        server.kill()


@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux `script` (a pseudo-terminal) is not installed")
def test_a_person_at_a_terminal_is_told_once_that_a_warm_process_stays(make_kit, warm_process):
    root = make_kit({"content/sessions/essai.yaml": SESSION})
    command = f"{shlex.quote(sys.executable)} -m kit build --kit {shlex.quote(str(root))}"

    def at_a_terminal() -> str:
        done = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=REPO, env=environment(),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout
        return done.stdout

    said = "a warm process stays 15 minutes"
    assert said in at_a_terminal()
    wait_for_warm_process()
    second = at_a_terminal()
    assert said not in second and "outputs:" in second
    assert said not in kit("build", "--kit", str(root), KIT_WARM="1").stderr  # piped: never said
