"""Turn a deck into print files: home N-up sheets with backs, fold-over sheets, print-shop pages, PNGs.

Outputs of a deck (its `print:` list, home, fold and shop by default), under output/decks/:
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
from kit.imposition import Rect, back_rotation, backs, fold_over, grid, mm_to_pt
from kit.file_names import named
from kit.outputs import CARD_SHEET_SETTINGS, DOCUMENT_SETTINGS, PRINTER_SETTINGS, Output, needs

KIND = "deck"
FOLDER = "decks"
# The name key (kit.file_names) of each edition named in the kit's language; home is the deck's id.
NAME_KEYS = {"fold": "deck-fold", "shop": "deck-print-shop"}
CALIBRATION = "calibration"


def deck_file_name(deck: Deck, edition: str, config=None) -> str:
    if edition in NAME_KEYS:
        return named(config, NAME_KEYS[edition], deck=deck.id)
    return f"{deck.id}.pdf"


def output_path(deck: Deck, edition: str, config=None) -> str:
    if edition == "png":
        return f"{FOLDER}/png/{deck.id}"
    return f"{FOLDER}/{deck_file_name(deck, edition, config)}"


def calibration_path(config=None) -> str:
    return f"{FOLDER}/{named(config, 'calibration')}"


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
                settings = DOCUMENT_SETTINGS + (PRINTER_SETTINGS + CARD_SHEET_SETTINGS if edition in ("home", "fold") else ())
                outputs.append(Output(KIND, output_path(deck, edition, content.config), deck.id, deck.sources, edition=edition,
                                      inputs=needs(files=deck.sources, settings=settings, language=language)))
        if decks:
            outputs.append(Output(KIND, calibration_path(content.config), CALIBRATION, ("kit.yaml",), edition=CALIBRATION,
                                  inputs=needs(settings=DOCUMENT_SETTINGS + PRINTER_SETTINGS, language=language)))
        return outputs

    def checks(self, content) -> list[Check]:
        """Per deck, what only the card renderer can measure (reportlab, imported only to measure):
        texts against their boxes (errors), SVG images it cannot draw (errors), and photos that
        will print below 200 dpi (warnings). `kit check` and `kit build` report the same."""
        config = content.config
        checks = []
        for deck in content.of("decks").values():
            spreadsheets = tuple(s for s in deck.sources[1:] if s.endswith((".csv", ".xlsx")))
            checks.append(Check(f"deck-text:{deck.id}",
                                needs(files=(deck.file, *spreadsheets), settings=("language",)),
                                _text_check(deck, config.language)))
            checks.append(Check(f"deck-images:{deck.id}",
                                needs(files=deck.sources, settings=("theme", "print.greyscale"), fonts=False),
                                _image_check(deck, config)))
            if {"home", "fold"} & set(deck.prints):
                checks.append(Check(f"deck-captions:{deck.id}",
                                    needs(files=(deck.file,), settings=("language", "paper", "print.duplex", "print.gutter"),
                                          language=config.language),
                                    _caption_check(deck, config)))
        return checks

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
            if output.edition in ("home", "fold", "shop") and context.staging_dir is not None:
                # Long decks go straight to their staged file, a few sheets at a time (flat memory).
                rendered = render(deck, content.config, art, output, target=context.staged(output.path))
            else:
                rendered = render(deck, content.config, art, output)
        except UnreadableImage as error:  # passed `kit check`, but the file is broken further in
            raise ContentError([_image_problem(deck, error)]) from None
        rendered.warnings = []  # a soft photo is the deck check's warning, said once for the deck
        return rendered


def _card_problem(card: Card, field_name: str, message: str) -> Problem:
    place = card.place(field_name)
    return Problem(place.file, place.line, f"{card.path}.{field_name}" if card.path else field_name, message,
                   titles=((card.path, card.title),) if card.path and card.title else ())


def _text_check(deck: Deck, language: str):
    def run(cache_dir=None):
        from kit.cards.faces import text_problems

        # A problem of the deck itself (a card too small for its layout) is at its size: line.
        errors = [Problem(deck.file, deck.size_line, field_name, message) if card is None
                  else _card_problem(card, field_name, message)
                  for field_name, card, message in text_problems(deck, language)]
        return errors, []
    return run


def _image_check(deck: Deck, config):
    def run(cache_dir=None):
        from kit.cards.faces import Art, photo_request
        from kit.images import MIN_DPI, drawing_problem, planned_dpi, resolution_problem
        from kit.theme import Theme

        art = Art(theme=Theme.from_config(config), kit_root=config.root, cache_dir=config.root)
        errors, warnings, seen = [], [], set()
        for card in deck.cards:
            if not card.image or card.image in seen:
                continue
            seen.add(card.image)
            source = art.image_path(card.image)
            if source.suffix.lower() == ".svg":
                problem = drawing_problem(source, card.image, config.root, cache_dir)
                if problem:
                    errors.append(_card_problem(card, "image", problem))
                continue
            request = photo_request(deck, card, art)
            if request is None:
                continue
            dpi = planned_dpi(request.source, request.box_mm, request.focus)
            if dpi < MIN_DPI:
                place = card.place("image")
                warnings.append(resolution_problem(place.file, place.line, f"{card.path}.image", card.image,
                                                   request.box_mm, dpi, _card_problem(card, "image", "").titles))
        return errors, warnings
    return run


def hint_texts(labels, mode: str) -> tuple[str, str]:
    """How to print a sheet (mode: a duplex mode, or "fold"), in full and in brief."""
    return labels(f"deck.hint.{mode}"), labels(f"deck.hint.{mode}.brief")


def sheet_texts(labels, deck_title: str, number: int, total: int, side: str) -> tuple[str, str]:
    """Which sheet this is, in full (with the deck's title) and in brief."""
    values = {"deck": deck_title, "number": str(number), "total": str(total), "side": side}
    return labels("deck.sheet", **values), labels("deck.sheet.brief", **values)


def sheet_captions(deck: Deck, config, paper: tuple[float, float], number: int = 1, total: int = 1):
    """The captions of a deck's home and fold-over sheets, as (edition, sheet, above, wordings)."""
    from kit.labels import Labels

    labels = Labels(config.language)
    size = mm_to_pt(deck.size_mm)
    gutter = config.printing.gutter_mm
    home, fold = grid(paper, size, gutter_mm=gutter), fold_over(paper, size, gutter_mm=gutter)
    front = labels("deck.front")
    found = []
    if "home" in deck.prints:
        found += [("home", home, True, hint_texts(labels, config.printing.duplex)),
                  ("home", home, False, sheet_texts(labels, deck.title, number, total, front))]
    if "fold" in deck.prints:
        found += [("fold", fold, True, hint_texts(labels, "fold")),
                  ("fold", fold, False, sheet_texts(labels, deck.title, number, total,
                                                    front + " + " + labels("deck.back")))]
    return found


def _caption_check(deck: Deck, config):
    """A sheet caption that has no room on the paper, even in brief, is a warning: the sheet prints
    without it rather than over the marks or the margin."""
    def run(cache_dir=None):
        from kit.render.decks import fitting_caption
        from kit.theme import PAPER_MM

        paper = mm_to_pt(PAPER_MM[config.paper])
        cards = len(list(iter_copies(deck)))
        warnings = []
        for edition, sheet, above, texts in sheet_captions(deck, config, paper, number=cards, total=cards):
            if sheet.per_sheet and fitting_caption(sheet, above, texts, config.language) is None:
                name = deck_file_name(deck, edition, config)
                warnings.append(Problem(deck.file, deck.size_line, "size",
                                        f'expected room for the caption "{texts[-1]}" on the {config.paper} sheets of '
                                        f"{name}, got none beside these cards: the sheets print without it"))
        return [], warnings
    return run


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
    sheet = grid(paper, mm_to_pt(deck.size_mm), gutter_mm=config.printing.gutter_mm)
    duplex = config.printing.duplex
    back_boxes = backs(sheet, duplex, config.printing.back_offset_mm)
    turn = back_rotation(sheet, duplex)
    plans = []
    for group in chunks(list(iter_copies(deck)), sheet.per_sheet):
        count = len(group)
        plans.append(SheetPlan(tuple(group), sheet.fronts[:count], back_boxes[:count], sheet.front_rotation, turn))
    return plans
