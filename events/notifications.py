"""What each kind of event notification says, added to the catalogue of `members.notifications`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "event.reminder": (
        _("Reminder: %(event)s"),
        _(
            "Your entity is registered for “%(event)s”, on %(starts)s. Place or link: "
            "%(place)s. %(message)s"
        ),
    ),
    "event.moved_up": (
        _("A place opened up for you: %(event)s"),
        _(
            "Someone cancelled, and your registration for “%(event)s” (%(starts)s) moved up "
            "from the waiting list: it is now confirmed."
        ),
    ),
    "event.minutes_published": (
        _("The minutes of “%(event)s” are published"),
        _("The minutes of “%(event)s”, with its decisions and follow-up actions, can be read now."),
    ),
    "event.minutes_missing": (
        _("The minutes of “%(event)s” are still missing"),
        _(
            "“%(event)s” ended %(days)s days ago and its minutes are not published yet. Please "
            "write down its decisions and follow-up actions and publish them to the members."
        ),
    ),
}
