"""Turn a kit folder into a live preview: build it, serve every output to a local web page, rebuild on save and push what changed.

The pieces, each in its own module:

    builder.py   build requests → engine builds, one at a time, and page states
    watcher.py   file-system events → build requests (editors' ways of saving handled)
    state.py     build results → what the page shows (groups, errors with their lines, warnings)
    thumbs.py    output pages → PNG thumbnails cached by file digest
    app.py       HTTP requests → the page, its event stream, output files and thumbnails
    security.py  URL paths and Host headers → allowed or refused

`serve()` wires them to one Engine and runs uvicorn until Ctrl-C.
"""

from __future__ import annotations

import errno
import socket
import threading
from pathlib import Path
from typing import Callable

from kit.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Once asked to stop, how long open responses (event streams) get to finish (seconds).
GRACEFUL_S = 2


def open_socket(host: str, port: int) -> socket.socket:
    """The listening socket, or a UsageError a user can act on (port taken, unknown host)."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise UsageError(f"--host {host}: not an address of this machine ({error.strerror})") from None
    family, kind, proto, _, address = info
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use on {host}: choose another with --port") from None
        raise UsageError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else (
        f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/"


def serve(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False,
          say: Callable[[str], None] = print) -> None:
    """Build and serve the kit at `root` until Ctrl-C (or SIGTERM); raises UsageError for a bad host or port."""
    import signal

    import uvicorn

    from kit.build import Engine
    from kit.serve.app import Broadcaster, PreviewServer, create_app
    from kit.serve.builder import BuildLoop
    from kit.serve.security import is_loopback
    from kit.serve.state import Preview
    from kit.serve.thumbs import Thumbnails
    from kit.serve.watcher import KitWatcher

    sock = open_socket(host, port)
    url = url_of(sock, host)
    engine = Engine(root)
    preview = Preview(root, *_title_and_language(root))
    thumbs = Thumbnails(engine.cache_dir)
    broadcaster = Broadcaster()
    builds = BuildLoop(engine, preview, thumbs, broadcaster.publish, say)
    watcher = KitWatcher(engine.kit_root, engine.out_dir, builds.request,
                         lambda: builds.request({"kit.yaml"}), say)

    def started() -> None:
        # Started here, once uvicorn has taken over SIGINT: the build's forked workers inherit its
        # handler, so Ctrl-C in the terminal stops the server, not each worker with a traceback.
        builds.start()
        builds.request()
        watcher.start()
        say(f"kit serve: {url}  (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    extra = frozenset() if is_loopback(host) or host in ("0.0.0.0", "::", "") else frozenset({host.lower()})
    app = create_app(preview, thumbs, engine.out_dir, broadcaster, extra, on_startup=started)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=GRACEFUL_S,
                            access_log=False)
    server = PreviewServer(config, broadcaster)
    # uvicorn raises the signal that stopped it again once it has stopped: SIGTERM as Ctrl-C, so
    # that both end here, through the clean-up below, never by the default "terminate now".
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        say("kit serve: stopping…")
        watcher.stop()
        _stop_builds(builds, say)
        sock.close()
        signal.signal(signal.SIGTERM, previous)
        say("kit serve: stopped")


def _stop_builds(builds, say) -> None:
    """Wait for the build loop to end: a build in progress stops at its next output, writing nothing."""
    while True:
        try:
            builds.stop()
            return
        except KeyboardInterrupt:
            say("kit serve: still stopping the build in progress…")


def _title_and_language(root: Path) -> tuple[str, str]:
    """The kit's title and language from kit.yaml, for the page before the first build ends."""
    from kit.errors import KitError
    from kit.project import load_config

    try:
        config = load_config(root)
    except (KitError, OSError):
        return root.name, "fr"
    return config.title, config.language
