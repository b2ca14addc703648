"""Turn a name typed on the command line that the kit does not hold into the nearest names it does.

What a user typed is compared with the kit's own files and session ids (a session's id is its
file's stem in content/sessions/), never with guesses about file names.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from kit.content import CONTENT_DIR, KINDS, content_files

# How many near names a message offers, and how near they must be (difflib's ratio).
SHOWN = 3
CUTOFF = 0.6
# Whole paths share their folder's name: only a near match of the whole counts.
PATH_CUTOFF = 0.8


def nearest(typed: str, choices: list[str], n: int = SHOWN, cutoff: float = CUTOFF) -> list[str]:
    """The choices closest to what was typed, closest first (case does not count)."""
    lowered = {choice.lower(): choice for choice in choices}
    return [lowered[m] for m in difflib.get_close_matches(typed.strip().lower(), list(lowered), n=n, cutoff=cutoff)]


def session_ids(root: Path) -> list[str]:
    return [path.stem for path in content_files(root, "sessions")]


def content_names(root: Path) -> list[str]:
    """Every content file of the kit, as the kit names it (`content/decks/x.yaml`)."""
    return [f"{CONTENT_DIR}/{kind.folder}/{path.name}" for kind in KINDS for path in content_files(root, kind.folder)]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def for_missing_file(root: Path, typed: str) -> str:
    """The advice after "no such content file": the session option, or the nearest files."""
    name = typed.replace("\\", "/").rstrip("/")
    if "/" not in name and "." not in name:  # typed like an id: a session's, most likely
        sessions = session_ids(root)
        if name in sessions:
            return f"{name} is a session: kit build --session {name} builds all it needs"
        near = nearest(name, sessions)
        if near:
            return f"did you mean {_listed([f'--session {n}' for n in near])}?"
    files = content_names(root)
    stem = Path(name).stem
    guesses = ([f for f in files if Path(f).stem == stem]
               or nearest(name, files, cutoff=PATH_CUTOFF)
               or [f for f in files if Path(f).stem in nearest(stem, [Path(f).stem for f in files])])
    return f"did you mean {_listed(guesses[:SHOWN])}?" if guesses else ""


def for_folder(root: Path, typed: str) -> str:
    """The advice after "a folder, not a content file": some of the files in it."""
    folder = typed.replace("\\", "/").rstrip("/").removeprefix("./") + "/"
    inside = [f for f in content_names(root) if f.startswith(folder)]
    if not inside:
        return "name content files (content/<kind>/<id>.yaml)"
    shown = inside[:SHOWN] + (["…"] if len(inside) > SHOWN else [])
    return "name one of its files: " + ", ".join(shown)


def for_unknown_session(typed: str, known: list[str]) -> str:
    near = nearest(typed, known)
    return f"did you mean {_listed([f'--session {n}' for n in near])}?" if near else ""
