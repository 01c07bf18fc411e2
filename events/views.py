from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commissions.models import PromoterTerm
from core.errors import DomainError
from events import acts, selectors, services
from events.forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionActionForm,
    DecisionFormSet,
    EntityRegistrationForm,
    EventForm,
    MinutesForm,
    NewEventForm,
    PersonRegistrationForm,
    member_entities,
)
from events.hooks import event_sections
from events.ics import calendar_file
from events.models import Decision, EventStatus, Registration, RegistrationStatus
from members.decorators import verified_required
from members.models import Entity
from members.rules import entity_roles
from members.selectors import regions_under
from networks.rules import is_facilitator

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _event(request, event_id, permission="events.view_event"):
    """The event of this network, or 404; the permission is asked of the rules."""
    event = selectors.get_event(network=request.network, event_id=event_id)
    if event is None:
        raise Http404
    if not request.user.has_perm(permission, event):
        if event.status == EventStatus.DRAFT and not request.user.has_perm(
            "events.view_event", event
        ):
            raise Http404  # A draft is not there for whoever may not manage it.
        return event, _refuse(request)
    return event, None


def _my_entities(request):
    roles = entity_roles(request.user)
    ids = roles.entities_in(request.network.pk) if roles else set()
    return member_entities(request.network).filter(pk__in=ids)


def _organiser_choices(request):
    if request.user.has_perm("networks.run_network", request.network):
        return member_entities(request.network)
    return _my_entities(request)


def _ics_response(events, *, name, filename, online_link_for=frozenset()):
    response = HttpResponse(
        calendar_file(events, name=name, online_link_for=online_link_for),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_list(request, network_slug):
    regions = regions_under(network=request.network)
    # An unknown region is no filter at all: the whole calendar is shown.
    region = next((place for place in regions if place.slug == request.GET.get("region")), None)
    listing = selectors.event_list(network=request.network, user=request.user, region=region)
    return render(
        request,
        "events/list.html",
        {
            "network": request.network,
            "listing": listing,
            "regions": regions,
            "region": region,
            "can_create": request.user.has_perm("events.create_event", request.network),
        },
    )


@verified_required
@GET_POST
def event_create(request, network_slug):
    network = request.network
    if not request.user.has_perm("events.create_event", network):
        raise PermissionDenied
    with timezone.override(network.zone):
        form = NewEventForm(
            request.POST or None,
            network=network,
            organiser_choices=_organiser_choices(request),
            convening=selectors.convening_choices(network=network, user=request.user),
        )
        if request.method == "POST" and form.is_valid():
            organisers = list(form.cleaned_data["organisers"])
            if not organisers and not request.user.has_perm("networks.run_network", network):
                form.add_error("organisers", _("Choose the entity that organises the event."))
            else:
                try:
                    event = services.create_event(
                        network=network,
                        by=request.user,
                        organisers=organisers,
                        agenda=form.agenda(),
                        announce=form.cleaned_data["announce"],
                        **form.event_fields(),
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The event was saved."))
                    return redirect(event.get_absolute_url())
        return render(
            request, "events/form.html", {"network": network, "form": form, "creating": True}
        )


@verified_required
@GET_POST
def event_edit(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    network = request.network
    with timezone.override(network.zone):
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        initial["organisers"] = [row.entity for row in event.organiser_rows.all()]
        form = EventForm(
            request.POST or None,
            initial=initial,
            network=network,
            organiser_choices=_organiser_choices(request)
            | Entity.objects.filter(pk__in=event._organiser_ids),
            convening=selectors.convening_choices(network=network, user=request.user),
            current=event,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_event(
                    event=event,
                    by=request.user,
                    organisers=list(form.cleaned_data["organisers"]),
                    **form.event_fields(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The event was saved."))
                return redirect(event.get_absolute_url())
        return render(
            request,
            "events/form.html",
            {"network": network, "form": form, "event": event, "creating": False},
        )


@require_safe
def event_detail(request, network_slug, event_id):
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    page = selectors.event_page(event=event, user=request.user)
    user = request.user
    context = {
        "network": request.network,
        "page": page,
        "event": event,
        "can_manage": user.has_perm("events.manage_event", event),
        "can_register_entity": user.has_perm("events.register_entity", event),
        "can_register_person": user.has_perm("events.register_person", event),
        "can_view_minutes": user.has_perm("events.view_minutes", event),
        "can_see_online_link": user.has_perm("events.view_online_link", event),
        "registration_open": event.status == EventStatus.ANNOUNCED
        and timezone.now() < event.registration_closes_at,
    }
    context["extra_sections"] = event_sections(request=request, event=event, where="page")
    # After registering, the form offers only what is left to register: the
    # person's other entities, and no personal form once they hold a place.
    registered = {r.entity_id for r in page.my_registrations if r.entity_id}
    registered_myself = any(r.entity_id is None for r in page.my_registrations)
    if context["can_register_entity"] and context["registration_open"]:
        context["entity_form"] = EntityRegistrationForm(
            entities=Entity.objects.filter(
                pk__in=acts.REGISTER_ENTITY.entities_for(request.user, event) - registered
            ).order_by("name")
        )
    if context["can_register_person"] and context["registration_open"] and not registered_myself:
        if user.is_authenticated:
            initial = {"name": user.get_full_name(), "email": user.email}
            context["person_form"] = PersonRegistrationForm(initial=initial)
        else:
            # Visitors follow a link to the form: a page without a CSRF token is the
            # same for every visitor, so it comes from the cache (networks.page_cache).
            context["person_link"] = True
    return render(request, "events/detail.html", context)


@verified_required
@GET_POST
def agenda_add(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    form = AgendaItemForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(event=event, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The agenda item was added."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "events/agenda_form.html",
        {"network": request.network, "event": event, "form": form},
    )


def _confirm_page(request, event, *, title, text, button, danger=False, ask_reason=False):
    return render(
        request,
        "events/confirm.html",
        {
            "network": request.network,
            "event": event,
            "title": title,
            "text": text,
            "button": button,
            "danger": danger,
            "ask_reason": ask_reason,
        },
    )


@verified_required
@GET_POST
def event_announce(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.announce_event(event=event, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event is announced: members can register now."))
        return redirect(event.get_absolute_url())
    return _confirm_page(
        request,
        event,
        title=_("Announce the event"),
        text=_("Once announced, the event can be seen and registered for."),
        button=_("Announce"),
    )


@verified_required
@GET_POST
def event_cancel(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.cancel_event(
                event=event, by=request.user, reason=request.POST.get("reason", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event was cancelled."))
        return redirect(event.get_absolute_url())
    return _confirm_page(
        request,
        event,
        title=_("Cancel the event"),
        text=_(
            "The event stays on record, marked as cancelled, and no more reminders go out. "
            "Its registrants are told, with the reason you give."
        ),
        button=_("Cancel the event"),
        danger=True,
        ask_reason=True,
    )


@verified_required
@GET_POST
def register_entity(request, network_slug, event_id):
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    act = acts.REGISTER_ENTITY
    if not act.allows(request.user, event):
        raise PermissionDenied
    # Entities of the networks under this one register too (`members.reach`).
    entities = Entity.objects.filter(pk__in=act.entities_for(request.user, event)).order_by("name")
    form = EntityRegistrationForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        try:
            registration = act.run(event, form.cleaned_data, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            _say_registered(request, registration)
            return redirect(event.get_absolute_url())
    return render(
        request, "events/register.html", {"network": request.network, "event": event, "form": form}
    )


def _say_registered(request, registration):
    waiting = registration.status == RegistrationStatus.WAITLISTED
    level = messages.WARNING if waiting else messages.SUCCESS
    messages.add_message(request, level, acts.REGISTER_ENTITY.message(registration))


@GET_POST
def register_person(request, network_slug, event_id):
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    if not request.user.has_perm("events.register_person", event):
        raise PermissionDenied
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    form = PersonRegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_person(
                event=event,
                by=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if registration.status == RegistrationStatus.PENDING:
                messages.info(
                    request,
                    _(
                        "We sent a link to %(email)s. Open it within a day to confirm the "
                        "registration: until then it holds no place."
                    )
                    % {"email": registration.email},
                )
            else:
                _say_registered(request, registration)
            return redirect(event.get_absolute_url())
    return render(
        request,
        "events/register.html",
        {"network": request.network, "event": event, "form": form, "personal": True},
    )


@GET_POST
def confirm_by_link(request, network_slug, event_id, token):
    """The link mailed to a person who registered without an account: confirming takes a place.

    Opening the link only shows a button: mail programs open links on their own
    to check them, and that must not confirm anything.
    """
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    registration = Registration.objects.filter(event=event, cancel_token=token).first()
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            registration = services.confirm_registration(event=event, token=token, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            _say_registered(request, registration)
        return redirect(event.get_absolute_url())
    text = None
    if registration.is_active:
        text = _("This registration is already confirmed.")
    elif registration.status == RegistrationStatus.CANCELLED:
        text = _("This registration was cancelled.")
    elif registration.status == RegistrationStatus.EXPIRED or (
        registration.expires_at <= timezone.now()
    ):
        text = _("This link has expired. Register again from the event's page if you still wish.")
    if text:
        return _confirm_page(
            request, event, title=_("Confirm the registration"), text=text, button=None
        )
    return _confirm_page(
        request,
        event,
        title=_("Confirm the registration"),
        text=_("Confirm the registration of %(who)s for this event?") % {"who": registration.name},
        button=_("Confirm the registration"),
    )


def _registration_of(event, registration_id):
    registration = (
        Registration.objects.filter(event=event, pk=registration_id)
        .select_related("entity")
        .first()
    )
    if registration is None:
        raise Http404
    registration.event = event
    return registration


@verified_required
@GET_POST
def registration_cancel(request, network_slug, event_id, registration_id):
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    registration = _registration_of(event, registration_id)
    if not acts.CANCEL_REGISTRATION.allows(request.user, registration):
        raise PermissionDenied
    return _cancel(request, event, registration)


@GET_POST
def cancel_by_link(request, network_slug, event_id, token):
    """The link in the confirmation mail: a person without an account cancels here."""
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    registration = Registration.objects.filter(event=event, cancel_token=token).first()
    if registration is None:
        raise Http404
    return _cancel(request, event, registration, cancel_token=token)


def _cancel(request, event, registration, cancel_token=None):
    if request.method == "POST":
        act = acts.CANCEL_REGISTRATION
        try:
            act.run(registration, {"cancel_token": cancel_token}, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, act.message())
        return redirect(event.get_absolute_url())
    who = registration.entity.name if registration.entity_id else registration.name
    return _confirm_page(
        request,
        event,
        title=_("Cancel the registration"),
        text=_("Cancel the registration of %(who)s? Its place goes to the waiting list.")
        % {"who": who},
        button=_("Cancel the registration"),
        danger=True,
    )


@verified_required
@require_safe
def registration_list(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    return render(
        request,
        "events/registrations.html",
        {
            "network": request.network,
            "event": event,
            "registrations": selectors.registrations_of(event=event),
        },
    )


@verified_required
@GET_POST
def attendance(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    registrations = [
        registration
        for registration in selectors.registrations_of(event=event)
        if registration.status == RegistrationStatus.CONFIRMED
    ]
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(event=event, attended=form.attended(), by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Attendance was recorded."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "events/attendance.html",
        {
            "network": request.network,
            "event": event,
            "form": form,
            "started": event.starts_at <= timezone.now(),
        },
    )


@GET_POST
def minutes(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.view_minutes")
    if refusal:
        return refusal
    can_manage = request.user.has_perm("events.manage_event", event)
    page = selectors.event_page(event=event, user=request.user)
    form = formset = None
    if can_manage:
        current = page.minutes
        form = MinutesForm(
            request.POST or None, initial={"summary": current.summary if current else ""}
        )
        formset = DecisionFormSet(
            request.POST or None,
            prefix="decisions",
            initial=[
                {
                    "id": decision.pk,
                    "text": decision.text,
                    "follow_up": decision.follow_up,
                    "commission": decision.commission,
                }
                for decision in page.decisions
            ],
        )
        if request.method == "POST":
            if not request.user.is_authenticated:
                return _refuse(request)
            if form.is_valid() and formset.is_valid():
                decisions = [data for data in formset.cleaned_data if data]
                try:
                    services.save_minutes(
                        event=event,
                        summary=form.cleaned_data["summary"],
                        decisions=decisions,
                        by=request.user,
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The minutes were saved."))
                    return redirect(request.path)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "events/minutes.html",
        {
            "network": request.network,
            "event": event,
            "page": page,
            "can_manage": can_manage,
            "form": form,
            "formset": formset,
            "started": event.starts_at <= timezone.now(),
            "extra_sections": event_sections(request=request, event=event, where="minutes"),
        },
    )


@verified_required
@GET_POST
def minutes_publish(request, network_slug, event_id):
    event, refusal = _event(request, event_id, "events.manage_event")
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.publish_minutes(event=event, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The minutes are published to the members."))
        return redirect("events:minutes", network_slug=request.network.slug, event_id=event.pk)
    return _confirm_page(
        request,
        event,
        title=_("Publish the minutes"),
        text=_(
            "The members will be able to read the minutes, and the registered entities are told."
        ),
        button=_("Publish the minutes"),
    )


@verified_required
@GET_POST
def decision_action(request, network_slug, event_id, decision_id):
    event, refusal = _event(request, event_id, "events.view_minutes")
    if refusal:
        return refusal
    decision = (
        Decision.objects.filter(pk=decision_id, minutes__event=event)
        .select_related("commission", "action")
        .first()
    )
    if decision is None:
        raise Http404
    promoters = Entity.objects.none()
    mine = Entity.objects.none()
    # Only the entities this person acts for that promote the commission may act, and
    # never through a facilitator (4.2 a); `add_action` decides the same in the end.
    if decision.commission_id and not is_facilitator(request.user, request.network):
        promoter_ids = PromoterTerm.objects.filter(
            commission_id=decision.commission_id, ended_at__isnull=True
        ).values("entity_id")
        promoters = Entity.objects.filter(pk__in=promoter_ids).order_by("name")
        mine = _my_entities(request).filter(pk__in=promoter_ids)
    can_act = decision.action_id is None and mine.exists()
    if request.method == "POST" and not can_act:
        raise PermissionDenied
    form = DecisionActionForm(request.POST or None, entities=mine, promoters=promoters)
    if request.method == "POST" and form.is_valid():
        try:
            services.turn_decision_into_action(
                decision=decision,
                entity=form.cleaned_data["entity"],
                responsible=form.cleaned_data["responsible"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The follow-up is now an action of the commission."))
            return redirect("events:minutes", network_slug=request.network.slug, event_id=event.pk)
    return render(
        request,
        "events/decision_action.html",
        {
            "network": request.network,
            "event": event,
            "decision": decision,
            "form": form,
            "can_act": can_act,
        },
    )


@require_safe
def event_ics(request, network_slug, event_id):
    event, refusal = _event(request, event_id)
    if refusal:
        return refusal
    online = {event.pk} if request.user.has_perm("events.view_online_link", event) else set()
    response = _ics_response(
        [event], name=event.title, filename=f"evento-{event.pk}.ics", online_link_for=online
    )
    if online:
        response["Cache-Control"] = "private, no-store"
    return response


# The network's and a commission's calendars are public files, the same for every
# reader: they never carry a link to join online.
@require_safe
def network_feed(request, network_slug):
    events = selectors.network_calendar(network=request.network)
    return _ics_response(events, name=request.network.name, filename=f"{request.network.slug}.ics")


@require_safe
def commission_feed(request, network_slug, commission_id):
    commission, events = selectors.commission_calendar(
        network=request.network, commission_id=commission_id
    )
    if commission is None:
        raise Http404
    return _ics_response(
        events,
        name=f"{commission.name} · {request.network.name}",
        filename=f"comision-{commission.pk}.ics",
    )
