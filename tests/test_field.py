"""Field plans: each conflict is an error at its slot's line; overview and mission sheets read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURE_KIT, copy_fixture_kit, pdf_pages, pdf_text
from kit.content import load_kit
from kit.errors import ContentError
from kit.generators import GENERATORS, RenderContext
from kit.generators.field import missions_path, overview, overview_path
from kit.theme import MM, Theme

GUIDES = {f"content/guides/{p.name}": p.read_text(encoding="utf-8")
          for p in (FIXTURE_KIT / "content" / "guides").glob("*.yaml")}

PLAN = """\
title: Terrain d'essai
date: 2019-05-24
sites:
  malraux: {name: Médiathèque Malraux, mode: à la volée, address: presqu'île André-Malraux}
  belin: {name: Espace Belin, mode: rendez-vous, contact: accueil du site}
pairs:
  1: [Véronique, Karim]
  2: [Pascale, Hélène]
slots:
  - {time: "9:00", duration: 45, site: malraux, pair: 1}
  - {time: "10:00", until: "10:45", site: belin, pair: 1}
  - {time: "9:30", duration: 30, site: belin, pair: 2}
"""


def squash(text: str) -> str:
    """Text without its line breaks, spaces and hyphenation hyphens (U+2010), to find wrapped names."""
    return re.sub(r"\u2010\s*|\s+", "", text).replace("'", "’")


def plan_kit(make_kit, slots_extra: str = "", plan: str = PLAN):
    return make_kit({**GUIDES, "content/field/terrain.yaml": plan + slots_extra})


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


def test_a_clean_plan_loads_with_its_guides_chosen_by_mode(make_kit):
    content = load_kit(plan_kit(make_kit))
    plan = content.of("field")["terrain"]
    assert [(s.site, s.pair, s.mode, s.guide) for s in plan.slots_of("1")] == [
        ("malraux", "1", "à la volée", "a-la-volee"), ("belin", "1", "rendez-vous", "rendez-vous")]
    assert plan.slots_of("1")[1].start == 10 * 60 and plan.slots_of("1")[1].end == 10 * 60 + 45
    assert not [w for w in content.warnings if w.file.startswith("content/field")]


def test_unknown_site_names_the_slot_line(make_kit):
    root = plan_kit(make_kit, '  - {time: "11:00", duration: 30, site: belinn, pair: 2}\n')
    assert errors_of(root) == [
        'content/field/terrain.yaml:13: slots[3].site: expected a site of this plan (belin, malraux), '
        'got "belinn" (did you mean "belin"?)']


def test_unknown_pair_names_the_slot_line(make_kit):
    root = plan_kit(make_kit, '  - {time: "11:00", duration: 30, site: belin, pair: 3}\n')
    assert errors_of(root) == [
        'content/field/terrain.yaml:13: slots[3].pair: expected a pair of this plan (1, 2), got "3"']


def test_unknown_guide_lists_the_known_ones(make_kit):
    root = plan_kit(make_kit, '  - time: "11:00"\n    duration: 30\n    site: belin\n    pair: 2\n'
                              '    guide: rendezvous\n')
    assert errors_of(root) == [
        'content/field/terrain.yaml:17: slots[3].guide: expected a guide of content/guides/ '
        '(a-la-volee, rendez-vous), got "rendezvous" (did you mean "rendez-vous"?)']


def test_a_pair_in_two_places_at_once_names_both_slots_and_times(make_kit):
    root = plan_kit(make_kit, '  - {time: "9:30", until: "9:55", site: belin, pair: 1}\n')
    (error,) = errors_of(root)
    assert error.startswith("content/field/terrain.yaml:13: slots[3]: ")
    assert "pair 1" in error and "Espace Belin 9:30–9:55" in error
    assert "Médiathèque Malraux 9:00–9:45 (line 10)" in error


def test_every_overlap_of_a_pair_is_reported(make_kit):
    root = plan_kit(make_kit, '  - {time: "9:40", until: "10:15", site: belin, pair: 1}\n')
    errors = errors_of(root)
    # 9:40–10:15 overlaps 9:00–9:45 (line 10); 10:00–10:45 (line 12) then overlaps it.
    assert [e.split(": ")[0] for e in errors] == ["content/field/terrain.yaml:11", "content/field/terrain.yaml:13"]
    assert "Médiathèque Malraux 9:00–9:45 (line 10)" in errors[1]
    assert "Espace Belin 9:40–10:15 (line 13)" in errors[0]


def test_slot_times_need_exactly_one_end(make_kit):
    both = plan_kit(make_kit, '  - {time: "11:00", duration: 30, until: "11:30", site: belin, pair: 2}\n')
    assert errors_of(both) == ["content/field/terrain.yaml:13: slots[3].until: expected either duration: "
                               "or until:, got both"]
    backwards = plan_kit(make_kit, '  - {time: "11:00", until: "10:30", site: belin, pair: 2}\n')
    assert errors_of(backwards) == ["content/field/terrain.yaml:13: slots[3].until: expected a time after "
                                    "11:00, got 10:30"]


def test_a_guide_of_the_other_mode_is_a_warning(make_kit):
    root = plan_kit(make_kit, '  - {time: "11:00", duration: 30, site: belin, pair: 2, guide: a-la-volee}\n')
    warnings = [str(w) for w in load_kit(root).warnings if w.file.startswith("content/field")]
    assert warnings == ['content/field/terrain.yaml:13: slots[3].guide: expected a rendez-vous guide for a '
                        'rendez-vous visit, got "a-la-volee" (à la volée)']


def test_overview_grid_places_each_slot_once_over_its_time(make_kit):
    three_pairs = PLAN.replace("  2: [Pascale, Hélène]\n", "  2: [Pascale, Hélène]\n  3: [Marc, Inès]\n")
    content = load_kit(plan_kit(make_kit, '  - {time: "9:40", duration: 30, site: belin, pair: 3}\n', three_pairs))
    grid = overview(content.of("field")["terrain"])
    assert [(b.start, b.end) for b in grid.bands][0] == (540, 570) and grid.bands[-1].end == 645
    spans = {}
    for lane in grid.lanes:
        assert sum(cell.span for cell in lane.cells) == len(grid.bands)
        for cell in lane.cells:
            if cell.slot:
                covered = [b for b in grid.bands if cell.slot.start <= b.start and b.end <= cell.slot.end]
                assert cell.span == len(covered)
                spans[(cell.slot.site, cell.slot.start)] = cell.span
    assert len(spans) == 4
    # Pairs 2 (9:30–10:00) and 3 (9:40–10:10) are at Belin at once: its row splits into two lanes.
    belin = [lane for lane in grid.lanes if lane.site.id == "belin"]
    assert len(belin) == 2 and belin[0].first and belin[0].lanes == 2


@pytest.fixture(scope="module")
def fixture_field(tmp_path_factory):
    """The fixture kit's field plan rendered: overview and mission sheets."""
    root = copy_fixture_kit(tmp_path_factory.mktemp("kit"))
    out = tmp_path_factory.mktemp("field")
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, out / ".cache")
    for kind in ("field-overview", "field-missions"):
        generator = GENERATORS[kind]
        for output in generator.outputs(content):
            for path, data in generator.render(output, content, context).files.items():
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                (out / path).write_bytes(data)
    return out, content.of("field")["enquete-24-mai"]


def test_the_fixture_plan_has_the_nine_sites_and_the_newcomers(fixture_field):
    _, plan = fixture_field
    assert len(plan.sites) == 9 and len(plan.pairs) == 8
    members = {name for pair in plan.pairs.values() for name in pair.members}
    assert {"Véronique", "Pascale", "Hélène"} <= members
    assert {s.mode for s in plan.slots} == {"rendez-vous", "à la volée"}
    assert min(s.start for s in plan.slots) == 9 * 60 and max(s.end for s in plan.slots) <= 12 * 60


def test_overview_is_one_landscape_page_with_every_slot(fixture_field):
    out, plan = fixture_field
    path = out / overview_path(plan.id)
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (297, 210)
    text = pdf_text(path)
    for site in plan.sites.values():
        assert squash(site.name) in squash(text)
    for slot in plan.slots:
        assert f"{slot.start // 60}:{slot.start % 60:02d}–{slot.end // 60}:{slot.end % 60:02d}" in text
    assert text.count("Binôme ") == len(plan.slots)
    assert "rendez-vous" in text and "à la volée" in text


def test_one_mission_page_per_pair_with_its_sites_times_and_guides(fixture_field):
    out, plan = fixture_field
    pages = pdf_pages(out / missions_path(plan.id))
    assert len(pages) == len(plan.pairs)
    for page, pair in zip(pages, plan.pairs.values(), strict=True):
        assert f"Binôme {pair.id}" in page
        assert " et ".join(pair.members) in page
        flat = squash(page)
        for slot in plan.slots_of(pair.id):
            site = plan.sites[slot.site]
            assert squash(site.name) in flat
            assert f"{slot.start // 60}:{slot.start % 60:02d}" in flat
            assert squash(site.contact) in flat
        other = {plan.sites[s.site].name for s in plan.slots if s.pair != pair.id} - {
            plan.sites[s.site].name for s in plan.slots_of(pair.id)}
        assert not any(squash(name) in flat for name in other)
        assert "Badge agent" in page and "À EMPORTER" in page


def test_mission_counts_guide_copies(fixture_field):
    out, plan = fixture_field
    pages = pdf_pages(out / missions_path(plan.id))
    eight = re.sub(r"\s+", " ", pages[list(plan.pairs).index("8")])
    # Pair 8: one appointment (one rendez-vous guide), two on-the-fly visits (a pocket card each).
    assert "Entretien sur rendez-vous — 1 exemplaire" in eight
    assert "— 2 exemplaires (un par personne)" in eight
    assert "À la cafétéria, avant la pause de midi." in eight


def test_english_labels_on_the_overview(make_kit, tmp_path):
    root = make_kit({**GUIDES, "content/field/terrain.yaml": PLAN}, config="title: Test kit\nlanguage: en\n")
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, tmp_path / ".cache")
    generator = GENERATORS["field-overview"]
    (output,) = generator.outputs(content)
    path = tmp_path / "overview.pdf"
    path.write_bytes(generator.render(output, content, context).files[output.path])
    text = pdf_text(path)
    assert "Pair 1" in text and "on the fly" in text and "appointment" in text
    assert "Binôme" not in text and "Friday 24 May 2019" in text


# -- in the street: travel times, addresses to confirm, phones -------------------------------------

TRAVEL_PLAN = """\
title: Terrain d'essai
date: 2019-05-24
departure: {time: "8:45", from: centre}
travel: 20 min
sites:
  centre: {name: Centre administratif, mode: rendez-vous, address: 1 parc de l'Étoile, phone: 03 53 01 00 10}
  belin:
    name: Espace Belin
    mode: rendez-vous
    address: quartier du Neuhof
    address_confirmed: false
    contact: accueil du site
    phone: "03 53 01 00 13"
    travel: 25
  mairie: {name: Mairie du Neuhof, mode: rendez-vous, travel: {belin: 10, default: 25}}
pairs:
  1: {members: [Véronique, Karim], phone: 06 39 98 00 01}
  2: [Pascale, Hélène]
slots:
  - {time: "9:00", duration: 45, site: centre, pair: 1}
  - {time: "10:00", duration: 45, site: belin, pair: 1}
  - {time: "11:00", duration: 30, site: mairie, pair: 1}
  - {time: "9:00", duration: 30, site: belin, pair: 2}
  - {time: "9:45", duration: 30, site: centre, pair: 2}
"""


def travel_warnings(root: Path) -> list[str]:
    content = load_kit(root)
    return [str(w) for check in GENERATORS["field-missions"].checks(content) for w in check.run()[1]]


def test_a_slot_that_cannot_be_reached_in_time_is_a_warning_at_its_line(make_kit, tmp_path):
    from kit.build import build

    root = plan_kit(make_kit, plan=TRAVEL_PLAN)
    expected = [
        # Pair 1 stays at the centre at 9:00 (no travel); Belin in 15 min needs 25; the mairie, 10 from Belin, is fine.
        "content/field/terrain.yaml:21: slots[1].time: expected pair 1 to reach Espace Belin in time from "
        "Centre administratif (until 9:45, line 20): 25 min of travel, got 15 min before 10:00; start at 10:10 "
        "or later, or set a shorter travel:",
        # Pair 2 leaves the centre at 8:45 for Belin at 9:00: the across-town start the issue saw.
        "content/field/terrain.yaml:23: slots[3].time: expected pair 2 to reach Espace Belin in time from "
        "the departure (8:45, Centre administratif, line 3): 25 min of travel, got 15 min before 9:00; start at "
        "9:10 or later, or set a shorter travel:",
        "content/field/terrain.yaml:24: slots[4].time: expected pair 2 to reach Centre administratif in time from "
        "Espace Belin (until 9:30, line 23): 20 min of travel, got 15 min before 9:45; start at 9:50 or later, "
        "or set a shorter travel:",
    ]
    assert travel_warnings(root) == expected
    # kit build reports the same warnings (as people read places: "slot 2, time").
    built = [str(w) for w in build(root, tmp_path / "out", jobs=1).warnings if "to reach" in str(w)]
    assert [w.split(": ", 2)[2] for w in built] == [w.split(": ", 2)[2] for w in expected]
    assert [w.split(":")[1] for w in built] == ["21", "23", "24"]
    # Leaving earlier and going later makes the plan clean.
    fixed = TRAVEL_PLAN.replace('"8:45"', '"8:30"').replace('{time: "10:00", duration: 45, site: belin',
                                                             '{time: "10:15", duration: 45, site: belin').replace(
        '{time: "9:45", duration: 30, site: centre', '{time: "10:00", duration: 30, site: centre').replace(
        '{time: "11:00", duration: 30, site: mairie', '{time: "11:15", duration: 30, site: mairie')
    assert travel_warnings(plan_kit(make_kit, plan=fixed)) == []


def test_without_travel_times_nothing_is_timed(make_kit):
    assert travel_warnings(plan_kit(make_kit)) == []


def test_travel_from_an_unknown_site_and_a_wrong_phone_are_errors(make_kit):
    plan = TRAVEL_PLAN.replace("{belin: 10, default: 25}", "{belinn: 10, default: 25}").replace(
        "phone: 06 39 98 00 01", "phone: appeler Karim")
    assert sorted(errors_of(plan_kit(make_kit, plan=plan)), reverse=True) == [
        'content/field/terrain.yaml:17: pairs.1.phone: expected a phone number ("03 88 60 90 90", '
        '"+33 3 88 60 90 90", "4521"), got "appeler Karim"',
        'content/field/terrain.yaml:15: sites.mairie.travel.belinn: expected a site of this plan (or default) '
        '(belin, centre, mairie), got "belinn" (did you mean "belin"?)',
    ]


def render_plan(root: Path, out: Path, kind: str) -> Path:
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, out / ".cache")
    generator = GENERATORS[kind]
    (output,) = generator.outputs(content)
    path = out / output.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(generator.render(output, content, context).files[output.path])
    return path


def test_mission_sheets_flag_unconfirmed_addresses_and_print_phones(make_kit, tmp_path):
    root = plan_kit(make_kit, plan=TRAVEL_PLAN)
    pages = pdf_pages(render_plan(root, tmp_path, "field-missions"))
    one, two = (squash(p) for p in pages)
    assert "TÉL.0639980001" in one and "TÉL." not in two               # the pair's phone, under its names
    assert "accueildusite·0353010013" in one                           # the site's phone with its contact
    assert "0353010010" in one                                         # a phone without a contact
    for page in (one, two):                                            # both pairs go to Belin
        assert "quartierduNeuhofÀCONFIRMER" in page
        assert "Adresseàconfirmer:appelezlecontactavantdepartir." in page
    assert "Départdesbinômes:8:45,Centreadministratif" in one
    # The mairie has no address at all: it is to be confirmed too; the centre's is not flagged.
    assert one.count("ÀCONFIRMER") == 2 and "1parcdel’ÉtoileÀCONFIRMER" not in one


def test_the_overview_lists_the_pairs_phones_and_flags_addresses(make_kit, tmp_path):
    root = plan_kit(make_kit, plan=TRAVEL_PLAN)
    path = render_plan(root, tmp_path, "field-overview")
    assert len(PdfReader(str(path)).pages) == 1
    text = squash(pdf_text(path))
    assert "TÉLÉPHONESDESBINÔMES10639980001" in text
    assert "quartierduNeuhofÀCONFIRMER" in text


def test_the_default_plan_is_reachable_in_time_and_says_what_to_confirm(default_kit):
    content = load_kit(default_kit)
    plan = content.of("field")["enquete-24-mai"]
    assert plan.departure and plan.travel
    assert travel_warnings(default_kit) == []
    assert {s.id for s in plan.sites.values() if not s.address_confirmed} >= {"site-de-la-fede"}
    assert all(p.phone for p in plan.pairs.values())
