from django import template

from events.selectors import participation_share

register = template.Library()


@register.simple_tag
def event_participation(network):
    """The share of member entities that took part in an event in the last 12 months."""
    return participation_share(network=network)
