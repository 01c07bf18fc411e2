"""The label of a field's choice, for lists of many rows (`core.choices`)."""

from django import template
from django.db.models import Model

from core.choices import label_of

register = template.Library()


@register.filter
def display(instance: Model, field_name: str) -> object:
    """What `instance.get_<field_name>_display()` says, looked up once per value and language."""
    return label_of(instance, field_name)
