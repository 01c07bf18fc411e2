"""The private calendar feed of one person: what they, or their entities, registered for.

The feed is reached by a secret address, because calendar applications cannot
log in; the person can renew the secret at any time, which revokes the old one.
It carries the link to join online of the events whose page shows it to that person.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import selectors, services
from events.ics import calendar_file
from events.models import CalendarToken
from members.decorators import verified_required


@verified_required
def my_calendar(request):
    # Reading the page makes nothing: the address is made when the person asks for one.
    token = selectors.calendar_token_of(request.user)
    return render(
        request,
        "events/my_calendar.html",
        {
            "feed_url": request.build_absolute_uri(f"{token.token}.ics") if token else "",
            "events": selectors.personal_calendar(user=request.user),
        },
    )


@verified_required
@require_POST
def renew(request):
    had_one = selectors.calendar_token_of(request.user) is not None
    services.renew_calendar_token(user=request.user)
    if had_one:
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar has a private address."))
    return redirect("calendar:mine")


def personal_feed(request, token):
    calendar_token = CalendarToken.objects.filter(token=token).select_related("user").first()
    if calendar_token is None or not calendar_token.user.is_active:
        raise Http404
    user = calendar_token.user
    events = selectors.personal_calendar(user=user)
    online = {event.pk for event in events if user.has_perm("events.view_online_link", event)}
    response = HttpResponse(
        calendar_file(events, name=_("My events"), online_link_for=online),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response
