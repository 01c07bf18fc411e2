"""Sections that apps higher up add to a lower app's page, without the lower app importing them.

A lower app keeps one `PageSections` per page and offers `register_…` to the
apps above it; they register a function from their `AppConfig.ready()`. The
page's view calls every registered function with the same keyword arguments
and shows what each returns, already rendered, in registration order; a
function returns "" when it has nothing to show to this person.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

Section = Callable[..., SafeString | str]


class PageSections:
    def __init__(self) -> None:
        self._sections: list[Section] = []

    def register(self, section: Section) -> None:
        if section not in self._sections:
            self._sections.append(section)

    def render(self, **context: object) -> list[str]:
        return [html for section in self._sections if (html := section(**context))]
