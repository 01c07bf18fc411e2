"""The notifications decisions sends, and what each says (`members.notifications`)."""

from django.utils.translation import gettext_lazy as _

from members.notifications import NotificationKind


class DecisionNotice(NotificationKind):
    AMENDED = "proposal.amended"
    CLOSING_SOON = "proposal.closing_soon"
    VOTE_CLOSING_SOON = "proposal.vote_closing_soon"
    REVIEW_DUE = "proposal.review_due"


MESSAGES = {
    DecisionNotice.AMENDED: (
        _("“%(proposal)s” was amended: please look at your position again"),
        _(
            "The proposer changed the text of “%(proposal)s” after %(entity)s took its "
            "position. The position stands until you change it; read the new text and confirm "
            "or change it before %(closes)s."
        ),
    ),
    DecisionNotice.CLOSING_SOON: (
        _("“%(proposal)s” closes in 24 hours"),
        _(
            "%(entity)s has not taken a position on “%(proposal)s” yet. The window closes on "
            "%(closes)s: agree, stand aside or object (saying what would make it acceptable)."
        ),
    ),
    DecisionNotice.VOTE_CLOSING_SOON: (
        _("The vote on “%(proposal)s” closes in 24 hours"),
        _("%(entity)s has not voted on “%(proposal)s” yet. The vote closes on %(closes)s."),
    ),
    DecisionNotice.REVIEW_DUE: (
        _("Time to review “%(proposal)s”"),
        _(
            "The decision “%(proposal)s” was to be reviewed on %(review_on)s. Look at how it "
            "worked and, if something should change, table a new proposal."
        ),
    ),
}
