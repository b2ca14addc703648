"""One lock for every use of pdfium in a process: the build's (deck PNGs) and the preview's thumbnails.

pdfium is not thread-safe. `kit serve` renders thumbnails in its server threads while a build
runs in another thread of the same process, so each use holds PDFIUM for as long as it touches
pdfium objects, and no longer: a thumbnail can be drawn between two outputs of a build.
"""

from __future__ import annotations

import os
import threading

PDFIUM = threading.Lock()


def _fresh_lock_in_child() -> None:
    # A worker forked while a server thread held the lock would otherwise inherit it held, forever.
    global PDFIUM
    PDFIUM = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)


def lock() -> threading.Lock:
    """The current lock (a forked worker has its own)."""
    return PDFIUM
