"""Pages of the annual agenda: thin views over its selectors and services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda import selectors, services
from agenda.forms import (
    AttachForm,
    CommentForm,
    ConfirmForm,
    DraftForm,
    LineForm,
    PublishForm,
)
from agenda.models import Agenda, AgendaState
from core.errors import DomainError
from decisions.models import Proposal, ProposalState
from networks.models import Network

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _missing(request):
    """Nothing to show: a visitor may see it once signed in, anybody else sees a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _form_page(request, *, form, title, button, back, agenda=None, line=None, intro=""):
    return render(
        request,
        "agenda/form.html",
        {
            "network": request.network,
            "agenda": agenda,
            "line": line,
            "form": form,
            "title": title,
            "button": button,
            "back": back,
            "intro": intro,
        },
    )


@require_safe
def agenda_list(request, network_slug):
    """The network's annual agendas, newest first: published ones for everyone."""
    network = request.network
    return render(
        request,
        "agenda/list.html",
        {
            "network": network,
            "agendas": selectors.agendas_of(request.user, network),
            "may_run": selectors.may_run(request.user, network),
        },
    )


@GET_POST
def agenda_draft(request, network_slug):
    network = request.network
    if not selectors.may_run(request.user, network):
        return _refuse(request)
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agenda = services.draft_agenda(
                network=network,
                year=form.cleaned_data["year"],
                introduction=form.cleaned_data["introduction"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The agenda is drafted: add its lines of work."))
            return redirect(agenda.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("Draft an annual agenda"),
        button=_("Draft the agenda"),
        back=reverse("agenda:list", kwargs={"network_slug": network.slug}),
    )


@require_safe
def agenda_year(request, network_slug, year):
    network = request.network
    page = selectors.agenda_page(request.user, network=request.network, year=year)
    if page is None:
        return _missing(request)
    commenting = selectors.commenting_network_ids(request.user, network)
    comment_form = None
    if page.agenda.state == AgendaState.OPEN and commenting:
        comment_form = CommentForm(
            initial={"agenda": page.agenda.pk},
            networks=Network.objects.filter(pk__in=commenting).order_by("name"),
        )
    return render(
        request,
        "agenda/year.html",
        {
            "network": network,
            "agenda": page.agenda,
            "lines": page.lines,
            "comments": page.comments,
            "may_run": selectors.may_run(request.user, network),
            "comment_form": comment_form,
        },
    )


@GET_POST
def agenda_add_line(request, network_slug, year):
    network = request.network
    page = selectors.agenda_page(request.user, network=request.network, year=year)
    if page is None:
        return _missing(request)
    if not selectors.may_run(request.user, network):
        return _refuse(request)
    agenda = page.agenda
    form = LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(agenda=agenda, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The line of work was added."))
            return redirect(agenda.get_absolute_url())
    return _form_page(
        request,
        form=form,
        agenda=agenda,
        title=_("Add a line of work"),
        button=_("Add the line"),
        back=agenda.get_absolute_url(),
    )


@GET_POST
def agenda_advance(request, network_slug, year):
    """Open the drafted agenda for comments, or publish the open one."""
    network = request.network
    page = selectors.agenda_page(request.user, network=request.network, year=year)
    if page is None:
        return _missing(request)
    if not selectors.may_run(request.user, network):
        return _refuse(request)
    agenda = page.agenda
    back = agenda.get_absolute_url()
    if agenda.state == AgendaState.PUBLISHED:
        return _form_page(
            request,
            form=None,
            agenda=agenda,
            title=_("The agenda is published"),
            button="",
            back=back,
            intro=_("There is nothing left to do: its lines are open to the commissions."),
        )
    if agenda.state == AgendaState.DRAFTED:
        form = ConfirmForm(request.POST or None)
        title, button = _("Open the agenda for comments"), _("Open it for comments")
        intro = _(
            "The facilitators and interlocutors of the networks under %(network)s will read "
            "it and may comment in the name of their network."
        ) % {"network": network.name}
    else:
        proposals = Proposal.objects.filter(state=ProposalState.ADOPTED).order_by("-decided_at")
        form = PublishForm(request.POST or None, proposals=proposals)
        title, button = _("Publish the agenda"), _("Publish it")
        intro = _(
            "Once published, everyone sees it, and the commissions of the network and of the "
            "networks under it attach themselves to its lines."
        )
    if request.method == "POST" and form.is_valid():
        try:
            if agenda.state == AgendaState.DRAFTED:
                services.open_for_comments(agenda=agenda, by=request.user)
                messages.success(request, _("The agenda is open for comments."))
            else:
                services.publish(
                    agenda=agenda, by=request.user, proposal=form.cleaned_data.get("proposal")
                )
                messages.success(request, _("The agenda is published."))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect(agenda.get_absolute_url())
    return _form_page(
        request, form=form, agenda=agenda, title=title, button=button, back=back, intro=intro
    )


@require_POST
def agenda_comment(request, network_slug):
    """A comment of a network under this one; the form is on the agenda's page."""
    network = request.network
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    commenting = selectors.commenting_network_ids(request.user, network)
    if not commenting:
        raise PermissionDenied
    form = CommentForm(
        request.POST, networks=Network.objects.filter(pk__in=commenting).order_by("name")
    )
    if not form.is_valid():
        messages.error(request, _("Choose the network and write the comment."))
        return redirect("agenda:list", network_slug=network.slug)
    agenda = Agenda.objects.filter(pk=form.cleaned_data["agenda"], network=network).first()
    if agenda is None:
        raise Http404
    agenda.network = network
    try:
        services.comment(
            agenda=agenda,
            by=request.user,
            network=form.cleaned_data["network"],
            text=form.cleaned_data["text"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your comment was added."))
    return redirect(agenda.get_absolute_url())


@require_safe
def line_detail(request, network_slug, year, line_id):
    line = selectors.get_line(request.user, network=request.network, year=year, line_id=line_id)
    if line is None:
        return _missing(request)
    rows = selectors.commissions_on_line(line)
    return render(
        request,
        "agenda/line.html",
        {
            "network": request.network,
            "agenda": line.agenda,
            "line": line,
            "rows": rows,
            "regions": len({row.region.pk for row in rows}),
            "may_attach": selectors.attachable_commissions(request.user, line).exists(),
        },
    )


@GET_POST
def line_attach(request, network_slug, year, line_id):
    line = selectors.get_line(request.user, network=request.network, year=year, line_id=line_id)
    if line is None:
        return _missing(request)
    if not request.user.is_authenticated:
        return _refuse(request)
    commissions = selectors.attachable_commissions(request.user, line)
    if not commissions.exists():
        raise PermissionDenied
    form = AttachForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach(line=line, commission=form.cleaned_data["commission"], by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The commission works on this line now."))
            return redirect(line.get_absolute_url())
    return _form_page(
        request,
        form=form,
        agenda=line.agenda,
        line=line,
        title=_("Attach a commission to this line"),
        button=_("Attach it"),
        back=line.get_absolute_url(),
        intro=_(
            "A commission of %(network)s or of a network under it that works on this line; "
            "its promoters or the facilitator of its network attach it."
        )
        % {"network": request.network.name},
    )
