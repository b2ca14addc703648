"""Turn command lines into calls of build(), load_kit() and plan(): the thin click layer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kit import __version__
from kit.console import Console, main_files, plural, style
from kit.errors import KitError, UsageError


def kit_options(func):
    func = click.option("--kit", "kit_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
                        show_default=True, help="The kit folder (the one holding kit.yaml).")(func)
    return func


def session_option(func):
    return click.option("--session", "-s", metavar="ID", default=None,
                        help="Everything one session needs: its agendas and the decks, guides, "
                             "field plans and worksheets its materials name.")(func)


def _console() -> Console:
    """The command's console (quiet, verbose), kept on the root context by the -v/-q options."""
    context = click.get_current_context(silent=True)
    return context.find_root().ensure_object(Console) if context else Console()


def _fail(error: KitError) -> None:
    _console().error(error.report(style))
    sys.exit(error.exit_code)


def _log_stages() -> None:
    import logging

    logger = logging.getLogger("kit")
    for handler in logger.handlers:
        if getattr(handler, "kit_stages", False):  # -v twice (`kit -v build -v`), or a second run in one process
            handler.setStream(sys.stderr)
            return
    # kit's own stages only: weasyprint narrates every document at the same level.
    handler = logging.StreamHandler()
    handler.kit_stages = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("kit: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    console = ctx.find_root().ensure_object(Console)
    setattr(console, param.name, True)
    if console.quiet and console.verbose:
        raise click.UsageError("--verbose and --quiet: choose one", ctx)
    if param.name == "verbose":
        _log_stages()


def verbosity_options() -> list[click.Option]:
    """-v and -q, taken before the command (`kit -v build`) or after it (`kit build -v`)."""
    return [click.Option(["--verbose", "-v"], is_flag=True, expose_value=False, callback=_verbosity,
                         help="Say each stage as it starts, and each output rendered on its own line."),
            click.Option(["--quiet", "-q"], is_flag=True, expose_value=False, callback=_verbosity,
                         help="Only errors: no progress, warnings or closing lines (--strict makes warnings fail).")]


class KitCommands(click.Group):
    """kit's commands, each taking -v and -q after its name as well as before."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(verbosity_options())
        super().add_command(cmd, name)


def _root(kit_dir: Path) -> Path:
    from kit.kit_folder import find_kit

    if not kit_dir.is_dir():
        raise UsageError(f"{kit_dir}: no such folder")
    return find_kit(kit_dir)


@click.group(cls=KitCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kit")
def main() -> None:
    """kit: build the printed material of a workshop kit (decks, agendas, guides, worksheets).

    Colour goes to a terminal only; NO_COLOR=1 turns it off, FORCE_COLOR=1 on even when piped.
    Exit codes: 0 done, 1 content errors, 2 usage.
    """


for _option in verbosity_options():
    main.params.append(_option)


@main.command()
@kit_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where outputs go (default: output/ inside the kit).")
@click.option("--strict", is_flag=True, help="Fail on warnings (low-resolution images, tight text...).")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None, help="Parallel renderers (default: cores).")
@click.option("--force", is_flag=True, help="Render every chosen output, even those up to date.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a machine-readable report on stdout: each output's path, status, pages, reason, seconds.")
@session_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def build(kit_dir: Path, out_dir: Path | None, strict: bool, jobs: int | None, force: bool, as_json: bool,
          session: str | None, paths: tuple[Path, ...]) -> None:
    """Build what changed: every output, those made from the given content files, or all a session needs."""
    from kit.build import REMOVED, build as run_build

    console = _console()
    progress = Console(quiet=True).progress() if as_json else console.progress()
    try:
        root = _root(kit_dir)
        only = _content_paths(root, paths)
        out = (out_dir if out_dir else root / "output").resolve()

        def on_plan(outputs):
            progress.chosen(outputs)
            if not outputs:
                from kit.starters import EMPTY_KIT_HINT

                whole_kit = not only and not session
                raise UsageError("nothing to build" + (" from " + ", ".join(only) if only else "")
                                 + (f": the kit has no session, deck, guide, field plan or worksheet yet "
                                    f"(formats print only in sessions); {EMPTY_KIT_HINT}" if whole_kit else ""))

        def on_wait(pid: int | None, again: bool) -> None:
            from kit.output_lock import waiting_message

            if not again:
                console.echo(f"kit: {waiting_message(_shown_dir(out) + '/', pid)}", err=True)

        summary = run_build(root, out, only=only, strict=strict, jobs=jobs, force=force,
                            progress=progress, on_plan=on_plan, session=session, on_render=progress.planned,
                            on_wait=on_wait)
    except KitError as error:
        progress.close()
        _fail(error)
        return
    finally:  # a crash's traceback or Ctrl-C starts on a clean line too
        progress.close()
    if as_json:
        import json

        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=1))
    if session and not as_json:  # the session's print list, as a-imprimer.pdf prints it
        from kit.generators.printpack import print_list_for

        for line in print_list_for(root, out, session):
            # Its headings in bold; its lines ("  [ ] path …") as they are, to tick on paper.
            console.echo(line if line.startswith(" ") else style(line, "heading"))
    for report in summary.of(REMOVED):
        console.echo(f"removed {report.path} ({report.reason})", err=True)
    for warning in summary.warnings:
        console.warning(warning)
    rendered, fresh = len(summary.of("rendered")), len(summary.of("up-to-date"))
    console.echo(f"{plural(len(summary.outputs), 'output')}: {rendered} rendered, {fresh} up to date "
                 f"({plural(len(summary.files), 'file')}, {plural(summary.pages, 'page')}, "
                 f"{summary.changed} changed on disk) in {summary.seconds:.1f} s → {_shown_dir(out)}/",
                 err=as_json)
    if not as_json:  # where to start reading: each session's run sheet
        for subject, path, what in main_files(summary.outputs):
            console.echo(f"open {style(f'{_shown_dir(out)}/{path}', 'place')}  ({subject}: {what})")


# How `kit check` names each content kind (its folder under content/), one and many.
KIND_NOUNS = {"formats": ("format", "formats"), "sessions": ("session", "sessions"), "decks": ("deck", "decks"),
              "guides": ("guide", "guides"), "field": ("field plan", "field plans"),
              "worksheets": ("worksheet", "worksheets")}


@main.command()
@kit_options
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(kit_dir: Path, strict: bool) -> None:
    """Validate the content without building anything."""
    from kit.build import Engine
    from kit.errors import StrictWarnings

    try:
        content, warnings = Engine(_root(kit_dir)).check()
        if strict and warnings:
            raise StrictWarnings(warnings)
    except KitError as error:
        _fail(error)
        return
    console = _console()
    for warning in warnings:
        console.warning(warning)
    counts = ", ".join(plural(len(items), *KIND_NOUNS.get(kind, (kind, kind)))
                       for kind, items in content.items.items() if items)
    if not counts:
        from kit.starters import EMPTY_KIT_HINT

        click.echo(f"kit.yaml is valid, but the kit has no content yet: {EMPTY_KIT_HINT}.")
        return
    console.echo(f"Content is valid: {counts}.")


@main.command(name="list")
@kit_options
@session_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_outputs(kit_dir: Path, session: str | None, paths: tuple[Path, ...]) -> None:
    """Show what would be built, and from which files."""
    from kit.content import load_kit
    from kit.generators import GENERATORS
    from kit.plan import plan, select

    try:
        root = _root(kit_dir)
        content = load_kit(root)
        outputs = select(plan(content, GENERATORS), content, _content_paths(root, paths), session)
    except KitError as error:
        _fail(error)
        return
    width = max((len(o.path) for o in outputs), default=0)
    for output in outputs:
        click.echo(f"output/{output.path.ljust(width)}  ← {', '.join(output.sources)}")


@main.command()
@kit_options
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port the page is served on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Another than this machine's own (127.0.0.1) lets others "
                   "on the network read the outputs: only when you mean it.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
def serve(kit_dir: Path, port: int, host: str, open_browser: bool) -> None:
    """Build, show every output in a local web page, and rebuild on save (Ctrl-C to stop)."""
    from kit.serve import serve as run_serve
    from kit.serve.security import is_loopback

    try:
        root = _root(kit_dir)
        if not is_loopback(host):
            _console().warning(f"--host {host}: anyone who can reach this machine at that address can "
                               f"read every output of the kit")
        run_serve(root, host, port, open_browser, say=lambda line: click.echo(line, err=True))
    except KitError as error:
        _fail(error)


def _template_help() -> str:
    from kit.starters import DEFAULT_TEMPLATE, template_names

    return f"The template: {', '.join(template_names())} (default {DEFAULT_TEMPLATE}; --list describes them)."


@main.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--template", "-t", "template", metavar="NAME", default=None, help=_template_help())
@click.option("--language", "-l", metavar="fr|en", default=None,
              help="The kit's language (default: the template's first).")
@click.option("--force", is_flag=True,
              help="Into a folder that is not empty: add only the files it lacks; never overwrite one.")
@click.option("--list", "list_templates", is_flag=True, help="Describe the templates and their languages.")
def new(directory: Path | None, template: str | None, language: str | None, force: bool,
        list_templates: bool) -> None:
    """Make a new kit folder from a template, ready to build."""
    from kit.starters import new_kit, new_kit_report, template_list

    if list_templates:
        for line in template_list():
            _console().show(line)  # asked for: shown even with -q
        return
    try:
        if directory is None:
            raise UsageError("kit new DIR: name the folder to make (kit new --list shows the templates)")
        made = new_kit(directory, template, language, force)
    except KitError as error:
        _fail(error)
        return
    for line in new_kit_report(made, directory.as_posix().rstrip("/") or "."):
        _console().echo(line)


@main.command()
@kit_options
@click.argument("kind", type=click.Choice(["session", "format", "deck", "guide"]))
@click.argument("ident", metavar="ID")
def add(kit_dir: Path, kind: str, ident: str) -> None:
    """Add a session, format, deck or guide: content/<kind>s/ID.yaml from a commented skeleton."""
    from kit.project import load_config
    from kit.starters import add_item

    try:
        root = _root(kit_dir)
        added = add_item(root, kind, ident, load_config(root).language)
    except KitError as error:
        _fail(error)
        return
    _console().echo(f"Wrote {added.path}: edit it, then `kit check`.")
    _console().echo(f"Next: {added.next_step}")


def _content_paths(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """Command-line content paths as the kit names its files (relative, forward slashes)."""
    if not paths:  # a build of the whole kit forks its first worker without the content's model imported
        return []
    from kit.suggestions import for_folder, for_missing_file

    result = []
    for path in paths:
        absolute = path.resolve() if path.is_absolute() or path.exists() else (root / path).resolve()
        if absolute.is_dir():
            inside = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)
            raise UsageError(f"{path}: a folder, not a content file; {for_folder(root, inside)}")
        if not absolute.is_file():
            hint = for_missing_file(root, path.as_posix())
            raise UsageError(f"{path}: no such content file" + (f"; {hint}" if hint else ""))
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
