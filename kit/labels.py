"""Turn label keys and dates into the printed words of the kit's language (fr or en)."""

from __future__ import annotations

import datetime as dt

LABELS = {
    "fr": {
        "day": "Jour",
        "morning": "Matin",
        "afternoon": "Après-midi",
        "lunch": "Déjeuner",
        "pause": "Pause",
        "free": "Temps libre",
        "end": "Fin",
        "page": "page",
        "version": "version",
        "edition.participants": "Programme",
        "edition.facilitators": "Déroulé animateurs",
        "edition.newcomers": "Édition nouveaux ambassadeurs",
        "lead": "Animation",
        "place": "Lieu",
        "duration": "Durée",
        "materials": "Matériel",
        "notes": "Notes d’animation",
        "steps": "Déroulé",
        "checklist": "Matériel à préparer",
        "checklist.day": "Matériel — {day}",
        "newcomers.only": "Nouveaux",
        "facilitators.only": "Équipe",
        "welcome": "Bienvenue",
        "the_case": "Le cas pratique",
        "working_group": "Le groupe de travail",
        "produces": "Ce que la session va produire",
        "words": "Les mots que nous employons",
        "day_ends": "fin de journée à {time}",
        "half_length": "{half}\u202f: {length}",
        "kind.plénière": "plénière",
        "kind.binômes": "binômes",
        "kind.groupes": "groupes",
        "kind.individuel": "individuel",
        "kind.terrain": "terrain",
        "kind.pause": "pause",
        "time": "Horaire",
        "what": "Séquence",
        "who": "Qui",
        "see": "voir",
        "guide.edition": "Guide d’entretien",
        "guide.mode.à la volée": "À la volée",
        "guide.mode.rendez-vous": "Sur rendez-vous",
        "guide.reminder.title": "Rappel de méthode",
        "guide.reminder": "Partez du quotidien : ce qui coince entre vie privée et vie professionnelle, avec des situations vécues. Les solutions viendront après. N’ouvrez jamais sur une liste d’idées de services : elle enferme les réponses dans nos stéréotypes.",
        "guide.hook": "Accroche",
        "guide.probe": "Relance",
        "guide.listen": "À écouter",
        "guide.heard": "Ce qu’on a entendu",
        "guide.goal": "Objectif",
        "guide.pair": "Binôme",
        "guide.date": "Date",
        "guide.site": "Site",
        "guide.time": "Horaire",
        "guide.role": "Rôle de la personne rencontrée",
        "guide.duration": "Durée de l’entretien",
        "guide.intro": "Introduction et consentement",
        "guide.consent.given": "La personne est d’accord pour poursuivre",
        "guide.warmup": "Mise en route",
        "guide.closing": "Conclusion",
        "guide.debrief": "Débrief à deux, juste après l’entretien",
        "guide.changes": "Ce qui a changé dans la version {version}",
        "guide.copy": "Binôme {pair}",
        "guide.pocket": "Cartes de poche",
    },
    "en": {
        "day": "Day",
        "morning": "Morning",
        "afternoon": "Afternoon",
        "lunch": "Lunch",
        "pause": "Break",
        "free": "Free time",
        "end": "End",
        "page": "page",
        "version": "version",
        "edition.participants": "Agenda",
        "edition.facilitators": "Facilitator run sheet",
        "edition.newcomers": "Newcomer edition",
        "lead": "Led by",
        "place": "Place",
        "duration": "Duration",
        "materials": "Materials",
        "notes": "Facilitator notes",
        "steps": "Steps",
        "checklist": "Materials to prepare",
        "checklist.day": "Materials — {day}",
        "newcomers.only": "Newcomers",
        "facilitators.only": "Team",
        "welcome": "Welcome",
        "the_case": "The case",
        "working_group": "The working group",
        "produces": "What the session will produce",
        "words": "The words we use",
        "day_ends": "day ends at {time}",
        "half_length": "{half}: {length}",
        "kind.plénière": "plenary",
        "kind.binômes": "pairs",
        "kind.groupes": "groups",
        "kind.individuel": "individual",
        "kind.terrain": "field",
        "kind.pause": "break",
        "time": "Time",
        "what": "Activity",
        "who": "Who",
        "see": "see",
        "guide.edition": "Interview guide",
        "guide.mode.à la volée": "On the fly",
        "guide.mode.rendez-vous": "By appointment",
        "guide.reminder.title": "Method reminder",
        "guide.reminder": "Start from daily life: what jams between private and working life, with situations people lived. Solutions come later. Never open with a list of service ideas: it locks the answers into our stereotypes.",
        "guide.hook": "Opening line",
        "guide.probe": "Probe",
        "guide.listen": "Listen for",
        "guide.heard": "What we heard",
        "guide.goal": "Goal",
        "guide.pair": "Pair",
        "guide.date": "Date",
        "guide.site": "Site",
        "guide.time": "Time",
        "guide.role": "Role of the person met",
        "guide.duration": "Interview length",
        "guide.intro": "Introduction and consent",
        "guide.consent.given": "The person agrees to go on",
        "guide.warmup": "Warm-up",
        "guide.closing": "Closing",
        "guide.debrief": "Pair debrief, right after the interview",
        "guide.changes": "What changed in version {version}",
        "guide.copy": "Pair {pair}",
        "guide.pocket": "Pocket cards",
    },
}

WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


class Labels:
    """The label table of one language, with the date formats of that language."""

    def __init__(self, language: str):
        self.language = language
        self.table = LABELS[language]

    def __call__(self, key: str, **values: str) -> str:
        text = self.table[key]
        return text.format(**values) if values else text

    def date(self, day: dt.date, weekday: bool = True) -> str:
        """ "jeudi 23 mai 2019" / "Thursday 23 May 2019"; the 1st is "1er" in French."""
        number = "1er" if self.language == "fr" and day.day == 1 else str(day.day)
        text = f"{number} {MONTHS[self.language][day.month - 1]} {day.year}"
        return f"{WEEKDAYS[self.language][day.weekday()]} {text}" if weekday else text

    def colon(self, text: str) -> str:
        """A label followed by its colon, spaced as the language wants ("Durée :", "Duration:")."""
        return f"{text}\u202f:" if self.language == "fr" else f"{text}:"

    def kind(self, kind: str | None) -> str:
        return self.table.get(f"kind.{kind}", kind or "") if kind else ""
