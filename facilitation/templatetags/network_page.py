"""Filters of the public network page, which may list thousands of commissions.

A `{% blocktranslate count %}` or a `get_..._display` in a loop looks its words
up again for every row; these filters give the same words, looked up once per
value and language.
"""

from functools import lru_cache
from typing import cast

from django import template
from django.db.models import Field, Model
from django.utils.encoding import force_str
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


@lru_cache(maxsize=256)
def _label(model: type[Model], field_name: str, value: object, language: str | None) -> object:
    field = cast(Field, model._meta.get_field(field_name))
    choices = dict(field.flatchoices)
    return force_str(choices.get(value, value), strings_only=True)


@register.filter
def display(instance: Model, field_name: str) -> object:
    """What `instance.get_<field_name>_display()` says, looked up once per value and language.

    Django's method builds the field's dictionary of choices again on every call.
    """
    return _label(type(instance), field_name, getattr(instance, field_name), get_language())
