"""Who may do what in a commission, built from the roles of `networks.rules`.

These decide which forms a page shows and which requests a view lets
through; the services still check every rule of the model (an entity that
already promotes, the promoter limit, a closed commission) and say why.
The facilitator sees everything but holds no promoter post (4.2 a): the
permissions that would make them a promoter are refused to them.
"""

import rules

from commissions.selectors import standing_of
from networks.rules import is_facilitator, is_member


@rules.predicate
def is_open(user, commission):
    return commission is not None and commission.is_open


@rules.predicate
def sits_in_commission(user, commission):
    """Acts for an entity that sits in this commission."""
    return commission is not None and bool(standing_of(user, commission).sitting)


@rules.predicate
def is_promoter(user, commission):
    """Acts for an entity that promotes this commission today."""
    return commission is not None and bool(standing_of(user, commission).promoting)


@rules.predicate
def has_promoted(user, commission):
    """Acts for an entity that promotes, or once promoted, this commission."""
    return commission is not None and bool(standing_of(user, commission).ever_promoted)


neutral_member = is_member & ~is_facilitator

rules.add_perm("commissions.propose", neutral_member)
rules.add_perm("commissions.join", is_open & is_member)
rules.add_perm("commissions.leave", is_open & sits_in_commission)
rules.add_perm("commissions.promote", is_open & neutral_member)
rules.add_perm("commissions.step_down", is_open & is_promoter)
rules.add_perm("commissions.post_update", is_open & is_promoter)
rules.add_perm("commissions.plan", is_open & is_promoter)
rules.add_perm("commissions.comment", is_open & sits_in_commission)
rules.add_perm("commissions.close", is_open & sits_in_commission)
rules.add_perm("commissions.fill_sheet", has_promoted)
