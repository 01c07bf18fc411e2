"""Pages of announcements: thin views over its selectors and services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from announcements import selectors, services
from announcements.forms import NETWORK, AnnouncementForm, CorrectionForm, commission_audience
from core.errors import DomainError
from members.rules import entity_roles
from networks.rules import is_facilitator

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _members_may_read(request):
    return request.user.has_perm("announcements.read", request.network)


def _audiences(request):
    """(value, label, commission, entity) of everyone this person may write to here."""
    network = request.network
    audiences = []
    if request.user.has_perm("announcements.announce", network):
        audiences.append((NETWORK, _("Every member of %(network)s") % {"network": network.name}))
    roles = entity_roles(request.user)
    promoted = {}
    if roles is not None and not is_facilitator(request.user, network):
        for commission, entity in selectors.promoted_commissions(
            network=network, entity_ids=roles.entities_in(network.pk)
        ):
            value = commission_audience(commission, entity)
            promoted[value] = (commission, entity)
            audiences.append(
                (
                    value,
                    _("The members of the commission “%(commission)s”, as %(entity)s")
                    % {"commission": commission.name, "entity": entity.name},
                )
            )
    return audiences, promoted


def _may_correct(request, announcement):
    user = request.user
    return user.is_authenticated and (
        announcement.author_id == user.pk or user.has_perm("networks.run_network", request.network)
    )


@require_safe
def announcement_list(request, network_slug):
    """What the network was told, newest first; visitors see what was published as news."""
    network = request.network
    page = Paginator(
        selectors.announcements(network=network, members_may_read=_members_may_read(request)),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    audiences, _promoted = _audiences(request) if request.user.is_authenticated else ([], {})
    return render(
        request,
        "announcements/list.html",
        {"network": network, "page": page, "may_announce": bool(audiences)},
    )


@require_safe
def announcement_detail(request, network_slug, announcement_id):
    announcement = selectors.get_announcement(
        network=request.network,
        announcement_id=announcement_id,
        members_may_read=_members_may_read(request),
    )
    if announcement is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return render(
        request,
        "announcements/detail.html",
        {
            "network": request.network,
            "announcement": announcement,
            "may_correct": _may_correct(request, announcement),
        },
    )


@GET_POST
def announcement_create(request, network_slug):
    network = request.network
    if not request.user.is_authenticated:
        return _refuse(request)
    audiences, promoted = _audiences(request)
    if not audiences:
        return _refuse(request)
    form = AnnouncementForm(request.POST or None, audiences=audiences)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["audience"] == NETWORK:
                announcement = services.announce(
                    network=network,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    public=data["public"],
                )
            else:
                commission, entity = promoted[data["audience"]]
                announcement = services.announce_to_commission(
                    commission=commission,
                    entity=entity,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The announcement was sent."))
            return redirect(announcement.get_absolute_url())
    return render(
        request,
        "announcements/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Write an announcement"),
            "button": _("Send the announcement"),
        },
    )


@GET_POST
def announcement_correct(request, network_slug, announcement_id):
    announcement = selectors.get_announcement(
        network=request.network,
        announcement_id=announcement_id,
        members_may_read=_members_may_read(request),
    )
    if announcement is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if not _may_correct(request, announcement):
        return _refuse(request)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct(
                announcement=announcement, by=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The correction was sent."))
            return redirect(announcement.get_absolute_url())
    return render(
        request,
        "announcements/form.html",
        {
            "network": request.network,
            "announcement": announcement,
            "form": form,
            "title": _("Correct the announcement"),
            "button": _("Send the correction"),
        },
    )
