"""The notifications commissions sends, and what each says (`members.notifications`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from members.notifications import NotificationKind


class CommissionNotice(NotificationKind):
    STALLED = "commission.stalled"
    VACANT = "commission.vacant"
    CALL_FOR_PROMOTERS = "commission.call_for_promoters"
    VACANCY_REMINDER = "commission.vacancy_reminder"
    CLOSED = "commission.closed"
    COMPLETED = "commission.completed"
    REOPENED = "commission.reopened"
    ACTION_OVERDUE = "action.overdue"
    QUIET = "commission.quiet"
    YEARLY_SHEET = "commission.yearly_sheet"
    PROMOTER_TERM_CONTINUE = "promoter_term.continue"
    PROPOSED = "commission.proposed"
    UPDATE_POSTED = "commission.update_posted"


# Good to know, never urgent: in the weekly digest unless a person turned mail off.
DIGEST = [CommissionNotice.PROPOSED]


MESSAGES = {
    CommissionNotice.PROPOSED: (
        _("A new commission: “%(commission)s”"),
        _(
            "%(entity)s proposed the commission “%(commission)s” and promotes it. Its purpose: "
            "%(purpose)s Any member entity can join it, or follow it without joining."
        ),
    ),
    CommissionNotice.UPDATE_POSTED: (
        _("Progress in “%(commission)s”"),
        _("%(entity)s, a promoter of “%(commission)s”, posted a progress update:\n\n%(text)s"),
    ),
    CommissionNotice.STALLED: (
        _("The commission “%(commission)s” has stalled"),
        ngettext_lazy(
            "Nothing has been posted and no action has changed in “%(commission)s” for "
            "%(days)s day. As facilitator, please invite its members or other entities to "
            "take it up again.",
            "Nothing has been posted and no action has changed in “%(commission)s” for "
            "%(days)s days. As facilitator, please invite its members or other entities to "
            "take it up again.",
            "days",
        ),
    ),
    CommissionNotice.VACANT: (
        _("The commission “%(commission)s” has no promoter"),
        _(
            "The last promoter of “%(commission)s” stepped down. Please invite other entities "
            "to act as promoters: if nobody steps up by %(closes_on)s, the commission will close "
            "by itself."
        ),
    ),
    CommissionNotice.CALL_FOR_PROMOTERS: (
        _("“%(commission)s” needs a promoter"),
        _(
            "The commission “%(commission)s”, where your entity sits, has no promoter. Any "
            "member entity may step up. If nobody does by %(closes_on)s, the commission will "
            "close by itself."
        ),
    ),
    CommissionNotice.VACANCY_REMINDER: (
        ngettext_lazy(
            "“%(commission)s” closes in %(days_left)s day without a promoter",
            "“%(commission)s” closes in %(days_left)s days without a promoter",
            "days_left",
        ),
        _(
            "The commission “%(commission)s” still has no promoter. It will close by itself on "
            "%(closes_on)s unless an entity steps up."
        ),
    ),
    CommissionNotice.CLOSED: (
        _("The commission “%(commission)s” has closed"),
        _(
            "“%(commission)s” closed on %(closed_on)s because no entity stepped up as its "
            "promoter. Its work stays in the archive, where its last promoters can fill in "
            "the closing sheet."
        ),
    ),
    CommissionNotice.COMPLETED: (
        _("The commission “%(commission)s” was closed as completed"),
        _(
            "%(entity)s, a promoter of “%(commission)s”, closed it as completed on "
            "%(closed_on)s, with this note: “%(note)s”. Its work stays in the archive, where "
            "its promoters fill in the closing sheet. If it was closed by mistake, the "
            "facilitator can reopen it until %(reopen_until)s."
        ),
    ),
    CommissionNotice.REOPENED: (
        _("The commission “%(commission)s” is open again"),
        _(
            "The facilitator reopened “%(commission)s”, closed on %(closed_on)s, with this "
            "reason: “%(reason)s”. Its work plan and record are as they were, and its "
            "promoters can take up the work again."
        ),
    ),
    CommissionNotice.ACTION_OVERDUE: (
        _("An action of “%(commission)s” is overdue"),
        _(
            "The action “%(action)s”, for which your entity is responsible, was due on "
            "%(due_on)s. Please update its status or post the progress made."
        ),
    ),
    CommissionNotice.QUIET: (
        _("No news from “%(commission)s” for two weeks"),
        _(
            "Nothing has been posted in “%(commission)s” since %(last_activity_on)s. A short "
            "progress update keeps the other members informed."
        ),
    ),
    CommissionNotice.YEARLY_SHEET: (
        _("Time for the yearly evaluation of “%(commission)s”"),
        _(
            "“%(commission)s” has been working for more than a year. Please fill in its sheet "
            "for %(year)s: participants, objectives, methodology, activities, results and "
            "evaluation."
        ),
    ),
    CommissionNotice.PROMOTER_TERM_CONTINUE: (
        _("Do you wish to go on promoting “%(commission)s”?"),
        _(
            "Your entity has promoted “%(commission)s” since %(since)s. Roles rotate in the "
            "network: please confirm that you wish to continue, or step down so that another "
            "entity can take over."
        ),
    ),
}
