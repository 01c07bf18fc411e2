"""The notifications announcements sends, and what each says (`members.notifications`)."""

from django.utils.translation import gettext_lazy as _

from members.notifications import NotificationKind


class AnnouncementNotice(NotificationKind):
    TO_NETWORK = "announcement.network"
    TO_COMMISSION = "announcement.commission"
    CORRECTED = "announcement.corrected"


MESSAGES = {
    AnnouncementNotice.TO_NETWORK: (
        _("Announcement: %(title)s"),
        _("%(author)s writes to the members of %(network)s:\n\n%(text)s"),
    ),
    AnnouncementNotice.TO_COMMISSION: (
        _("“%(commission)s”: %(title)s"),
        _("%(author)s writes to the members of the commission “%(commission)s”:\n\n%(text)s"),
    ),
    AnnouncementNotice.CORRECTED: (
        _("Correction: %(title)s"),
        _("%(author)s corrected the announcement “%(title)s”, sent on %(sent)s:\n\n%(text)s"),
    ),
}
