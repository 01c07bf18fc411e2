from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share, digits=1):
    """0.053 → "5.3 %" (in the reader's number format); nothing for no value."""
    if share is None or share == "":
        return "—"
    return f"{number_format(share * 100, decimal_pos=int(digits))}\u00a0%"


@register.filter
def decimal(value, digits=1):
    """A whole number as it is, any other with `digits` decimals; nothing for no value."""
    if value is None or value == "":
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return number_format(int(value))
    return number_format(value, decimal_pos=int(digits))
