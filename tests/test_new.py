"""`kit new` and `kit add`: templates shipped in the package become kits that build at once, skeletons
become content files that pass `kit check`; the mistakes a newcomer makes get a clear answer."""

from __future__ import annotations

import fnmatch
import tomllib

import pytest
from click.testing import CliRunner

from conftest import REPO
from kit.cli import main
from kit.content import load_kit
from kit.starters import ADDABLE, DEFAULT_TEMPLATE, SKELETONS, STARTERS, kit_files, templates

TEMPLATES = templates()
EVERY_LANGUAGE = [(name, language) for name, template in TEMPLATES.items() for language in template.languages]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_package_ships_the_promised_templates():
    assert {"comptoir", "minimal", "liberating-structures"} <= set(TEMPLATES)
    assert DEFAULT_TEMPLATE in TEMPLATES
    assert set(TEMPLATES["minimal"].languages) == {"fr", "en"}
    assert list(TEMPLATES["liberating-structures"].languages) == ["en"]


@pytest.mark.parametrize("name, language", EVERY_LANGUAGE)
def test_each_template_folder_is_a_kit_in_its_language(name, language):
    folder = TEMPLATES[name].languages[language]
    config = load_kit(folder).config
    assert config.language == language
    files = kit_files(folder)
    assert "kit.yaml" in files and not any(f.startswith("output/") or f == "template.yaml" for f in files)
    # Images travel with their licence.
    for image_folder in {f.rpartition("/")[0] for f in files if f.endswith(".svg")}:
        assert any(f.startswith(image_folder + "/LICENSE") for f in files), image_folder


@pytest.mark.parametrize("name, language", EVERY_LANGUAGE)
def test_every_template_builds_with_no_warning(tmp_path, name, language):
    made = run("new", tmp_path / "k", "--template", name, "--language", language)
    assert made.exit_code == 0, made.output
    result = run("build", "--kit", tmp_path / "k", "--strict", "-j", "2")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower()
    assert list((tmp_path / "k" / "output").rglob("*.pdf"))


def test_kit_new_prints_a_short_tree_and_the_next_command(tmp_path):
    result = run("new", tmp_path / "my-kit")
    assert result.exit_code == 0, result.output
    text = result.output
    assert f'from the template "{DEFAULT_TEMPLATE}" (fr)' in text
    assert "  kit.yaml\n" in text and "content/sessions/atelier.yaml" in text
    assert "images/pictograms/ (" in text  # a folder of many files is one line
    assert f"cd {(tmp_path / 'my-kit').as_posix()} && kit build" in text
    assert (tmp_path / "my-kit" / "kit.yaml").is_file()


def test_minimal_in_english_is_an_english_kit(tmp_path):
    result = run("new", tmp_path / "k", "--template", "minimal", "--language", "en")
    assert result.exit_code == 0, result.output
    assert "language: en" in (tmp_path / "k" / "kit.yaml").read_text(encoding="utf-8")
    content = load_kit(tmp_path / "k")
    session = next(iter(content.sessions.values()))
    assert session.title == "Ideas workshop"


def test_kit_new_refuses_a_folder_that_is_not_empty(tmp_path):
    target = tmp_path / "k"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("new", target)
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_kit_new_force_adds_missing_files_and_overwrites_none(tmp_path):
    target = tmp_path / "k"
    target.mkdir()
    (target / "kit.yaml").write_text("title: Le mien\nlanguage: fr\n", encoding="utf-8")
    result = run("new", target, "--force")
    assert result.exit_code == 0, result.output
    assert (target / "kit.yaml").read_text(encoding="utf-8") == "title: Le mien\nlanguage: fr\n"
    assert "Kept as they were (1, not overwritten):\n  kit.yaml" in result.output
    assert (target / "content" / "sessions" / "atelier.yaml").is_file()
    again = run("new", target, "--force")
    assert again.exit_code == 0 and "nothing written" in again.output


def test_kit_new_an_empty_folder_is_fine_and_a_file_is_not(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run("new", tmp_path / "empty").exit_code == 0
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = run("new", tmp_path / "a-file")
    assert result.exit_code == 2 and "a file is there" in result.output


def test_an_unknown_template_lists_them_with_a_guess(tmp_path):
    result = run("new", tmp_path / "k", "--template", "minimale")
    assert result.exit_code == 2
    assert 'no template "minimale" (did you mean "minimal"?)' in result.output
    for name in TEMPLATES:
        assert name in result.output
    assert not (tmp_path / "k").exists()


def test_a_template_not_in_the_asked_language_names_its_languages(tmp_path):
    result = run("new", tmp_path / "k", "--template", "liberating-structures", "--language", "fr")
    assert result.exit_code == 2
    assert 'exists in "en" only' in result.output
    assert not (tmp_path / "k").exists()


def test_kit_new_without_a_folder_and_the_template_list():
    assert run("new").exit_code == 2
    listed = run("new", "--list")
    assert listed.exit_code == 0
    for name, template in TEMPLATES.items():
        assert f"{name}" in listed.output and ", ".join(template.languages) in listed.output
    helped = run("new", "--help")
    assert all(name in helped.output for name in TEMPLATES)


# ---------------------------------------------------------------------------------------- kit add

@pytest.fixture(params=["fr", "en"])
def minimal_kit(request, tmp_path):
    assert run("new", tmp_path / "k", "--language", request.param).exit_code == 0
    return tmp_path / "k"


def test_each_added_skeleton_passes_kit_check(minimal_kit):
    for kind in ADDABLE:
        result = run("add", "--kit", minimal_kit, kind, f"new-{kind}")
        assert result.exit_code == 0, result.output
        assert f"Wrote content/{ADDABLE[kind]}/new-{kind}.yaml" in result.output and "Next:" in result.output
    check = run("check", "--kit", minimal_kit, "--strict")
    assert check.exit_code == 0, check.output
    assert "warning" not in check.output.lower()
    content = load_kit(minimal_kit)
    session = content.sessions["new-session"]
    # The session runs a format the kit has.
    assert any(block.format for day in session.days for block in day.blocks)


def test_a_skeleton_is_written_in_the_kits_language(minimal_kit):
    assert run("add", "--kit", minimal_kit, "guide", "entretien").exit_code == 0
    text = (minimal_kit / "content" / "guides" / "entretien.yaml").read_text(encoding="utf-8")
    language = load_kit(minimal_kit).config.language
    assert ("mode: à la volée" in text) == (language == "fr")
    assert ("mode: on the fly" in text) == (language == "en")


def test_a_session_added_to_a_kit_without_formats_still_checks(make_kit):
    root = make_kit({})
    result = run("add", "--kit", root, "session", "premiere")
    assert result.exit_code == 0, result.output
    text = (root / "content" / "sessions" / "premiere.yaml").read_text(encoding="utf-8")
    assert "format:" not in text.replace("`- format: ID`", "") and "kit add format ID" in text
    check = run("check", "--kit", root, "--strict")
    assert check.exit_code == 0, check.output
    built = run("build", "--kit", root, "--strict", "-j", "1")
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize("ident, says", [
    ("mes cartes", 'try kit add deck mes-cartes'),
    ("Été!", "try kit add deck ete"),
    ("ateliers-", "letters, digits and hyphens"),
    ("cartes.yaml", "without its file extension: kit add deck cartes"),
])
def test_kit_add_refuses_a_bad_id(minimal_kit, ident, says):
    result = run("add", "--kit", minimal_kit, "deck", ident)
    assert result.exit_code == 2
    assert says in result.output


def test_kit_add_refuses_a_taken_id_whatever_its_case(minimal_kit):
    existing = sorted((minimal_kit / "content" / "decks").glob("*.yaml"))[0]
    before = existing.read_bytes()
    for ident in (existing.stem, existing.stem.upper()):
        result = run("add", "--kit", minimal_kit, "deck", ident)
        assert result.exit_code == 2
        assert f"content/decks/{existing.name} exists" in result.output
    assert existing.read_bytes() == before


def test_kit_add_needs_a_kit_and_a_known_kind(tmp_path, minimal_kit):
    outside = run("add", "--kit", tmp_path, "session", "x")
    assert outside.exit_code == 2 and "kit new" in outside.output
    assert run("add", "--kit", minimal_kit, "poster", "x").exit_code == 2


# ------------------------------------------------------------------------ folders that are not kits

def test_a_folder_without_kit_yaml_suggests_kit_new(tmp_path):
    for command in ("check", "build", "list"):
        result = run(command, "--kit", tmp_path)
        assert result.exit_code == 2
        assert "no kit.yaml here" in result.output and "kit new DIR" in result.output


def test_inside_a_kit_sub_folder_the_kit_above_is_named(minimal_kit):
    result = run("check", "--kit", minimal_kit / "content")
    assert result.exit_code == 2
    assert f"the kit folder above is {minimal_kit.resolve()}" in result.output


def test_a_kit_with_no_content_says_what_to_add(make_kit):
    root = make_kit({})
    check = run("check", "--kit", root)
    assert check.exit_code == 0
    assert "no content yet" in check.output and "kit add session ID" in check.output
    build = run("build", "--kit", root)
    assert build.exit_code == 2
    assert "nothing to build" in build.output and "kit add session ID" in build.output


# ------------------------------------------------------------------------------- package data

def test_package_data_carries_every_template_and_skeleton_file():
    """A non-editable install gets every file `kit new` and `kit add` copy (pyproject's globs)."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["kit"]
    package = REPO / "kit"
    shipped = [p for base in (STARTERS, SKELETONS) for p in base.rglob("*") if p.is_file()
               and "__pycache__" not in p.parts and "output" not in p.relative_to(base).parts]
    assert shipped
    for path in shipped:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_liberating_structures_template_credits_its_source():
    readme = (STARTERS / "liberating-structures" / "README.md").read_text(encoding="utf-8")
    assert "Lipmanowicz" in readme and "McCandless" in readme and "CC BY-NC" in readme


def test_kit_new_in_the_current_folder_says_kit_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", ".", "--template", "liberating-structures")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("Next: kit build; the PDFs land in output/")
    assert (tmp_path / "README.md").read_text(encoding="utf-8").startswith("# A Liberating Structures half-day")


def test_a_session_skeleton_runs_a_format_that_has_a_duration(make_kit):
    root = make_kit({"content/formats/a-sans-duree.yaml": "title: Sans durée\n",
                     "content/formats/b-tour.yaml": "title: Tour de table\nduration: 30 min\n"})
    assert run("add", "--kit", root, "session", "s1").exit_code == 0
    assert "- format: b-tour" in (root / "content" / "sessions" / "s1.yaml").read_text(encoding="utf-8")
    check = run("check", "--kit", root, "--strict")
    assert check.exit_code == 0, check.output


def test_kit_add_in_a_kit_whose_kit_yaml_is_wrong_is_a_content_error(make_kit):
    root = make_kit({}, config="title: X\nlanguage: de\n")
    result = run("add", "--kit", root, "deck", "cartes")
    assert result.exit_code == 1
    assert "kit.yaml" in result.output and "language" in result.output
    assert not (root / "content" / "decks").exists()


def test_new_and_add_keep_quiet_with_q(tmp_path):
    made = run("new", tmp_path / "k", "-q")
    assert made.exit_code == 0 and made.output == ""
    assert (tmp_path / "k" / "kit.yaml").is_file()
    added = run("add", "--kit", tmp_path / "k", "guide", "a-la-gare", "-q")
    assert added.exit_code == 0 and added.output == ""
    assert (tmp_path / "k" / "content/guides/a-la-gare.yaml").is_file()
    assert "minimal" in run("new", "--list", "-q").output  # what was asked for is shown all the same
