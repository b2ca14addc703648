"""Turn command lines into calls of build(), load_kit() and plan(): the thin click layer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kit import __version__
from kit.errors import KitError, UsageError


def kit_options(func):
    func = click.option("--kit", "kit_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
                        show_default=True, help="The kit folder (the one holding kit.yaml).")(func)
    return func


def session_option(func):
    return click.option("--session", "-s", metavar="ID", default=None,
                        help="Everything one session needs: its agendas and the decks, guides, "
                             "field plans and worksheets its materials name.")(func)


def _fail(error: KitError) -> None:
    click.echo(error.report(), err=True)
    sys.exit(error.exit_code)


def _root(kit_dir: Path) -> Path:
    from kit.project import find_kit

    if not kit_dir.is_dir():
        raise UsageError(f"{kit_dir}: no such folder")
    return find_kit(kit_dir)


class Progress:
    """One line that counts finished outputs (rewritten in place on a terminal)."""

    def __init__(self, total: int):
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()

    def __call__(self, output) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {output.path}"
        if self.tty:
            click.echo("\r\033[K" + line, err=True, nl=self.done == self.total)
        else:
            click.echo(line, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kit")
@click.option("--verbose", "-v", is_flag=True, help="Say each stage of the build as it starts.")
def main(verbose: bool) -> None:
    """kit: build the printed material of a workshop kit (decks, agendas, guides, worksheets)."""
    if verbose:
        import logging

        # kit's own stages only: weasyprint narrates every document at the same level.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("kit: %(message)s"))
        logger = logging.getLogger("kit")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@main.command()
@kit_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where outputs go (default: output/ inside the kit).")
@click.option("--strict", is_flag=True, help="Fail on warnings (low-resolution images, tight text...).")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None, help="Parallel renderers (default: cores).")
@session_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def build(kit_dir: Path, out_dir: Path | None, strict: bool, jobs: int | None, session: str | None,
          paths: tuple[Path, ...]) -> None:
    """Build every output, only those made from the given content files, or all a session needs."""
    from kit.build import build as run_build

    try:
        root = _root(kit_dir)
        only = _content_paths(root, paths)
        out = (out_dir if out_dir else root / "output").resolve()
        progress: Progress | None = None

        def on_plan(outputs):
            nonlocal progress
            if not outputs:
                raise UsageError("nothing to build" + (" from " + ", ".join(only) if only else ""))
            progress = Progress(len(outputs))

        summary = run_build(root, out, only=only, strict=strict, jobs=jobs,
                            progress=lambda o: progress(o), on_plan=on_plan, session=session)
    except KitError as error:
        _fail(error)
        return
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    shown = _shown_dir(out)
    click.echo(f"Built {len(summary.outputs)} outputs ({len(summary.files)} files, {summary.pages} pages, "
               f"{summary.changed} changed) in {summary.seconds:.1f} s → {shown}/")


@main.command()
@kit_options
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(kit_dir: Path, strict: bool) -> None:
    """Validate the content without building anything."""
    from kit.content import load_kit
    from kit.errors import StrictWarnings

    try:
        content = load_kit(_root(kit_dir))
        if strict and content.warnings:
            raise StrictWarnings([str(w) for w in content.warnings])
    except KitError as error:
        _fail(error)
        return
    for warning in content.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in content.items.items() if items)
    click.echo(f"Content is valid: {counts}.")


@main.command(name="list")
@kit_options
@session_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_outputs(kit_dir: Path, session: str | None, paths: tuple[Path, ...]) -> None:
    """Show what would be built, and from which files."""
    from kit.content import load_kit
    from kit.plan import plan

    try:
        root = _root(kit_dir)
        outputs = plan(load_kit(root), _content_paths(root, paths), session)
    except KitError as error:
        _fail(error)
        return
    width = max((len(o.path) for o in outputs), default=0)
    for output in outputs:
        click.echo(f"output/{output.path.ljust(width)}  ← {', '.join(output.sources)}")


def _content_paths(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """Command-line content paths as the kit names its files (relative, forward slashes)."""
    result = []
    for path in paths:
        absolute = path.resolve() if path.is_absolute() or path.exists() else (root / path).resolve()
        if not absolute.is_file():
            raise UsageError(f"{path}: no such content file")
        try:
            result.append(absolute.relative_to(root).as_posix())
        except ValueError:
            raise UsageError(f"{path}: not inside the kit folder {root}") from None
    return result


def _shown_dir(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
