"""Pages of proposals: thin views over `decisions.selectors` and `decisions.services`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commissions.models import Commission
from core.errors import DomainError
from decisions import selectors, services
from decisions.forms import (
    AmendForm,
    CarryForm,
    GovernanceForm,
    OpenVoteForm,
    PositionForm,
    ProposalForm,
    ReviewForm,
    VoteForm,
    upcoming_events,
)
from decisions.models import ProposalState
from events.forms import member_entities
from members.decorators import verified_required
from members.rules import entity_roles
from networks.models import INTERLOCUTOR_POWERS
from networks.services import set_interlocutor_powers

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _my_entities(request):
    roles = entity_roles(request.user)
    ids = roles.entities_in(request.network.pk) if roles else set()
    return member_entities(request.network).filter(pk__in=ids)


def _held_position(positions) -> dict:
    """The position form starts from the position the person's entity holds, if it holds one."""
    for position in positions:
        return {"entity": position.entity_id, "stance": position.stance, "note": position.note}
    return {}


def _held_vote(votes) -> dict:
    for vote in votes:
        return {"entity": vote.entity_id, "choice": vote.choice}
    return {}


def _proposal(request, proposal_id, permission="decisions.view_proposals"):
    proposal = selectors.get_proposal(network=request.network, proposal_id=proposal_id)
    if proposal is None:
        raise Http404
    target = request.network if permission == "decisions.view_proposals" else proposal
    if not request.user.has_perm("decisions.view_proposals", request.network):
        return proposal, _refuse(request)
    if not request.user.has_perm(permission, target):
        return proposal, _refuse(request)
    return proposal, None


@require_safe
def proposal_list(request, network_slug, commission_id=None):
    network = request.network
    if not request.user.has_perm("decisions.view_proposals", network):
        return _refuse(request)
    commission = None
    if commission_id is not None:
        commission = Commission.objects.filter(pk=commission_id).first()
        if commission is None:
            raise Http404
    status = request.GET.get("estado", "")
    if status not in selectors.LIST_FILTERS:
        status = ""
    return render(
        request,
        "decisions/list.html",
        {
            "network": network,
            "commission": commission,
            "status": status,
            "filters": [
                ("", _("All")),
                ("open", _("Open")),
                ("closed", _("Closed")),
                ("adopted", _("Adopted")),
                ("not_adopted", _("Not adopted")),
            ],
            "proposals": selectors.proposals(network=network, commission=commission, status=status),
            "can_table": request.user.has_perm("decisions.table_proposal", network),
            "can_change_governance": request.user.has_perm("decisions.change_governance", network),
        },
    )


@verified_required
@GET_POST
def governance(request, network_slug):
    network = request.network
    if not request.user.has_perm("decisions.change_governance", network):
        return _refuse(request)
    current = services.governance_of(network)
    form = GovernanceForm(
        request.POST or None,
        initial={name: getattr(current, name) for name in services.GOVERNANCE_FIELDS}
        | {name: getattr(network, name) for name in INTERLOCUTOR_POWERS},
    )
    if request.method == "POST" and form.is_valid():
        rules_of_decision = dict(form.cleaned_data)
        powers = {name: rules_of_decision.pop(name) for name in INTERLOCUTOR_POWERS}
        try:
            with transaction.atomic():
                services.update_governance(network=network, by=request.user, **rules_of_decision)
                set_interlocutor_powers(network=network, by=request.user, **powers)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Saved. Proposals already open keep the rules they opened with."),
            )
            return redirect("decisions:list", network_slug=network.slug)
    return render(
        request,
        "decisions/form.html",
        {
            "network": network,
            "form": form,
            "title": _("How the network decides"),
            "intro": _(
                "Each proposal takes these rules when it opens and keeps them: changing them "
                "here changes no proposal already open."
            ),
            "button": _("Save"),
        },
    )


@require_safe
def proposal_detail(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id)
    if refusal:
        return refusal
    user = request.user
    page = selectors.proposal_page(proposal=proposal, user=user)
    mine = _my_entities(request)
    context = {
        "network": request.network,
        "proposal": proposal,
        "page": page,
        "can_amend": proposal.state in (ProposalState.DRAFT, ProposalState.OPEN)
        and user.has_perm("decisions.amend_proposal", proposal),
        "can_withdraw": not proposal.is_closed
        and user.has_perm("decisions.withdraw_proposal", proposal),
        "can_open_vote": proposal.state in (ProposalState.OPEN, ProposalState.OBJECTED)
        and proposal.rule == "consent_then_vote"
        and bool(page["objections"])
        and user.has_perm("decisions.open_vote", proposal),
        "can_record": proposal.state in (ProposalState.OPEN, ProposalState.VOTING)
        and proposal.agenda_item_id is not None
        and proposal.agenda_item.event.starts_at <= timezone.now()
        and user.has_perm("decisions.record_in_plenary", proposal),
        "can_review": proposal.is_decided and user.has_perm("decisions.set_review_date", proposal),
        "closing": selectors.local_moment(proposal.closes_at, proposal.network),
    }
    speaks = user.has_perm("decisions.take_position", proposal)
    now = timezone.now()
    if speaks and proposal.state == ProposalState.OPEN and proposal.closes_at > now:
        context["position_form"] = PositionForm(
            initial=_held_position(page["my_positions"]), entities=mine
        )
    if speaks and proposal.state == ProposalState.VOTING and proposal.vote_closes_at > now:
        context["vote_form"] = VoteForm(initial=_held_vote(page["my_votes"]), entities=mine)
    return render(request, "decisions/detail.html", context)


@verified_required
@GET_POST
def proposal_create(request, network_slug):
    network = request.network
    if not request.user.has_perm("decisions.table_proposal", network):
        return _refuse(request)
    commission = None
    if request.GET.get("comision", "").isdigit():
        commission = Commission.objects.filter(pk=request.GET["comision"]).first()
    with timezone.override(network.zone):
        initial = {}
        if request.GET.get("evento", "").isdigit():
            initial["event"] = request.GET["evento"]
        form = ProposalForm(
            request.POST or None,
            initial=initial,
            entities=_my_entities(request),
            events=upcoming_events(network, timezone.now()),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.table_proposal(
                    network=network,
                    entity=data["entity"],
                    by=request.user,
                    title=data["title"],
                    text=data["text"],
                    closes_at=data["closes_at"],
                    commission=commission,
                    event=data["event"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The proposal was tabled."))
                return redirect(proposal.get_absolute_url())
        return render(
            request,
            "decisions/form.html",
            {
                "network": network,
                "form": form,
                "commission": commission,
                "title": _("Table a proposal"),
                "button": _("Table the proposal"),
            },
        )


def _act(request, proposal, form, call, success, template_title, button):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "decisions/form.html",
        {
            "network": request.network,
            "proposal": proposal,
            "form": form,
            "title": template_title,
            "button": button,
        },
    )


@verified_required
@GET_POST
def take_position(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.take_position")
    if refusal:
        return refusal
    mine = _my_entities(request)
    form = PositionForm(
        request.POST or None,
        initial=_held_position(selectors.held_positions(proposal=proposal, entities=mine)),
        entities=mine,
    )

    def call(data):
        services.take_position(
            proposal=proposal,
            entity=data["entity"],
            stance=data["stance"],
            note=data["note"],
            by=request.user,
        )

    return _act(
        request,
        proposal,
        form,
        call,
        _("Your entity's position was recorded."),
        _("Take a position"),
        _("Record the position"),
    )


@verified_required
@GET_POST
def cast_vote(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.take_position")
    if refusal:
        return refusal
    mine = _my_entities(request)
    form = VoteForm(
        request.POST or None,
        initial=_held_vote(selectors.held_votes(proposal=proposal, entities=mine)),
        entities=mine,
    )

    def call(data):
        services.cast_vote(
            proposal=proposal, entity=data["entity"], choice=data["choice"], by=request.user
        )

    return _act(
        request, proposal, form, call, _("Your entity's vote was recorded."), _("Vote"), _("Vote")
    )


@verified_required
@GET_POST
def record_in_plenary(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.record_in_plenary")
    if refusal:
        return refusal
    entities = member_entities(request.network)
    if proposal.state == ProposalState.VOTING:
        form = VoteForm(request.POST or None, entities=entities)

        def call(data):
            services.record_vote_in_plenary(
                proposal=proposal, entity=data["entity"], choice=data["choice"], by=request.user
            )

    else:
        form = PositionForm(request.POST or None, entities=entities)

        def call(data):
            services.record_position_in_plenary(
                proposal=proposal,
                entity=data["entity"],
                stance=data["stance"],
                note=data["note"],
                by=request.user,
            )

    return _act(
        request,
        proposal,
        form,
        call,
        _("Recorded as stated in the plenary."),
        _("Record what an entity states in the plenary"),
        _("Record"),
    )


@verified_required
@GET_POST
def amend(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.amend_proposal")
    if refusal:
        return refusal
    form = AmendForm(request.POST or None, initial={"text": proposal.text})

    def call(data):
        services.amend_proposal(
            proposal=proposal, by=request.user, text=data["text"], note=data["note"]
        )

    return _act(
        request,
        proposal,
        form,
        call,
        _("The proposal was amended; entities that had taken a position were told."),
        _("Amend the proposal"),
        _("Save the new text"),
    )


@verified_required
@GET_POST
def open_vote(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.open_vote")
    if refusal:
        return refusal
    with timezone.override(request.network.zone):
        form = OpenVoteForm(request.POST or None)

        def call(data):
            services.open_vote(proposal=proposal, by=request.user, closes_at=data["closes_at"])

        return _act(
            request,
            proposal,
            form,
            call,
            _("The proposal was put to the vote."),
            _("Put the proposal to the vote"),
            _("Open the vote"),
        )


@verified_required
@GET_POST
def review_date(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.set_review_date")
    if refusal:
        return refusal
    form = ReviewForm(request.POST or None, initial={"review_on": proposal.review_on})

    def call(data):
        services.set_review_date(proposal=proposal, by=request.user, review_on=data["review_on"])

    return _act(
        request,
        proposal,
        form,
        call,
        _("The review date was saved."),
        _("When to review this decision"),
        _("Save"),
    )


@verified_required
@GET_POST
def withdraw(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id, "decisions.withdraw_proposal")
    if refusal:
        return refusal

    def call(data):
        services.withdraw_proposal(proposal=proposal, by=request.user)

    return _act(
        request,
        proposal,
        forms.Form(request.POST if request.method == "POST" else None),
        call,
        _("The proposal was withdrawn."),
        _("Withdraw the proposal"),
        _("Withdraw it"),
    )


@verified_required
@GET_POST
def carry_into_minutes(request, network_slug, proposal_id):
    proposal, refusal = _proposal(request, proposal_id)
    if refusal:
        return refusal
    event = proposal.agenda_item.event if proposal.agenda_item_id else None
    if event is None or not request.user.has_perm("events.manage_event", event):
        return _refuse(request)
    form = CarryForm(request.POST or None, network=request.network)

    def call(data):
        services.carry_into_minutes(
            proposal=proposal,
            by=request.user,
            commission=data["commission"],
            follow_up=data["follow_up"],
        )

    return _act(
        request,
        proposal,
        form,
        call,
        _("The decision was added to the minutes."),
        _("Add it to the decisions of the minutes"),
        _("Add to the minutes"),
    )
