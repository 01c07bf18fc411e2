"""Who may do what in a commission, built from the roles of `networks.rules`.

Each permission names the role an act needs, and is asked twice with the same
name: by the page or endpoint, to decide what it offers, and by the service
(through `networks.authority`), which is the last line. Neutrality is not part
of these permissions: the facilitator holds no promoter post and never speaks
for a member entity (4.2 a), and every service that acts for an entity refuses
them once, on its own line, with `refuse_facilitator`; pages and endpoints
ask the same role (`networks.rules.is_facilitator`) to offer them nothing.
"""

import rules

from commissions.selectors import standing_of
from members.rules import is_member_in_reach
from networks.rules import can_run_network


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


@rules.predicate
def is_reopenable(user, commission):
    """Closed, and no more than `REOPEN_WITHIN_DAYS` days ago in the network's calendar."""
    return commission is not None and commission.is_reopenable


# Taking part reaches the members of the networks under this one (`members.reach`):
# a member of a region proposes a commission of the national network, which may have
# no members of its own.
rules.add_perm("commissions.propose", is_member_in_reach)
rules.add_perm("commissions.join", is_open & is_member_in_reach)
rules.add_perm("commissions.follow", is_open & is_member_in_reach)
# Any member may stop following; the page says when none of its entities follows.
rules.add_perm("commissions.unfollow", is_member_in_reach)
rules.add_perm("commissions.leave", is_open & sits_in_commission)
rules.add_perm("commissions.promote", is_open & is_member_in_reach)
rules.add_perm("commissions.step_down", is_open & is_promoter)
rules.add_perm("commissions.post_update", is_open & is_promoter)
rules.add_perm("commissions.plan", is_open & is_promoter)
rules.add_perm("commissions.comment", is_open & sits_in_commission)
# Closing as completed is its promoters' act; every member and the facilitator are told.
rules.add_perm("commissions.close", is_open & is_promoter)
rules.add_perm("commissions.fill_sheet", has_promoted)
rules.add_perm("commissions.reopen", can_run_network & is_reopenable)
