"""The facilitator's pages, under /redes/<network_slug>/facilitacion/.

Every view needs a verified account and the `networks.run_network` permission
on the request's network (a facilitator of this network or a site admin), but
those the network may open to its interlocutor: the applications and their
decisions, the activity and the commissions needing attention.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import DomainError
from events.selectors import participation_share, upcoming_events
from facilitation.activity import activity_items, membership_history
from facilitation.forms import DECISIONS, InterlocutorForm, MemberFilterForm, MembershipDecisionForm
from facilitation.selectors.activity import activity_rows
from facilitation.selectors.attention import commissions_needing_attention
from facilitation.selectors.national import national_dashboard
from facilitation.selectors.overview import network_overview
from members import facilitator_selectors
from members import selectors as member_selectors
from members.decorators import network_permission_required
from members.models import MembershipStatus
from members.reach import has_networks_under
from members.services import NEEDS_REASON, assign_interlocutor, change_membership_status
from networks.models import NetworkKind
from networks.selectors import interlocutor_terms

PAGE_SIZE = 25
ACTIVITY_PAGE_SIZE = 30


facilitator_required = network_permission_required("networks.run_network")
# Pages the network may open to its interlocutor too (its governance settings decide).
reviewer_required = network_permission_required("members.review_applications")
activity_reader_required = network_permission_required("networks.view_activity")


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@facilitator_required
@require_safe
def overview(request, network_slug):
    overview = network_overview(network=request.network)
    return render(
        request,
        "facilitation/overview.html",
        {
            "network": request.network,
            "overview": overview,
            "upcoming_events": upcoming_events(network=request.network),
            "participation": participation_share(network=request.network),
            "section": "overview",
        },
    )


@reviewer_required
@require_safe
def applications(request, network_slug):
    applications = facilitator_selectors.pending_applications(network=request.network)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "facilitation/applications.html",
        {
            "network": request.network,
            "page": page,
            "section": "applications",
            "query_without_page": _query_without_page(request),
            "decisions": DECISIONS[MembershipStatus.APPLIED],
        },
    )


@facilitator_required
@require_safe
def members(request, network_slug):
    network = request.network
    platforms = member_selectors.network_platforms(network=network)
    form = MemberFilterForm(request.GET, platforms=platforms)
    filters = form.filters()
    memberships = facilitator_selectors.member_list(network=network, **filters)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    for membership in page.object_list:
        membership.decisions = DECISIONS[membership.status]
    return render(
        request,
        "facilitation/members.html",
        {
            "network": network,
            "form": form,
            "page": page,
            "section": "members",
            "filtered": any(filters.values()),
            "invalid_filters": [form[name].label for name in form.errors],
            "query_without_page": _query_without_page(request),
            "needs_reason": NEEDS_REASON,
        },
    )


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership(request, network_slug, membership_id):
    """One membership as the facilitator sees it, and the decisions taken on it."""
    network = request.network
    membership = facilitator_selectors.membership_for_facilitator(
        network=network, membership_id=membership_id
    )
    if membership is None:
        raise Http404
    if membership.status != MembershipStatus.APPLIED and not request.user.has_perm(
        "networks.run_network", network
    ):
        # The interlocutor reviews applications only; the other memberships are not theirs.
        raise PermissionDenied
    form = None
    error = None
    if request.method == "POST":
        form = MembershipDecisionForm(request.POST, membership=membership)
        if form.is_valid():
            try:
                change_membership_status(
                    membership=membership,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _("%(entity)s: the membership is now %(status)s.")
                    % {
                        "entity": membership.entity.name,
                        "status": MembershipStatus(membership.status).label.lower(),
                    },
                )
                return redirect(_next_url(request) or request.path)
        else:
            error = " ".join(form.non_field_errors()) or _(
                "This decision could not be understood. Nothing was changed."
            )
    return render(
        request,
        "facilitation/membership.html",
        {
            "network": network,
            "membership": membership,
            "decisions": DECISIONS[membership.status],
            "needs_reason": NEEDS_REASON,
            "history": membership_history(network=network, membership=membership),
            # An application under review: members that may be the same organisation.
            "similar": (
                facilitator_selectors.similar_members(membership=membership)
                if membership.status == MembershipStatus.APPLIED
                else []
            ),
            "error": error,
            "form": form,
            "section": "members",
            "next": _next_url(request),
        },
        status=400 if error else 200,
    )


def _next_url(request):
    """Where to go back after a decision: a page of this site, or nowhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@facilitator_required
@require_http_methods(["GET", "HEAD", "POST"])
def interlocutor(request, network_slug):
    network = request.network
    memberships = facilitator_selectors.active_memberships(network=network)
    form = InterlocutorForm(request.POST or None, memberships=memberships)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            interlocutor = assign_interlocutor(
                network=network,
                entity=form.cleaned_data["membership"].entity,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _("%(entity)s is now the regional interlocutor.")
                % {"entity": interlocutor.entity.name},
            )
            return redirect("facilitation:interlocutor", network_slug=network.slug)
    terms = interlocutor_terms(network=network)
    current = terms[0] if terms and terms[0].ended_at is None else None
    return render(
        request,
        "facilitation/interlocutor.html",
        {
            "network": network,
            "form": form,
            "error": error,
            "current": current,
            "terms": terms,
            "is_regional": network.kind != NetworkKind.NATIONAL,
            "section": "interlocutor",
        },
        status=400 if error or form.errors else 200,
    )


@activity_reader_required
@require_safe
def activity(request, network_slug):
    network = request.network
    page = Paginator(activity_rows(network=network), ACTIVITY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = activity_items(network=network, rows=list(page.object_list))
    return render(
        request,
        "facilitation/activity.html",
        {
            "network": network,
            "page": page,
            "items": items,
            "section": "activity",
            "query_without_page": _query_without_page(request),
        },
    )


@activity_reader_required
@require_safe
def commissions(request, network_slug):
    commissions = commissions_needing_attention(network=request.network)
    page = Paginator(commissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "facilitation/commissions.html",
        {
            "network": request.network,
            "page": page,
            "section": "commissions",
            "query_without_page": _query_without_page(request),
        },
    )


@facilitator_required
@require_safe
def regions(request, network_slug):
    """The national dashboard: the networks under this one side by side (a network without
    any has no such page)."""
    network = request.network
    if not has_networks_under(network):
        raise Http404
    return render(
        request,
        "facilitation/regions.html",
        {
            "network": network,
            "dashboard": national_dashboard(network=network),
            "section": "regions",
        },
    )
