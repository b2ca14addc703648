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

weasyprint also imports, for fonts kit does not embed that way, fontTools' subsetter (kit
subsets with HarfBuzz: kit.pdffonts) and its variable-font instancer (kit's fonts are static):
a seventh of a second of every render process's start, on the path to its first page. Both are
imported when first used instead: the subsetter through a stand-in module that imports the real
one when an attribute is first read, the instancer's one function through a stand-in that imports
it on its first call.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import types


def import_weasyprint():
    """The weasyprint module, imported (once per process) without find_library's processes."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    stand_ins = _defer_font_tools()
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
        for name, module in stand_ins.items():  # whoever imports them next gets the real modules
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import weasyprint

    return weasyprint


SUBSETTER = "fontTools.subset"
INSTANCER = "fontTools.varLib.instancer"


def _defer_font_tools() -> dict:
    """Put stand-ins for fontTools' subsetter and instancer where weasyprint's import finds them
    (those not imported yet); the stand-ins, by module name."""
    stand_ins = {}
    if SUBSETTER not in sys.modules:
        sys.modules[SUBSETTER] = stand_ins[SUBSETTER] = _Deferred(SUBSETTER)
    if INSTANCER not in sys.modules:
        def instantiateVariableFont(*args, **kwargs):  # noqa: N802 — fontTools' name
            from fontTools.varLib.instancer import instantiateVariableFont as real

            return real(*args, **kwargs)

        module = types.ModuleType(INSTANCER)
        module.instantiateVariableFont = instantiateVariableFont
        sys.modules[INSTANCER] = stand_ins[INSTANCER] = module
    return stand_ins


class _Deferred(types.ModuleType):
    """A module imported when one of its attributes is first read (`subset.Options`, `subset.Subsetter`)."""

    def __getattr__(self, attribute: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)
