"""Turn a template shipped in the package into a new kit folder, and a skeleton into one new content file.

Templates live in `kit/starter_kits/<name>/`, each with a `template.yaml` naming its description
and, for each language it exists in, the folder holding that language's kit (`.` when the kit
sits beside template.yaml, as the default kit does so that `make kit` builds it in place).
Skeletons (`kit/skeletons/<language>/<kind>.yaml`) are commented content files with `$id`-style
placeholders, filled by `kit add`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from string import Template as TextTemplate

from kit.errors import UsageError

STARTERS = Path(__file__).parent / "starter_kits"
SKELETONS = Path(__file__).parent / "skeletons"
TEMPLATE_FILE = "template.yaml"
DEFAULT_TEMPLATE = "minimal"
# What a template's kit folder holds that a new kit gets: nothing else (no output/, no template.yaml).
KIT_PARTS = ("kit.yaml", "README.md", "content", "images")
# A folder of the printed tree with more files than this shows as "folder/ (n files)".
TREE_FOLDER_LIMIT = 4
YAML_SUFFIXES = (".yaml", ".yml")

# What an empty kit says to do.
EMPTY_KIT_HINT = ("add a session with `kit add session ID` (and a deck, a guide: `kit add deck ID`), "
                  "or start from a template with `kit new DIR`")
# `kit add KIND ID`: the content folder each kind's file goes to.
ADDABLE = {"session": "sessions", "format": "formats", "deck": "decks", "guide": "guides"}


@dataclass(frozen=True)
class Template:
    """One starter kit: its name, what it is, and its kit folder in each language it exists in."""

    name: str
    description: str
    languages: dict[str, Path]

    def folder(self, language: str | None) -> tuple[str, Path]:
        """The asked language (the template's first when None) and its kit folder, or a usage error."""
        if language is None:
            language = next(iter(self.languages))
        if language not in self.languages:
            raise UsageError(f'the template "{self.name}" exists in {_quoted_list(self.languages)} only, '
                             f'not in "{language}": pass --language {next(iter(self.languages))}')
        return language, self.languages[language]


def _quoted_list(names) -> str:
    names = [f'"{n}"' for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def template_names(base: Path = STARTERS) -> list[str]:
    """The templates' names alone (no YAML read: cheap enough for `kit new --help`)."""
    return sorted(manifest.parent.name for manifest in base.glob(f"*/{TEMPLATE_FILE}"))


def templates(base: Path = STARTERS) -> dict[str, Template]:
    """Every template shipped in the package, by name (sorted)."""
    from ruamel.yaml import YAML

    found = {}
    for manifest in sorted(base.glob(f"*/{TEMPLATE_FILE}")):
        data = YAML(typ="safe").load(manifest.read_text(encoding="utf-8"))
        folder = manifest.parent
        found[folder.name] = Template(
            name=folder.name,
            description=" ".join(str(data["description"]).split()),
            languages={str(lang): (folder / sub).resolve() for lang, sub in data["languages"].items()},
        )
    return found


def find_template(name: str) -> Template:
    """The template called `name`, or a usage error listing them (with a "did you mean")."""
    from kit.content.fields import did_you_mean

    known = templates()
    if name in known:
        return known[name]
    raise UsageError(f'no template "{name}"{did_you_mean(name, known)}; the templates are: {", ".join(known)} '
                     f"(kit new --list describes them)")


def template_list() -> list[str]:
    """Lines for `kit new --list`: each template's name, languages and description."""
    lines = []
    for name, template in templates().items():
        default = " (the default)" if name == DEFAULT_TEMPLATE else ""
        lines.append(f"{name}{default}, in {', '.join(template.languages)}")
        lines.append(f"    {template.description}")
    return lines


def kit_files(folder: Path) -> list[str]:
    """The files a template's kit folder gives a new kit, relative, with forward slashes, sorted."""
    files = []
    for part in KIT_PARTS:
        path = folder / part
        if path.is_file():
            files.append(part)
        elif path.is_dir():
            files.extend(p.relative_to(folder).as_posix() for p in path.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts and p.name != ".DS_Store")
    return sorted(files)


@dataclass
class NewKit:
    """What `kit new` did: the kit folder, from which template and language, files written and kept."""

    root: Path
    template: Template
    language: str
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already there (--force): left exactly as they were


def new_kit(target: Path, name: str | None = None, language: str | None = None, force: bool = False) -> NewKit:
    """Copy a template into `target`: a new or empty folder, or (force) only the files it lacks."""
    template = find_template(name or DEFAULT_TEMPLATE)
    language, source = template.folder(language)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: a file is there already; kit new makes a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"{target}: the folder is not empty; kit new writes into a new or empty folder. "
                         f"Pass --force to add only the files it lacks (no existing file is ever overwritten).")
    made = NewKit(root=target, template=template, language=language)
    for relative in kit_files(source):
        destination = target / relative
        if destination.exists() or destination.is_symlink():
            made.kept.append(relative)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, destination)
        made.written.append(relative)
    return made


def tree(files: list[str]) -> list[str]:
    """A short tree of written files: one line per file, a folder of many files as one line with its count."""
    by_folder: dict[str, list[str]] = {}
    for relative in files:
        folder, _, name = relative.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    lines = []
    for folder in sorted(by_folder):
        names = by_folder[folder]
        prefix = f"{folder}/" if folder else ""
        if len(names) > TREE_FOLDER_LIMIT:
            lines.append(f"{prefix} ({len(names)} files)")
        else:
            lines.extend(prefix + name for name in sorted(names))
    return lines


# ---------------------------------------------------------------------------------------- kit add

@dataclass(frozen=True)
class Added:
    """What `kit add` wrote: the file (relative to the kit) and what to do next."""

    path: str
    next_step: str


def _title(ident: str) -> str:
    """A readable title from an id: "atelier-du-jeudi" → "Atelier du jeudi"."""
    words = ident.replace("_", " ").replace("-", " ").replace(".", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _files(root: Path, folder: str) -> list[str]:
    """The names of a content folder's YAML files whose names are valid ids, sorted."""
    from kit.content.fields import check_id

    base = root / "content" / folder
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.suffix in YAML_SUFFIXES and check_id(p.stem) is None)


def _runnable_formats(root: Path) -> list[str]:
    """The formats a skeleton block can run as it is: those with a duration (a block then needs none).

    A kit that does not load yet gives its format files in name order: its own errors will be
    reported by `kit check` whatever the skeleton says.
    """
    from kit.content import load_kit
    from kit.errors import ContentError

    try:
        formats = load_kit(root).formats
    except ContentError:
        return [name.rsplit(".", 1)[0] for name in _files(root, "formats")]
    return sorted(ident for ident, fmt in formats.items() if fmt.duration is not None)


def _slug(text: str) -> str:
    """An id a user probably meant: "Mes cartes d'été" → "mes-cartes-d-ete"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def add_item(root: Path, kind: str, ident: str, language: str, today: dt.date | None = None) -> Added:
    """Write `content/<kind's folder>/<ident>.yaml` from the skeleton in the kit's language."""
    from kit.content.fields import check_id

    folder = ADDABLE[kind]
    if ident.endswith(YAML_SUFFIXES):
        stem = ident.rsplit(".", 1)[0]
        raise UsageError(f'"{ident}": give the id alone, without its file extension: kit add {kind} {stem}')
    wrong = check_id(ident)
    if wrong:
        slug = _slug(ident)
        raise UsageError(f"{kind} id: {wrong}" + (f': try kit add {kind} {slug}' if slug else ""))
    # Case apart, two ids would be one file on the file systems that ignore case (macOS, Windows).
    taken = [name for name in _files(root, folder) if name.rsplit(".", 1)[0].lower() == ident.lower()]
    if taken:
        raise UsageError(f'the {kind} id "{ident}" is taken: content/{folder}/{taken[0]} exists; choose another id')
    values = {"id": ident, "title": _title(ident), "date": (today or dt.date.today()).isoformat()}
    skeleton = kind
    next_step = {
        "format": f"run it in a session block: `- format: {ident}`",
        "deck": f"name it in a format's or a block's materials: `- deck: {ident}`",
        "guide": f"name it in a format's or a block's materials: `- guide: {ident}`",
        "session": f"kit build --session {ident}",
    }[kind]
    if kind == "session":
        runnable = _runnable_formats(root)
        if runnable:
            values["format"] = runnable[0]
        else:
            skeleton = "session-without-format"
    source = SKELETONS / language / f"{skeleton}.yaml"
    text = TextTemplate(source.read_text(encoding="utf-8")).substitute(values)
    path = root / "content" / folder / f"{ident}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never replace a file that appeared meanwhile
        out.write(text)
    return Added(path=f"content/{folder}/{ident}.yaml", next_step=next_step)


def new_kit_report(made: NewKit, shown: str) -> list[str]:
    """What `kit new` prints: what it made (a short tree), what it kept, and the next command."""
    lines = [f'Made {shown}/ from the template "{made.template.name}" ({made.language}):' if made.written
             else f"{shown}/ already has every file of the template \"{made.template.name}\": nothing written."]
    lines += [f"  {line}" for line in tree(made.written)]
    if made.kept:
        lines.append(f"Kept as they were ({len(made.kept)}, not overwritten):")
        lines += [f"  {line}" for line in tree(made.kept)]
    if made.root.resolve() == Path.cwd().resolve():
        lines.append("Next: kit build; the PDFs land in output/")
    else:
        lines.append(f"Next: cd {shown} && kit build   (or: kit build --kit {shown}); the PDFs land in {shown}/output/")
    return lines
