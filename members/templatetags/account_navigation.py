"""The account part of the site header: two queries for a logged-in person, none otherwise."""

from django import template
from django.urls import NoReverseMatch, reverse

from members.notifications import unread_count
from networks.models import Facilitator

register = template.Library()


def _path(name, default, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return default


@register.inclusion_tag("includes/account_navigation.html", takes_context=True)
def account_navigation(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"authenticated": False, "request": request}
    facilitated = (
        Facilitator.objects.with_scopes_disabled()
        .filter(user=user, ended_on__isnull=True)
        .order_by("network__name")
        .values_list("network__slug", "network__name")
    )
    return {
        "authenticated": True,
        "request": request,
        "workspace_url": _path("members:workspace", "/mi-red/"),
        "unread": unread_count(user),
        "facilitated": [
            {
                "name": name,
                "url": _path(
                    "workspace:overview", f"/redes/{slug}/facilitacion/", network_slug=slug
                ),
            }
            for slug, name in facilitated
        ],
    }
