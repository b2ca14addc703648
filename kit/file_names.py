"""Turn an output kind into the name of the file it is written to, in the kit's language or as kit.yaml sets it.

Each language file (kit/labels/<language>.toml) has a `[files]` table with one name per key
below; `file_names:` in kit.yaml overrides any of them. A name with a `{placeholder}` is made per
item (`{deck}-pliage.pdf`): an override must keep the same placeholders, so two decks never
share a file. Folders (`decks/`, `guides/`, `<session>/`…) and names made of a content id alone
(`decks/<deck>.pdf`) are not languages' and stay as they are.
"""

from __future__ import annotations

import string

# Every name key: the placeholders its name must hold and the extension it must end with.
FILE_NAMES: dict[str, tuple[tuple[str, ...], str]] = {
    "agenda": ((), ".pdf"),
    "run-sheet": ((), ".pdf"),
    "newcomer-agenda": ((), ".pdf"),
    "calendar": (("session",), ".ics"),
    "badges": ((), ".pdf"),
    "strategy-canvas": ((), ".pdf"),
    "debrief-sheet": ((), ".pdf"),
    "service-heads-note": ((), ".pdf"),
    "print-list": ((), ".pdf"),
    "binder": ((), ".pdf"),
    "deck-fold": (("deck",), ".pdf"),
    "deck-print-shop": (("deck",), ".pdf"),
    "calibration": ((), ".pdf"),
    "pocket-cards": ((), ".pdf"),
    "pair-guides": (("pair",), ".pdf"),
    "field-overview": ((), ".pdf"),
    "field-missions": ((), ".pdf"),
    "worksheet-a5": (("sheet",), ".pdf"),
    "worksheet-half-page": (("sheet",), ".pdf"),
    "worksheet-examples": (("sheet",), ".pdf"),
}

# The folder each name is written in, and the names made of an id alone that live there too:
# two names of one folder must differ, or two outputs would write the same file.
FOLDERS: dict[str, tuple[str, ...]] = {
    "<session>/": ("agenda", "run-sheet", "newcomer-agenda", "calendar", "badges", "strategy-canvas",
                   "debrief-sheet", "service-heads-note", "print-list", "binder"),
    "decks/": ("deck-fold", "deck-print-shop", "calibration"),
    "guides/": ("pocket-cards",),
    "field/<plan>/": ("field-overview", "field-missions", "pair-guides"),
    "worksheets/": ("worksheet-a5", "worksheet-examples"),
    "worksheets/ ": ("worksheet-half-page", "worksheet-examples"),  # on Letter or A3 instead of A4
}
ID_NAMES = {"decks/": "{deck}.pdf", "guides/": "{guide}.pdf", "worksheets/": "{sheet}.pdf", "worksheets/ ": "{sheet}.pdf"}


def placeholders(name: str) -> tuple[str, ...]:
    try:
        return tuple(sorted({field for _, field, _, _ in string.Formatter().parse(name) if field is not None}))
    except ValueError:  # an unmatched brace
        return ("{",)


def name_problem(key: str, name: str) -> str | None:
    """What is wrong with `name` as the file name of `key`, as an error message; None if it is fine."""
    wanted, extension = FILE_NAMES[key]
    shown = f'"{name}"'
    if "/" in name or "\\" in name or name.startswith(".") or name.strip() != name:
        return f"expected a plain file name (no folder, no leading dot or space), got {shown}"
    if not name.lower().endswith(extension) or len(name) == len(extension):
        return f"expected a file name ending in {extension}, got {shown}"
    found = placeholders(name)
    if found != tuple(sorted(wanted)):
        need = ", ".join("{" + p + "}" for p in wanted) or "no placeholder"
        return f"expected a name with {need} in it (one file per item), got {shown}"
    return None


def file_name(language: str, overrides: dict[str, str], key: str, **values: str) -> str:
    """The file name of `key`, its placeholders filled with `values`."""
    from kit.labels import language_file

    name = overrides.get(key) or language_file(language)["files"][key]
    return name.format(**values) if values else name


def named(config, key: str, **values: str) -> str:
    """The file name of `key` for a kit (its KitConfig), or French's when there is no kit at hand."""
    if config is None:
        return file_name("fr", {}, key, **values)
    return config.file_name(key, **values)


def clashes(language: str, overrides: dict[str, str]) -> dict[str, str]:
    """For each overridden key whose name another file of its folder also has: that other file, as
    a message ("the run-sheet's name"). Compared as written, placeholders and all, ignoring case
    (a file system may)."""
    from kit.labels import language_file

    names = {**language_file(language)["files"], **overrides}
    found: dict[str, str] = {}
    for folder, keys in FOLDERS.items():
        for key in keys:
            if key not in overrides:
                continue
            others = [(k, names[k]) for k in keys if k != key]
            if folder in ID_NAMES:
                others.append(("id", ID_NAMES[folder]))
            for other, name in others:
                if name.lower() == names[key].lower():
                    found[key] = "the name of each item's own file" if other == "id" else f"the {other}'s name"
    return found
