"""The shipped default kit (kit/starter_kits/comptoir: kit.yaml, content/, images/), as a kit user gets it.

Only what is about the shipped kit itself lives here: it loads, `kit check` finds nothing to say,
`kit list` plans its outputs. Nothing here counts or quotes its content, so improving it breaks
nothing; the tests of kit's behaviour and the golden images use the frozen fixture kit instead
(tests/fixtures/comptoir, the `fixture_kit` fixture).
"""

from __future__ import annotations

from click.testing import CliRunner

from kit.cli import main
from kit.content import load_kit

# Content folders whose every file makes at least one output of its own (formats only feed agendas).
OWN_OUTPUTS = ("sessions", "decks", "guides", "field", "worksheets")


def test_the_shipped_kit_loads_with_no_warning(default_kit):
    content = load_kit(default_kit)
    assert [str(w) for w in content.warnings] == []
    assert content.sessions and all(content.of(folder) for folder in OWN_OUTPUTS)


def test_kit_check_on_the_shipped_kit_says_nothing_but_valid(default_kit):
    for options in ([], ["--strict"]):
        result = CliRunner().invoke(main, ["check", "--kit", str(default_kit), *options])
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output.lower()
        assert result.output.startswith("Content is valid: ")


def listed(root, *options) -> dict[str, list[str]]:
    """`kit list` on a kit: each planned output path (under output/) with its source files."""
    result = CliRunner().invoke(main, ["list", "--kit", str(root), *options])
    assert result.exit_code == 0, result.output
    outputs = {}
    for line in result.output.splitlines():
        path, arrow, sources = line.partition("  ← ")
        assert path.startswith("output/") and arrow, line
        assert path.rstrip() not in outputs, f"{path.rstrip()} listed twice"
        outputs[path.rstrip()] = sources.split(", ")
    return outputs


def test_kit_list_plans_every_output_of_the_shipped_kit(default_kit):
    outputs = listed(default_kit)
    assert outputs
    # Every session, deck, guide, field plan and worksheet file gives at least one output of its own.
    first_sources = {sources[0] for sources in outputs.values()}
    for folder in OWN_OUTPUTS:
        for path in sorted((default_kit / "content" / folder).glob("*.yaml")):
            assert f"content/{folder}/{path.name}" in first_sources, path.name
    # Each session's agendas and calendar, each deck's home print, at their documented paths.
    content = load_kit(default_kit)
    for session in content.sessions:
        for name in ("programme.pdf", "deroule-animateurs.pdf", f"{session}.ics"):
            assert f"output/{session}/{name}" in outputs
    for deck in content.of("decks"):
        assert f"output/decks/{deck}.pdf" in outputs


def test_kit_list_plans_what_each_shipped_session_needs(default_kit):
    sessions = load_kit(default_kit).sessions
    for session in sessions:
        outputs = listed(default_kit, "--session", session)
        assert f"output/{session}/programme.pdf" in outputs
        for other in set(sessions) - {session}:
            assert not any(path.startswith(f"output/{other}/") for path in outputs), (session, other)
