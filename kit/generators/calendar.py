"""Turn a session into an iCalendar file (RFC 5545): one event per block or track, in the kit's time zone.

The events' times carry kit.yaml's `timezone:` (an IANA name, Europe/Paris by default) as their
TZID, and the calendar holds that zone's VTIMEZONE (icalendar's add_missing_timezones), so an
application anywhere imports 9:00 at 9:00 in the kit's place.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kit import __version__
from kit.content import Content
from kit.content.sessions import Session
from kit.generators import RenderContext, Rendered, register
from kit.labels import Labels
from kit.markup import plain
from kit.outputs import CALENDAR_SETTINGS, Output, needs
from kit.schedule import schedule

AUDIENCE_CATEGORY = {"everyone": None, "newcomers": "newcomers.only", "facilitators": "facilitators.only"}


def session_calendar(session: Session, content: Content):
    """The session's calendar (icalendar's Calendar; icalendar is imported only to make one)."""
    from icalendar import Calendar, Event

    config = content.config
    labels = Labels(config.language)
    zone = ZoneInfo(config.timezone)
    # DTSTAMP comes from the kit's version date, not the clock, so that rebuilding the same
    # content gives the same bytes.
    stamp = dt.datetime.combine(config.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", f"-//kit {__version__}//{config.organisation or config.title}//{config.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{config.title} — {session.title}")
    calendar.add("x-wr-timezone", config.timezone)
    for day_number, day in enumerate(schedule(session), start=1):
        for index, slot in enumerate(day.slots):
            block = slot.block
            start = dt.datetime.combine(day.day.date, dt.time(slot.start // 60, slot.start % 60), tzinfo=zone)
            # A block of tracks is one event per track, all at the block's start, each in its own place.
            for number, part in enumerate(block.tracks or (block,), start=1):
                event = Event()
                track = f"-t{number}" if block.tracks else ""
                event.add("uid", f"{session.id}-d{day_number}-b{index + 1}{track}-{day.day.date.isoformat()}@kit")
                event.add("dtstamp", stamp)
                event.add("dtstart", start)
                event.add("dtend", start + dt.timedelta(minutes=part.duration))
                title = block.title if part is block else f"{block.title} — {part.title}"
                event.add("summary", plain(title, config.language))
                if part.place:
                    event.add("location", plain(part.place, config.language))
                description = part.description or block.description
                details = [plain(description, config.language)] if description else []
                if part.leads:
                    leads = labels.names(part.leads)
                    details.append(f"{labels('lead')} : {leads}" if config.language == "fr"
                                   else f"{labels('lead')}: {leads}")
                if details:
                    event.add("description", "\n\n".join(details))
                category = AUDIENCE_CATEGORY[block.audience]
                if category:
                    event.add("categories", [labels(category)])
                if part.kind == "pause":
                    event.add("transp", "TRANSPARENT")
                calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


@register
class CalendarGenerator:
    """One .ics per session, beside its agendas."""

    kind = "calendar"
    renderers = ()
    # icalendar (a fifteenth of a second) is imported by the render that makes a calendar, not by a
    # worker's warm-up, which every first render waits for; kit's warm process has it (kit.warm).
    imported_on_use = ("icalendar",)

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for session in content.sessions.values():
            formats = [content.formats[b.format].file for day in session.days for b in day.blocks
                       if b.format in content.formats]
            path = f"{session.id}/{content.config.file_name('calendar', session=session.id)}"
            result.append(Output(self.kind, path, session.id, (session.file,),
                                 inputs=needs(files=[session.file, *formats], fonts=False,
                                              settings=("title", "organisation", "language", "date", *CALENDAR_SETTINGS),
                                              language=content.config.language)))
        return result

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        calendar = session_calendar(content.sessions[output.subject], content)
        return Rendered({output.path: calendar.to_ical()}, pages=0)
