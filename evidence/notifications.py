"""The notifications the evidence app sends, and what each says (`members.notifications`)."""

from django.utils.translation import gettext_lazy as _

from members.notifications import NotificationKind


class EvidenceNotice(NotificationKind):
    WORKED_WITH = "collaboration.worked_with"
    HELPED = "collaboration.helped"


MESSAGES = {
    EvidenceNotice.WORKED_WITH: (
        _("%(entity)s recorded that it worked with %(other)s"),
        _(
            "%(entity)s recorded in %(network)s that it worked with %(other)s on “%(what)s” "
            "(%(day)s). If it is right, please confirm it on the network's collaborations "
            "page: the network's analysis counts who works with whom."
        ),
    ),
    EvidenceNotice.HELPED: (
        _("%(entity)s recorded that %(other)s helped it"),
        _(
            "%(entity)s recorded in %(network)s that %(other)s helped it with “%(what)s” "
            "(%(day)s). If it is right, please confirm it on the network's collaborations "
            "page: the network's analysis counts who works with whom."
        ),
    ),
}
