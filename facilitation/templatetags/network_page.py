"""A filter of the public network page, which may list thousands of commissions.

A `{% blocktranslate count %}` in a loop looks its sentence up again for every
row; this filter gives the same words, looked up once per number and language.
"""

from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

register = template.Library()


@lru_cache(maxsize=256)
def _members(count: int, language: str | None) -> SafeString:
    # Marked safe as `{% blocktranslate %}` marks its sentence; the number is escaped.
    sentence = ngettext("%(counter)s member", "%(counter)s members", count)
    return mark_safe(sentence % {"counter": conditional_escape(localize(count))})  # noqa: S308


@register.filter
def members(count: int) -> SafeString:
    """How many members a commission has ("3 members"), in the reader's language."""
    return _members(count, get_language())
