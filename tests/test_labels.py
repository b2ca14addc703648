"""The label files: every language prints the same keys with the same placeholders."""

import string

import pytest

from kit.labels import LANGUAGES, Labels, language_file, table_text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_the_same_keys():
    keys = {language: set(language_file(language)["labels"]) for language in LANGUAGES}
    reference = keys["fr"]
    for language, found in keys.items():
        assert found - reference == set(), f"{language} has keys French lacks"
        assert reference - found == set(), f"{language} lacks keys French has"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "fr"])
def test_every_key_has_the_same_placeholders(language):
    french, other = language_file("fr")["labels"], language_file(language)["labels"]
    differ = {key: (placeholders(french[key]), placeholders(other[key]))
              for key in french if key in other and placeholders(french[key]) != placeholders(other[key])}
    assert differ == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_have_seven_days_and_twelve_months(language):
    dates = language_file(language)["dates"]
    assert len(dates["weekdays"]) == 7 and len(dates["months"]) == 12


def test_the_files_are_parsed_once():
    assert language_file("fr") is language_file("fr")
    assert Labels("fr").table is Labels("fr").table


def test_the_old_import_names_still_answer():
    from kit.labels import LABELS, MONTHS, WEEKDAYS

    assert LABELS["fr"]["day"] == "Jour" and LABELS["en"]["day"] == "Day"
    assert WEEKDAYS["fr"][3] == "jeudi" and MONTHS["en"][4] == "May"
    assert "day=Jour" in table_text("fr") and table_text("xx") == ""


def test_every_language_has_the_same_tables_and_settings():
    """Dates, numbers, typography and file names: the same keys in every language (values differ)."""
    reference = {table: set(values) for table, values in language_file("fr").items()}
    for language in LANGUAGES:
        assert {table: set(values) for table, values in language_file(language).items()} == reference, language


def test_each_language_hyphenates_with_a_dictionary_pyphen_has():
    import pyphen

    for language in LANGUAGES:
        name = Labels(language).hyphenation
        assert pyphen.language_fallback(name), f"{language}: no pyphen dictionary for {name}"
