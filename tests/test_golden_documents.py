"""The look of the weasyprint documents: first pages compared with expected images (`make golden`).

They render the frozen fixture kit (tests/fixtures/comptoir), never the shipped default kit.
"""

from __future__ import annotations

import pytest

from conftest import compare_golden, copy_fixture_kit, render_page
from kit.build import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_fixture_kit(tmp_path_factory.mktemp("golden") / "kit")
    build(root, only=["content/sessions/session-08.yaml", "content/guides/rendez-vous.yaml",
                      "content/worksheets/besoins-solutions.yaml"], jobs=2)
    return root / "output"


@pytest.mark.parametrize("pdf, name", [
    ("session-08/programme.pdf", "agenda-programme-p1.png"),
    ("session-08/deroule-animateurs.pdf", "agenda-deroule-p1.png"),
    ("session-08/programme-nouveaux.pdf", "agenda-nouveaux-p1.png"),
    ("guides/rendez-vous.pdf", "guide-rendez-vous-p1.png"),
    ("worksheets/besoins-solutions.pdf", "worksheet-besoins-solutions.png"),
])
def test_golden_first_page(built, pdf, name):
    compare_golden(render_page(built / pdf), name)
