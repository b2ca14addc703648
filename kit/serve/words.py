"""Turn the kit's language into the words of the preview page and of `kit serve`'s own lines.

The printed words live in kit.labels and are an input of every output: the page's words are
kept here, apart, so that changing one never re-renders a PDF.
"""

from __future__ import annotations

WORDS = {
    "fr": {
        "title": "Aperçu",
        "building": "Construction…",
        "ready": "À jour",
        "failed": "Erreurs : les sorties affichées sont périmées",
        "missing": "Dossier du kit introuvable",
        "missing.detail": "Le dossier du kit a disparu ou a été renommé : {root}. L’aperçu reprendra dès qu’il sera de retour.",
        "disconnected": "Serveur arrêté : relancer kit serve",
        "stale": "périmé",
        "stale.detail": "Dernières sorties valides, périmées tant que les erreurs ci-dessus ne sont pas corrigées.",
        "errors": "Erreurs",
        "warnings": "Avertissements",
        "others": "Hors session",
        "open": "Ouvrir le PDF",
        "download": "Télécharger",
        "page": "page",
        "pages": "pages",
        "previous": "Page précédente",
        "next": "Page suivante",
        "close": "Fermer",
        "nothing": "Rien n’a changé.",
        "changed": "{outputs} : {why}",
        "removed": "retiré : {path} ({why})",
        "seconds": "en {seconds} s",
        "internal": "Erreur interne de kit (voir le terminal) : {message}",
        "kind.agenda": "Programmes et déroulés",
        "kind.calendar": "Agendas (fichiers calendrier)",
        "kind.deck": "Cartes",
        "kind.guide": "Guides d’entretien",
        "kind.field-overview": "Plan de terrain",
        "kind.field-missions": "Feuilles de mission",
        "kind.service-sheet": "Fiches service",
        "kind.needs-sheet": "Fiches besoins / solutions",
        "kind.theme-posters": "Affiches des thèmes",
        "kind.debate-board": "Plateau photos débat",
        "more": "+{count} pages",
    },
    "en": {
        "title": "Preview",
        "building": "Building…",
        "ready": "Up to date",
        "failed": "Errors: the outputs shown are out of date",
        "missing": "Kit folder not found",
        "missing.detail": "The kit folder was deleted or renamed: {root}. The preview resumes when it is back.",
        "disconnected": "Server stopped: run kit serve again",
        "stale": "out of date",
        "stale.detail": "The last good outputs, out of date until the errors above are fixed.",
        "errors": "Errors",
        "warnings": "Warnings",
        "others": "Outside any session",
        "open": "Open the PDF",
        "download": "Download",
        "page": "page",
        "pages": "pages",
        "previous": "Previous page",
        "next": "Next page",
        "close": "Close",
        "nothing": "Nothing changed.",
        "changed": "{outputs}: {why}",
        "removed": "removed: {path} ({why})",
        "seconds": "in {seconds} s",
        "internal": "Internal error of kit (see the terminal): {message}",
        "kind.agenda": "Agendas and run sheets",
        "kind.calendar": "Calendar files",
        "kind.deck": "Cards",
        "kind.guide": "Interview guides",
        "kind.field-overview": "Field plan",
        "kind.field-missions": "Mission sheets",
        "kind.service-sheet": "Service sheets",
        "kind.needs-sheet": "Needs / solutions sheets",
        "kind.theme-posters": "Theme posters",
        "kind.debate-board": "Photo debate board",
        "more": "+{count} pages",
    },
}


def words(language: str) -> dict[str, str]:
    """The page's words in the kit's language (English for a language kit does not know)."""
    return WORDS.get(language, WORDS["en"])


# The order kinds are shown in within a group: what a session hands out first.
KIND_ORDER = ("agenda", "calendar", "deck", "guide", "field-overview", "field-missions", "service-sheet",
              "needs-sheet", "theme-posters", "debate-board")
