"""The label of a field's choice, looked up once per value and language.

`get_<field>_display()` builds the field's dictionary of choices again on every
call, with each label a lazy translation to hash: a list of thousands of
commissions paid for it on each row, and every page that names a platform or a
priority area paid for it on each name.
"""

from functools import lru_cache
from typing import Any, cast

from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.translation import get_language


@lru_cache(maxsize=256)
def _label(model: type[Model], field_name: str, value: object, language: str | None) -> object:
    field = cast("Field[Any, Any]", model._meta.get_field(field_name))
    choices = dict(field.flatchoices)
    return force_str(choices.get(value, value), strings_only=True)


def label_of(instance: Model, field_name: str) -> object:
    """What `instance.get_<field_name>_display()` says, in the active language."""
    return _label(type(instance), field_name, getattr(instance, field_name), get_language())
