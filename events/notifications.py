"""The notifications events sends, and what each says (registered with `members.notifications`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from members.notifications import NotificationKind


class EventNotice(NotificationKind):
    REMINDER = "event.reminder"
    MOVED_UP = "event.moved_up"
    MINUTES_PUBLISHED = "event.minutes_published"
    MINUTES_MISSING = "event.minutes_missing"
    ANNOUNCED = "event.announced"
    CHANGED = "event.changed"
    CANCELLED = "event.cancelled"


MESSAGES = {
    EventNotice.ANNOUNCED: (
        _("New event: %(event)s"),
        _(
            "“%(event)s” is announced for %(starts)s. Place or link: %(place)s. Its page says "
            "what it is about and how to register."
        ),
    ),
    EventNotice.CHANGED: (
        _("Changed: %(event)s is now on %(starts)s"),
        _(
            "“%(event)s”, where you or your entity are registered, changed: it is now on "
            "%(starts)s. Place or link: %(place)s. The calendar entry attached replaces the "
            "one you have."
        ),
    ),
    EventNotice.CANCELLED: (
        _("Cancelled: %(event)s"),
        _(
            "“%(event)s”, planned for %(starts)s, where you or your entity are registered, was "
            "cancelled. Reason given: “%(reason)s”. The calendar entry attached removes it "
            "from your calendar."
        ),
    ),
    EventNotice.REMINDER: (
        _("Reminder: %(event)s"),
        _(
            "Your entity is registered for “%(event)s”, on %(starts)s. Place or link: "
            "%(place)s. %(message)s"
        ),
    ),
    EventNotice.MOVED_UP: (
        _("A place opened up for you: %(event)s"),
        _(
            "Someone cancelled, and your registration for “%(event)s” (%(starts)s) moved up "
            "from the waiting list: it is now confirmed."
        ),
    ),
    EventNotice.MINUTES_PUBLISHED: (
        _("The minutes of “%(event)s” are published"),
        _("The minutes of “%(event)s”, with its decisions and follow-up actions, can be read now."),
    ),
    EventNotice.MINUTES_MISSING: (
        _("The minutes of “%(event)s” are still missing"),
        ngettext_lazy(
            "“%(event)s” ended %(days)s day ago and its minutes are not published yet. Please "
            "write down its decisions and follow-up actions and publish them to the members.",
            "“%(event)s” ended %(days)s days ago and its minutes are not published yet. Please "
            "write down its decisions and follow-up actions and publish them to the members.",
            "days",
        ),
    ),
}
