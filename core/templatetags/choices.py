"""The label of a field's choice, for lists of many rows.

`get_<field>_display()` builds the field's dictionary of choices again on every
call; a list of thousands of commissions paid for it on each row.
"""

from functools import lru_cache
from typing import Any, cast

from django import template
from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _label(model: type[Model], field_name: str, value: object, language: str | None) -> object:
    field = cast("Field[Any, Any]", model._meta.get_field(field_name))
    choices = dict(field.flatchoices)
    return force_str(choices.get(value, value), strings_only=True)


@register.filter
def display(instance: Model, field_name: str) -> object:
    """What `instance.get_<field_name>_display()` says, looked up once per value and language."""
    return _label(type(instance), field_name, getattr(instance, field_name), get_language())
