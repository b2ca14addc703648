"""Turn a deck into print files: home N-up sheets with backs, fold-over sheets, print-shop pages, PNGs.

Outputs of a deck (its `print:` list, home and shop by default), under output/decks/:
    <id>.pdf              home print: N-up sheets with crop marks, each followed by its backs
    <id>-pliage.pdf       fold-over sheets for printers without duplex
    <id>-imprimeur.pdf    print shop: one card per page, trim + 3 mm bleed, TrimBox/BleedBox
    png/<id>/NN-slug.png  each card's front at the deck's `png_dpi`
and once per kit with decks: calibration.pdf, the duplex calibration sheet.
This module plans them (paths, inputs, the text-fit check, home sheets as data); kit.render.decks
draws them with reportlab, card faces from kit.cards.faces, geometry from kit.imposition.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.checks import Check
from kit.content.decks import Card, Deck, iter_copies, slug
from kit.errors import ContentError, Problem
from kit.generators import RenderContext, Rendered, register
from kit.imposition import Rect, back_rotation, backs, grid, mm_to_pt
from kit.outputs import DOCUMENT_SETTINGS, PRINTER_SETTINGS, Output, needs

KIND = "deck"
FOLDER = "decks"
SUFFIXES = {"home": "", "fold": "-pliage", "shop": "-imprimeur"}
CALIBRATION = "calibration"


def output_path(deck: Deck, edition: str) -> str:
    if edition == "png":
        return f"{FOLDER}/png/{deck.id}"
    return f"{FOLDER}/{deck.id}{SUFFIXES[edition]}.pdf"


def png_name(deck: Deck, card: Card) -> str:
    return f"{FOLDER}/png/{deck.id}/{card.number:02d}-{slug(card.title)}.png"


@register
class DeckGenerator:
    """Card decks for home printers, printers without duplex, print shops and slides."""

    kind = KIND

    renderers = ("kit.render.decks",)

    def outputs(self, content) -> list[Output]:
        decks = content.of("decks")
        language = content.config.language
        outputs = []
        for deck in decks.values():
            for edition in deck.prints:
                settings = DOCUMENT_SETTINGS + (PRINTER_SETTINGS if edition in ("home", "fold") else ())
                outputs.append(Output(KIND, output_path(deck, edition), deck.id, deck.sources, edition=edition,
                                      inputs=needs(files=deck.sources, settings=settings, language=language)))
        if decks:
            outputs.append(Output(KIND, f"{FOLDER}/{CALIBRATION}.pdf", CALIBRATION, ("kit.yaml",), edition=CALIBRATION,
                                  inputs=needs(settings=DOCUMENT_SETTINGS + PRINTER_SETTINGS, language=language)))
        return outputs

    def checks(self, content) -> list[Check]:
        """Each deck's texts measured against their boxes (reportlab's metrics, imported only to measure)."""
        config = content.config

        def measure(deck: Deck):
            def run():
                from kit.cards.faces import text_problems

                errors = []
                for field_name, card, message in text_problems(deck, config.language):
                    if card is None:
                        errors.append(Problem(deck.file, deck.line, field_name, message))
                    else:
                        place = card.place(field_name)
                        errors.append(Problem(place.file, place.line,
                                              f"{card.path}.{field_name}" if card.path else field_name, message))
                return errors, []
            return run

        return [Check(f"deck-text:{deck.id}", needs(files=deck.sources[:1] + tuple(s for s in deck.sources[1:]
                                                                                   if s.endswith((".csv", ".xlsx"))),
                                                    settings=("language",), fonts=True),
                      measure(deck))
                for deck in content.of("decks").values()]

    def images(self, output: Output, content, context: RenderContext) -> list:
        """The photos an output draws (kit.images.PhotoRequest), for the build to prepare ahead on every core."""
        if output.edition == CALIBRATION:
            return []
        from kit.cards.faces import Art, photo_request

        deck = content.of("decks")[output.subject]
        art = Art(theme=context.theme, kit_root=context.kit_root, cache_dir=context.cache_dir)
        return [request for card in deck.cards if (request := photo_request(deck, card, art))]

    def render(self, output: Output, content, context: RenderContext) -> Rendered:
        from kit.cards.faces import Art
        from kit.images import UnreadableImage, configure_reportlab
        from kit.render.decks import render_calibration, render_fold, render_home, render_png, render_shop
        from kit.theme import register_reportlab_fonts

        configure_reportlab()
        register_reportlab_fonts()
        if output.edition == CALIBRATION:
            return render_calibration(content.config, context)
        deck = content.of("decks")[output.subject]
        art = Art(theme=context.theme, kit_root=context.kit_root, cache_dir=context.cache_dir)
        render = {"home": render_home, "fold": render_fold, "shop": render_shop, "png": render_png}[output.edition]
        try:
            rendered = render(deck, content.config, art, output)
        except UnreadableImage as error:  # passed `kit check`, but the file is broken further in
            raise ContentError([_image_problem(deck, error)]) from None
        # Each deck's image warnings are said once, by its first output, not once per output.
        rendered.warnings = art.warnings if output.edition == deck.prints[0] else []
        return rendered


def _image_problem(deck: Deck, error) -> Problem:
    for card in deck.cards:
        if card.image and card.image.split("/")[-1] in error.message:
            place = card.place("image")
            return Problem(place.file, place.line, f"{card.path}.image", error.message)
    return Problem(deck.file, deck.line, "cards", error.message)



# ------------------------------------------------------------------------------ home sheets as data

def chunks(cards: list[Card], size: int) -> list[list[Card]]:
    return [cards[i:i + size] for i in range(0, len(cards), size)]


@dataclass(frozen=True)
class SheetPlan:
    """What one home sheet holds: which card goes in which box, front and back (for tests and drawing)."""

    cards: tuple[Card, ...]
    fronts: tuple[Rect, ...]
    backs: tuple[Rect, ...]
    front_rotation: int
    back_rotation: int


def home_plan(deck: Deck, config, paper: tuple[float, float]) -> list[SheetPlan]:
    """The home print as data: one SheetPlan per sheet, backs placed for the kit's duplex and offset."""
    sheet = grid(paper, mm_to_pt(deck.size_mm))
    duplex = config.printing.duplex
    back_boxes = backs(sheet, duplex, config.printing.back_offset_mm)
    turn = back_rotation(sheet, duplex)
    plans = []
    for group in chunks(list(iter_copies(deck)), sheet.per_sheet):
        count = len(group)
        plans.append(SheetPlan(tuple(group), sheet.fronts[:count], back_boxes[:count], sheet.front_rotation, turn))
    return plans
