"""Sections that apps above events add to an event's page and to its minutes.

Events imports no app above it. An app that has something to show on an
event (the decisions on its agenda) registers a function from its
`AppConfig.ready()`; the event's views call every registered function and
show what each returns, already rendered, in registration order.
"""

from core.sections import PageSections, Section

# where: "page" (the event's page) or "minutes" (its minutes); the function
# returns rendered HTML, or "" when it has nothing to show.
EventSection = Section

_SECTIONS = PageSections()


def register_event_section(section: EventSection) -> None:
    _SECTIONS.register(section)


def event_sections(*, request, event, where: str) -> list[str]:
    """The rendered sections every registered app has for this event, for this person."""
    return _SECTIONS.render(request=request, event=event, where=where)
