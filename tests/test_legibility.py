"""Nothing printed below 8 pt on guides, field tables and agendas: type sizes read back from the PDFs' text objects."""

from __future__ import annotations

import pytest

from conftest import copy_fixture_kit
from kit.build import build
from pdf_measure import min_type_size

MIN_TYPE_PT = 8.0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_fixture_kit(tmp_path_factory.mktemp("legible") / "kit")
    build(root, only=["content/guides/a-la-volee.yaml", "content/guides/rendez-vous.yaml",
                      "content/field/enquete-24-mai.yaml", "content/sessions/session-08.yaml"], jobs=2)
    return root / "output"


@pytest.mark.parametrize("pdf", [
    "guides/cartes-de-poche.pdf",                         # was 6.2 pt (shrunk kicker), 6.5 pt footer
    "guides/rendez-vous.pdf",                             # was 6 pt (Q marks), 7.5 pt (labels, running header)
    "field/enquete-24-mai/guides-binome-1.pdf",           # the copies' values are written over, at the line's size
    "field/enquete-24-mai/vue-d-ensemble.pdf",            # was 6.8 pt (addresses, times, modes)
    "field/enquete-24-mai/missions.pdf",                  # was 7.5 pt
    "session-08/programme.pdf",
    "session-08/deroule-animateurs.pdf",
    "session-08/programme-nouveaux.pdf",
])
def test_nothing_is_printed_below_8_pt(built, pdf):
    size, where = min_type_size(built / pdf)
    assert size >= MIN_TYPE_PT - 0.01, f"{pdf}: {size} pt at {where}"
