"""Turn `kit build` into a fork of a process that has kit and its renderers imported already.

A new `kit build` spends about a second before it renders anything: Python imports kit, then each
render worker imports weasyprint, pikepdf and reportlab and lays out a first line to load pango
and the fonts. In the edit → rebuild → look loop that second is most of what a small edit costs.

So the first `kit build` leaves behind a *warm process*: it imports all of that once, then waits
on a local socket. The next `kit build` (this module's `main`, the `kit` command) connects and
hands it its argument list, working folder, environment, umask, and its own standard input,
output and error (the file descriptors themselves, over the socket). The warm process forks; the
fork takes over those descriptors and runs the command exactly as a new process would, its
workers forked from it with everything imported. It writes to the user's terminal itself, and
the exit code comes back to the `kit` command, which exits with it. Ctrl-C is passed on.

Nothing of a build stays in the warm process: it never reads a kit, and each command is a fresh
fork of it. It is found by an address made of the user, the Python and every file of kit's
package (its sources, templates, labels, fonts by size and time), so an edited or upgraded kit
is never served by an old one; it answers only processes of its own user (the socket's peer
credentials, checked both ways), and leaves after IDLE_SECONDS without a command. The socket is
in Linux's abstract namespace: no file is written. Elsewhere, or with KIT_WARM=0, every command
runs in its own process as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
IDLE_SECONDS = 15 * 60
RECHECK_SECONDS = 30                 # how often a waiting warm process looks whether kit changed
ENVIRONMENT = "KIT_WARM"             # "0" or "off": no warm process
COMMANDS = {"build"}                 # the commands a warm process runs (the edit loop's)
MESSAGE_MAX = 1 << 20                # a request: argument list and environment, as JSON
_STAMPED = {".py", ".j2", ".css", ".toml", ".ttf", ".otf", ".json"}


def enabled(environ=None) -> bool:
    environ = os.environ if environ is None else environ
    return (sys.platform.startswith("linux") and hasattr(socket, "send_fds")
            and environ.get(ENVIRONMENT, "").lower() not in ("0", "off", "no", "false"))


def command_of(argv: list[str]) -> str | None:
    """The command an argument list runs (`build` in `kit -q build …`), if any."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def code_stamp() -> str:
    """What the warm process imported, by size and time: kit's own files, and the installed
    packages' folder (an upgrade adds and removes folders there)."""
    import sysconfig

    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in _STAMPED and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(PACKAGE_DIR)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        try:
            digest.update(f"{folder}:{os.stat(folder).st_mtime_ns};".encode())
        except OSError:
            pass
    return digest.hexdigest()


def address() -> bytes:
    """The abstract socket of the warm process for this user, this Python and this kit."""
    # Not sys.path[0]: the script's folder or, for `python -m`, the working folder; where kit comes
    # from is PACKAGE_DIR.
    identity = json.dumps([os.getuid(), sys.executable, sys.version, sys.path[1:], str(PACKAGE_DIR), code_stamp()])
    return b"\0kit-warm-" + hashlib.sha256(identity.encode()).hexdigest()[:40].encode()


def peer_uid(connection: socket.socket) -> int:
    """The user of the process at the other end of a local socket (SO_PEERCRED: pid, uid, gid)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


# ---------------------------------------------------------------------------- the `kit` command

def main() -> None:
    """The `kit` command: run it in a fork of the warm process when there is one, else here (and
    leave a warm process for the next time)."""
    argv = sys.argv[1:]
    where = None
    builds = command_of(argv) in COMMANDS and not {"-h", "--help"} & set(argv)  # the edit loop's commands
    if builds and enabled():
        try:
            where = address()  # once: the kit files' stat is most of what asking costs
        except OSError:
            where = None
    if where is not None:
        code = run_in_warm_process(argv, where)
        if code is not None:
            sys.exit(code)
    from kit import early_worker

    if builds:
        early_worker.start()  # the build's first render worker, importing while the command line loads
    try:
        from kit.cli import main as cli

        cli(args=argv)
    except KeyboardInterrupt:  # Ctrl-C before click took over (it says the same)
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    except SystemExit:
        if where is not None and start_warm_process(where) and not {"-q", "--quiet", "--json"} & set(argv):
            from kit.console import is_terminal

            if is_terminal(sys.stderr):  # said once, where a person reads it: a process stays behind them
                print("kit: a warm process stays 15 minutes to start the next builds sooner "
                      "(KIT_WARM=0: without it)", file=sys.stderr)
        raise
    finally:
        early_worker.discard()  # if the build started no workers
        # Python's last garbage collections, as it exits, walk all that the command left (the
        # content, the plan, the modules): a sixth of a second of every build's process, for memory
        # the system takes back anyway. Frozen, it is left out of them (files are closed and
        # buffers flushed as before: by their own `with`, and for stdout and stderr by Python).
        import gc

        gc.freeze()


def program_name() -> str:
    """What usage lines call the command: `kit`, or `python -m kit` (click's own rule)."""
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    name = os.path.basename(sys.argv[0])
    if not package:
        return name
    stem = os.path.splitext(name)[0]
    module = package if stem == "__main__" else f"{package}.{stem}"
    return f"python -m {module.lstrip('.')}"


def _connect(where: bytes | None = None, timeout: float = 5.0) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(where or address())
        if peer_uid(connection) == os.getuid():
            return connection
    except OSError:
        pass
    connection.close()
    return None


def run_in_warm_process(argv: list[str], where: bytes) -> int | None:
    """Run one command in a fork of the warm process at `where`, with this process's terminal; its
    exit code, or None when no warm process took it (then run it here)."""
    from kit.writer import current_umask

    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:  # a closed standard stream cannot be handed over
        return None
    connection = _connect(where)
    if connection is None:
        return None
    streams = {name: [getattr(sys, name).encoding, getattr(sys, name).errors]
               for name in ("stdin", "stdout", "stderr") if getattr(sys, name) is not None}
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": current_umask(),
               "streams": streams, "program": program_name()}
    # Ctrl-C and the like go to the fork that runs the command, even one pressed before it started.
    child: list[int] = []
    pending: list[int] = []

    def pass_on(signum, frame) -> None:
        if child:
            _pass_on(child[0], signum)
        else:
            pending.append(signum)

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, pass_on)
    with connection:
        try:
            socket.send_fds(connection, [json.dumps(request).encode("utf-8")], [0, 1, 2])
            connection.settimeout(None)
            replies = connection.makefile("r", encoding="utf-8")
            started = replies.readline()
        except OSError:
            started = ""
        if not started:  # the warm process was leaving: run here, as if it had not been asked
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL)
            for signum in pending:
                signal.raise_signal(signum)
            return None
        child.append(json.loads(started)["pid"])
        for signum in pending:
            _pass_on(child[0], signum)
        try:
            finished = replies.readline()
        except OSError:
            finished = ""
    if not finished:  # the fork died without a word (killed): say so as a shell would
        print(f"kit: the build process {child[0]} ended without an exit code", file=sys.stderr)
        return 1
    return int(json.loads(finished)["exit"])


def _pass_on(child: int, signum: int) -> None:
    try:
        os.kill(child, signum)
    except ProcessLookupError:
        pass


def start_warm_process(where: bytes) -> bool:
    """Start a warm process in the background for the next command (it leaves at once if another
    already holds the address); whether one was started."""
    import subprocess

    try:
        # From this folder (it is the first place `python -m` imports from); it names the address it
        # is for, and serves nothing if it would import another kit than this process did.
        subprocess.Popen([sys.executable, "-m", "kit.warm", "serve", where.hex()], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                         start_new_session=True)
    except OSError:
        return False
    return True


def ask(what: str) -> dict | None:
    """A question to the warm process ("status", "stop"), for tests and the benchmark; None if none."""
    connection = _connect()
    if connection is None:
        return None
    with connection:
        try:
            socket.send_fds(connection, [json.dumps({what: True}).encode("utf-8")], [])
            line = connection.makefile("r", encoding="utf-8").readline()
        except OSError:
            return None
    return json.loads(line) if line else None


# ---------------------------------------------------------------------------- the warm process

def preload() -> None:
    """Import what every build uses and what its workers render with, and load pango and the
    fonts: a fork of this process renders at once."""
    import importlib

    import kit.cli  # noqa: F401 (the command line)
    from kit.build import renderers_of, warm_up_renderers
    from kit.documents import environment, parse_template_sheets
    from kit.generators import GENERATORS

    warm_up_renderers(renderers_of(GENERATORS), fonts=False, dictionaries=True)
    for generator in GENERATORS.values():  # and what a render imports itself (not a worker's warm-up)
        for module in getattr(generator, "imported_on_use", ()):
            importlib.import_module(module)
    from kit.typography import font_characters

    font_characters()  # what kit's fonts draw, which every text field is checked against
    try:
        templates = environment()
        for name in templates.list_templates(extensions=["j2"]):
            templates.get_template(name)  # compiled once here, not in every worker
        parse_template_sheets()  # and their style sheets parsed: a tenth of a second per worker and build
    except Exception:  # noqa: BLE001 — only a head start; a build reports any problem itself
        pass


def serve(wanted: bytes, idle: float = IDLE_SECONDS) -> None:
    """Hold the address, preload, then fork one child per command until idle for `idle` seconds."""
    import gc

    here = address()
    if here != wanted:  # this process would import another kit than the command that started it
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(here)
    except OSError:  # another warm process holds it
        return
    listener.listen(16)
    preload()
    os.chdir("/")  # holds no user folder while it waits
    gc.freeze()  # what was imported stays shared with the forks, not copied as they touch it
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the system
    listener.settimeout(min(idle, RECHECK_SECONDS))
    served, last = 0, time.monotonic()
    while True:
        try:
            connection, _ = listener.accept()
        except socket.timeout:
            # Idle, or kit was edited or upgraded: no command will come to this address again.
            if time.monotonic() - last >= idle or address() != here:
                return
            continue
        last = time.monotonic()
        with connection:
            if peer_uid(connection) != os.getuid():
                continue
            connection.settimeout(5.0)
            try:
                message, fds, _, _ = socket.recv_fds(connection, MESSAGE_MAX, 3)
                request = json.loads(message)
            except (OSError, ValueError):
                continue
            if "status" in request or "stop" in request:
                _reply(connection, {"pid": os.getpid(), "served": served})
                if "stop" in request:
                    return
                continue
            if address() != here:  # kit changed since: leave, the command runs in its own process
                _close(fds)
                return
            served += 1
            if os.fork() == 0:
                listener.close()
                _run_command(connection, request, fds)  # never returns
            _close(fds)


def _reply(connection: socket.socket, message: dict) -> None:
    connection.sendall((json.dumps(message) + "\n").encode("utf-8"))


def _close(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def _run_command(connection: socket.socket, request: dict, fds: list[int]) -> None:
    """In the fork: become the client's process (its streams, folder, environment, umask), run the
    command, send its exit code."""
    code = 1
    try:
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        connection.settimeout(None)
        _reply(connection, {"pid": os.getpid()})
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        _close(fds)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.umask(request["umask"])
        import tempfile

        tempfile.tempdir = None  # found again from this environment's TMPDIR
        streams = request.get("streams", {})
        for fd, name in enumerate(("stdin", "stdout", "stderr")):
            encoding, errors = streams.get(name, ["utf-8", "strict"])
            stream = open(fd, "r" if fd == 0 else "w", encoding=encoding, errors=errors, closefd=False,
                          buffering=-1 if fd == 0 or not os.isatty(fd) else 1)
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
        sys.argv = [request.get("program", "kit"), *request["argv"]]
        code = _exit_code(request["argv"], request.get("program", "kit"))
    finally:
        try:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        except Exception:  # noqa: BLE001 — the terminal may be gone; the exit code still goes back
            pass
        try:
            _reply(connection, {"exit": code})
        except OSError:
            pass
        os._exit(code)


def _exit_code(argv: list[str], program: str) -> int:
    """Run the command line as `kit` would, and the code a process would exit with."""
    from kit.cli import main as cli

    try:
        cli(args=argv, prog_name=program)
    except SystemExit as exit:
        if exit.code is None:
            return 0
        if isinstance(exit.code, int):
            return exit.code
        print(exit.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BaseException:  # noqa: BLE001 — shown as a new process would show it
        import traceback

        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["serve"] and len(sys.argv) > 2:
    serve(bytes.fromhex(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else IDLE_SECONDS)
