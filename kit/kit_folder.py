"""Turn a folder given on the command line into the kit folder it is in (the one holding kit.yaml).

Apart from kit.project, which reads kit.yaml with the content's model: a command finds its kit
without importing it (a build forks its first render worker before that import, kit.build).
"""

from __future__ import annotations

from pathlib import Path

from kit.errors import UsageError

CONFIG_NAME = "kit.yaml"


def find_kit(start: Path) -> Path:
    """The kit folder: `start` itself when it holds kit.yaml, else the error a user can act on."""
    start = start.resolve()
    if (start / CONFIG_NAME).is_file():
        return start
    # Inside a kit's sub-folder (content/sessions/...), the kit is the nearest parent with kit.yaml.
    above = next((p for p in start.parents if (p / CONFIG_NAME).is_file()), None)
    hint = (f"the kit folder above is {above}: run kit there or pass --kit {above}" if above else
            "make a kit with `kit new DIR` (kit new --list shows the templates), "
            "or run kit inside a kit folder, or pass --kit DIR")
    raise UsageError(f"{start}: no {CONFIG_NAME} here, so this is not a kit folder; {hint}")
