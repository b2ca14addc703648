"""Import weasyprint without the library search that spawns about seventy processes.

weasyprint's ffi tries several names for each system library it loads (pango, harfbuzz,
fontconfig…): the Windows, macOS and Linux spellings in turn. cffi hands every name that does
not load at once to `ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc and
ld: about 70 short-lived processes per import, on every name tried in vain, and for
libharfbuzz-subset (optional) on all six when it is not installed. That is half of weasyprint's
import time, paid by every process that lays out a document.

On Linux the names that load are the sonames (`libpango-1.0.so.0`), which dlopen finds itself,
so while weasyprint imports find_library answers "not found" at once and cffi moves to the next
name. Should that import fail all the same (a system where only find_library finds the
libraries), it is retried as weasyprint wrote it, so the user gets weasyprint's own message.
"""

from __future__ import annotations

import contextlib
import io
import sys


def import_weasyprint():
    """The weasyprint module, imported (once per process) without find_library's processes."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # weasyprint prints its installation help when a library fails; the retry prints it if it matters.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
        return weasyprint
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint
