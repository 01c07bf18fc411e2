from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.errors import DomainError
from members import selectors, services
from members.decorators import verified_required
from members.forms import (
    ApplicationForm,
    CharterAcceptanceForm,
    DirectoryFilterForm,
    EntityProfileForm,
    EntityRegistrationForm,
    PersonForm,
)
from members.models import Entity, Invitation, InvitationRole, Membership
from networks.models import Network
from networks.selectors import current_charter

DIRECTORY_PAGE_SIZE = 24


@require_safe
def directory(request, network_slug):
    network = request.network
    regions = selectors.regions_under(network=network)
    form = DirectoryFilterForm(
        request.GET,
        platforms=selectors.network_platforms(network=network),
        areas=selectors.priority_areas(),
        regions=regions,
    )
    filters = form.filters()
    memberships = selectors.directory(network=network, **filters)
    # get_page turns a missing, malformed or out-of-range number into the first or last page.
    page = Paginator(memberships, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.label_regions(page.object_list, network=network)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {
            "network": network,
            "regions": regions,
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "invalid_filters": [form[name].label for name in form.errors],
            "query_without_page": query_without_page.urlencode(),
        },
    )


@require_safe
def entity_profile(request, network_slug, entity_slug):
    profile = selectors.entity_profile(network=request.network, entity_slug=entity_slug)
    if profile is None:
        raise Http404
    return render(request, "members/entity.html", {"network": request.network, "profile": profile})


# Registration, applications and the entity's workspace --------------------------


def _form_error(form, error):
    form.add_error(None, error.message)


@verified_required
def register_entity(request):
    if not request.user.has_perm("members.register_entity"):
        raise PermissionDenied
    initial_network = Network.objects.filter(slug=request.GET.get("red", "")).first()
    form = EntityRegistrationForm(
        request.POST or None,
        initial={"network": initial_network, "name": request.GET.get("nombre")},
    )
    similar = []
    if request.method == "POST":
        similar = selectors.similar_entities(request.POST.get("name", ""))
        if form.is_valid():
            try:
                entity = services.register_entity(
                    by=request.user,
                    not_a_duplicate=form.cleaned_data["not_a_duplicate"],
                    **form.profile_fields(),
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("%(entity)s is registered.") % {"entity": entity.name})
                network = form.cleaned_data["network"]
                if network is not None:
                    url = reverse("members:apply", kwargs={"network_slug": network.slug})
                    return redirect(f"{url}?{urlencode({'entidad': entity.slug})}")
                return redirect("workspace:home")
    return render(request, "members/register_entity.html", {"form": form, "similar": similar})


@login_required
def similar_entities(request):
    """The "may already be here" list, refreshed while the name is typed."""
    name = request.GET.get("name", "")[:200]
    return render(
        request,
        "members/includes/similar_entities.html",
        {"similar": selectors.similar_entities(name), "checked": bool(name.strip())},
    )


@verified_required
def apply(request, network_slug):
    network = request.network
    if not request.user.has_perm("members.apply", network):
        # A verified person refused here facilitates the network: say why (section 4.2 a).
        return render(
            request, "members/apply.html", {"network": network, "neutral": True}, status=403
        )
    entities = selectors.entities_represented_by(request.user)
    charter = current_charter(network)
    commissions = (
        selectors.open_commissions(network=network) if network.commission_on_joining else []
    )
    chosen = next(
        (entity for entity in entities if entity.slug == request.GET.get("entidad")), None
    )
    form = ApplicationForm(
        request.POST or None,
        initial={
            "entity": chosen.pk if chosen else None,
            "charter_version": getattr(charter, "pk", None),
        },
        entities=entities,
        platforms=selectors.network_platforms(network=network),
        commissions=commissions,
        ask_commission=network.commission_on_joining,
    )
    if request.method == "POST" and entities and form.is_valid():
        arguments = form.service_arguments()
        read = (
            charter if charter and form.cleaned_data["charter_version"] == str(charter.pk) else None
        )
        try:
            membership = services.apply_for_membership(
                network=network, by=request.user, charter_version=read, **arguments
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if membership.is_active:
                text = _("Welcome: %(entity)s is now a member of %(network)s.")
            else:
                text = _(
                    "%(entity)s has applied to %(network)s. A facilitator will review the "
                    "application; you will be told of the decision."
                )
            messages.success(request, text % {"entity": membership.entity, "network": network})
            return redirect("workspace:home")
    return render(
        request,
        "members/apply.html",
        {
            "network": network,
            "form": form,
            "entities": entities,
            "charter": charter,
            "memberships": selectors.memberships_here(network=network, entities=entities),
        },
    )


def _own_membership(request, entity_slug):
    """The membership of this network's entity, if the person may manage it (else 403/404)."""
    membership = get_object_or_404(
        Membership.objects.select_related(
            "entity", "representative", "alternate", "charter_version"
        ),
        entity__slug=entity_slug,
    )
    if not request.user.has_perm("members.manage_membership", membership):
        raise PermissionDenied
    return membership


@verified_required
def accept_charter(request, network_slug, entity_slug):
    membership = _own_membership(request, entity_slug)
    charter = current_charter(request.network)
    form = CharterAcceptanceForm(
        request.POST or None, initial={"charter_version": getattr(charter, "pk", None)}
    )
    if request.method == "POST" and charter is not None and form.is_valid():
        read = charter if form.cleaned_data["charter_version"] == str(charter.pk) else None
        try:
            services.accept_current_charter(
                membership=membership, charter_version=read, by=request.user
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(entity)s accepts version %(version)s of the charter.")
                % {"entity": membership.entity, "version": charter.version},
            )
            return redirect("workspace:home")
    return render(
        request,
        "members/accept_charter.html",
        {"network": request.network, "membership": membership, "charter": charter, "form": form},
    )


@verified_required
def representatives(request, network_slug, entity_slug):
    membership = _own_membership(request, entity_slug)
    forms_by_role = {
        role: PersonForm(initial={"role": role}, prefix=role) for role in InvitationRole.values
    }
    if request.method == "POST":
        role = request.POST.get("role")
        if role not in forms_by_role:
            return HttpResponseBadRequest()
        form = forms_by_role[role] = PersonForm(request.POST, prefix=role)
        form.data = form.data.copy()
        form.data[f"{role}-role"] = role
        if form.is_valid():
            try:
                result = services.name_representative_or_alternate(
                    membership=membership,
                    role=role,
                    email=form.cleaned_data["email"],
                    by=request.user,
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                # The same answer whether or not the address has an account: the page
                # tells nobody who is registered here.
                if result is None:
                    text = _("%(entity)s has no alternate now.") % {"entity": membership.entity}
                else:
                    text = _(
                        "We sent an invitation to %(email)s; it is valid for %(days)s days. "
                        "The person takes the post when they accept it."
                    ) % {"email": result.email, "days": Invitation.VALID_FOR_DAYS}
                messages.success(request, text)
                return redirect(request.path)
    return render(
        request,
        "members/representatives.html",
        {
            "network": request.network,
            "membership": membership,
            "representative_form": forms_by_role[InvitationRole.REPRESENTATIVE],
            "alternate_form": forms_by_role[InvitationRole.ALTERNATE],
            "open_invitations": selectors.open_invitations(membership=membership),
        },
    )


@verified_required
def workspace(request):
    return render(
        request, "members/workspace.html", {"workspace": selectors.workspace(request.user)}
    )


@verified_required
def edit_entity(request, entity_slug):
    entity = get_object_or_404(Entity, slug=entity_slug)
    if not request.user.has_perm("members.edit_entity", entity):
        # Whether an entity that is a member nowhere exists is nobody else's business.
        raise Http404
    form = EntityProfileForm(request.POST or None, instance=entity)
    if request.method == "POST" and form.is_valid():
        fields = form.profile_fields()
        form.instance = Entity.objects.get(pk=entity.pk)  # keep the unsaved input off the page
        try:
            services.update_entity_profile(entity=entity, by=request.user, **fields)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The public profile has been saved."))
            return redirect("workspace:home")
    return render(request, "members/edit_entity.html", {"form": form, "entity": entity})


def invitation(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "entity": invitation.membership.entity}
    if not request.user.is_authenticated:
        context["next"] = urlencode({"next": request.get_full_path()})
        return render(request, "members/invitation.html", context)
    return _invitation_for_user(request, invitation, context)


@verified_required
def _invitation_for_user(request, invitation, context):
    refusal = services.invitation_refusal(invitation, request.user)
    if request.method == "POST" and refusal is None:
        try:
            services.accept_invitation(invitation=invitation, by=request.user)
        except DomainError as error:
            refusal = error.message
        else:
            messages.success(
                request,
                _("You are now the %(role)s of %(entity)s.")
                % {"role": invitation.get_role_display().lower(), "entity": context["entity"]},
            )
            return redirect("workspace:home")
    context["refusal"] = refusal
    return render(
        request,
        "members/invitation.html",
        context,
        status=400 if refusal and request.method == "POST" else 200,
    )
