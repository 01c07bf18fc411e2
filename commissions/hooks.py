"""Sections that apps above commissions add to a commission's page.

Commissions imports no app above it. An app that has something to show on a
commission (the proposals its members decide) registers a function from its
`AppConfig.ready()`; the commission's page calls every registered function and
shows what each returns, already rendered, in registration order.
"""

from core.sections import PageSections, Section

# The function is called with the request and the commission, and returns
# rendered HTML, or "" when it has nothing to show to this person.
CommissionSection = Section

_SECTIONS = PageSections()


def register_commission_section(section: CommissionSection) -> None:
    _SECTIONS.register(section)


def commission_sections(*, request, commission) -> list[str]:
    """The rendered sections every registered app has for this commission, for this person."""
    return _SECTIONS.render(request=request, commission=commission)
