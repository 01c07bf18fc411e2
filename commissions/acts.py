"""What an entity does in a commission, defined once for its page and its API endpoint."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from commissions import forms, selectors, services
from commissions.models import Commission
from core.errors import DomainError
from networks.acts import Act


def _not_sitting(user: Any, commission: Commission) -> frozenset[int]:
    standing = selectors.standing_of(user, commission)
    return standing.entity_ids - standing.sitting


def _may_follow(user: Any, commission: Commission) -> frozenset[int]:
    not_sitting = _not_sitting(user, commission)
    return not_sitting - selectors.following(commission=commission, entity_ids=not_sitting)


def _following(user: Any, commission: Commission) -> frozenset[int]:
    standing = selectors.standing_of(user, commission)
    return frozenset(selectors.following(commission=commission, entity_ids=standing.entity_ids))


def _sitting(user: Any, commission: Commission) -> frozenset[int]:
    return selectors.standing_of(user, commission).sitting


def _not_promoting(user: Any, commission: Commission) -> frozenset[int]:
    standing = selectors.standing_of(user, commission)
    return standing.entity_ids - standing.promoting


def _promoting(user: Any, commission: Commission) -> frozenset[int]:
    return selectors.standing_of(user, commission).promoting


def _step_down(commission: Commission, data: dict, *, by: Any) -> Any:
    term = selectors.open_term(commission=commission, entity=data["entity"])
    if term is None:
        raise DomainError(_("This promoter term has already ended."))
    return services.step_down_as_promoter(term=term, by=by, reason=data["reason"])


JOIN = Act[Commission](
    permission="commissions.join",
    entity_ids=_not_sitting,
    form_class=forms.EntityOnlyForm,
    perform=lambda commission, data, *, by: services.join_commission(
        commission=commission, entity=data["entity"], by=by
    ),
    success=_("Your entity now sits in the commission."),
)

FOLLOW = Act[Commission](
    permission="commissions.follow",
    entity_ids=_may_follow,
    form_class=forms.EntityOnlyForm,
    perform=lambda commission, data, *, by: services.follow_commission(
        commission=commission, entity=data["entity"], by=by
    ),
    success=_("Your entity follows the commission: it will hear of its progress."),
)

UNFOLLOW = Act[Commission](
    permission="commissions.unfollow",
    entity_ids=_following,
    form_class=forms.EntityOnlyForm,
    perform=lambda commission, data, *, by: services.unfollow_commission(
        commission=commission, entity=data["entity"], by=by
    ),
    success=_("Your entity no longer follows the commission."),
)

LEAVE = Act[Commission](
    permission="commissions.leave",
    entity_ids=_sitting,
    form_class=forms.EntityOnlyForm,
    perform=lambda commission, data, *, by: services.leave_commission(
        commission=commission, entity=data["entity"], by=by
    ),
    success=_("Your entity left the commission."),
)

STEP_UP = Act[Commission](
    permission="commissions.promote",
    entity_ids=_not_promoting,
    form_class=forms.EntityOnlyForm,
    perform=lambda commission, data, *, by: services.step_up_as_promoter(
        commission=commission, entity=data["entity"], by=by
    ),
    success=_("Your entity now promotes the commission."),
)

STEP_DOWN = Act[Commission](
    permission="commissions.step_down",
    entity_ids=_promoting,
    form_class=forms.StepDownForm,
    perform=_step_down,
    success=_("Your entity stepped down as promoter. Thank you for the work done."),
)

POST_UPDATE = Act[Commission](
    permission="commissions.post_update",
    entity_ids=_promoting,
    form_class=forms.ProgressUpdateForm,
    form_extra=lambda commission: {"actions": selectors.actions_of(commission)},
    perform=lambda commission, data, *, by: services.post_progress_update(
        commission=commission,
        entity=data["entity"],
        by=by,
        text=data["text"],
        image=data["image"],
        attachment=data["attachment"],
        actions=data["actions"],
    ),
    success=_("Your progress update is on the commission's timeline."),
)

# The update commented on comes with the data: the permission is the commission's.
COMMENT = Act[Commission](
    permission="commissions.comment",
    entity_ids=_sitting,
    form_class=forms.CommentForm,
    perform=lambda commission, data, *, by: services.comment_on_update(
        update=data["update"], entity=data["entity"], by=by, text=data["text"]
    ),
    success=_("Your comment is published."),
)

CLOSE = Act[Commission](
    permission="commissions.close",
    entity_ids=_promoting,
    form_class=forms.CloseForm,
    perform=lambda commission, data, *, by: services.close_as_completed(
        commission=commission, entity=data["entity"], by=by, note=data["note"]
    ),
    success=_("The commission is closed. Its record stays visible in the archive."),
)
