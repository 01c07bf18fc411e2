from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission, CommissionState
from core.dates import validate_day, validate_moment
from core.errors import DomainError
from core.forms import SearchableCheckboxSelectMultiple
from events.models import (
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    EventFormat,
    EventKind,
    Visibility,
    parse_reminder_days,
)
from events.services import GUEST_NAME_MAX_LENGTH, clean_guest_name
from members.models import Entity, MembershipStatus


def member_entities(network):
    return Entity.objects.filter(
        memberships__network=network, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    """An event's details; times are read in the network's time zone (the view activates it)."""

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=EventFormat.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Link to join online"), required=False, assume_scheme="https"
    )
    # The bounds of `core.dates`, in the network's zone (the view activates it);
    # the service checks them again.
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=LocalDateTimeInput(), validators=[validate_moment]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=LocalDateTimeInput(), validators=[validate_moment]
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"),
        widget=LocalDateTimeInput(),
        validators=[validate_moment],
        required=False,
        help_text=_("Empty: when the event starts."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label=_("Capacity (people)"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Empty: no limit. When it is full, new registrations join a waiting list."),
    )
    commission = forms.ModelChoiceField(
        label=_("Commission"), queryset=Commission.objects.none(), required=False
    )
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organising entities"),
        queryset=Entity.objects.none(),
        required=False,
        widget=SearchableCheckboxSelectMultiple,
    )
    reminders_enabled = forms.BooleanField(
        label=_("Remind the registered people before the event"), required=False, initial=True
    )
    reminder_days = forms.CharField(
        label=_("Days before the event to remind"),
        max_length=40,
        initial=DEFAULT_REMINDER_DAYS,
        required=False,
        help_text=_("Whole numbers separated by commas, for example 7, 1."),
    )
    reminder_message = forms.CharField(
        label=_("Message added to the reminders"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, network, organiser_choices, convening, current=None, **kwargs):
        """`convening` says which kinds and commissions this person may choose; an edited
        event's own kind and commission stay choosable (`current`), unchanged."""
        super().__init__(*args, **kwargs)
        self.network = network
        kinds = list(convening.kinds)
        commission_ids = {commission.pk for commission in convening.commissions}
        if current is not None:
            if current.kind not in kinds:
                kinds.append(current.kind)
            if current.commission_id:
                commission_ids.add(current.commission_id)
        self.fields["kind"].choices = [
            (kind, label) for kind, label in EventKind.choices if kind in kinds
        ]
        self.fields["commission"].queryset = Commission.objects.filter(
            pk__in=commission_ids
        ).order_by("name")
        self.fields["organisers"].queryset = organiser_choices

    def clean_reminder_days(self):
        text = self.cleaned_data.get("reminder_days") or ""
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Write whole numbers separated by commas, like 7, 1."))
        days = parse_reminder_days(text)
        if any(day < 1 or day > MAX_REMINDER_DAYS for day in days):
            raise forms.ValidationError(
                _("Reminders go out between 1 and %(days)s days before the event.")
                % {"days": MAX_REMINDER_DAYS}
            )
        return ",".join(str(day) for day in days) or DEFAULT_REMINDER_DAYS

    def clean(self):
        cleaned_data = super().clean()
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned_data

    def event_fields(self):
        data = dict(self.cleaned_data)
        data.pop("organisers", None)
        for name in ("agenda_title", "agenda_proposer", "agenda_proposal", "announce"):
            data.pop(name, None)
        return data


class NewEventForm(EventForm):
    """Creating an event: with its first agenda item, and announced at once if wished."""

    agenda_title = forms.CharField(label=_("First agenda item"), max_length=200, required=False)
    agenda_proposer = forms.ModelChoiceField(
        label=_("Proposed by"), queryset=Entity.objects.none(), required=False
    )
    agenda_proposal = forms.CharField(
        label=_("Concrete proposal"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    announce = forms.BooleanField(
        label=_("Announce now (otherwise it stays a draft only organisers see)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_proposer"].queryset = member_entities(self.network)

    def clean(self):
        cleaned_data = super().clean()
        item = [
            cleaned_data.get(name)
            for name in ("agenda_title", "agenda_proposer", "agenda_proposal")
        ]
        if any(item) and not all(item):
            self.add_error(
                "agenda_proposal",
                _("An agenda item needs a title, the entity that proposes it and its proposal."),
            )
        return cleaned_data

    def agenda(self):
        if self.cleaned_data.get("agenda_title"):
            return [
                {
                    "title": self.cleaned_data["agenda_title"],
                    "proposer": self.cleaned_data["agenda_proposer"],
                    "proposal": self.cleaned_data["agenda_proposal"],
                }
            ]
        return []


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    proposer = forms.ModelChoiceField(label=_("Proposed by"), queryset=Entity.objects.none())
    proposal = forms.CharField(
        label=_("Concrete proposal"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = member_entities(network)


class EntityRegistrationForm(forms.Form):
    # Most people act for one entity: it comes chosen.
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), empty_label=None
    )
    people = forms.IntegerField(
        label=_("How many people will come"), min_value=1, max_value=1000, initial=1
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities


class PersonRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=GUEST_NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only the organisers see your name and address."),
    )

    def clean_name(self):
        try:
            return clean_guest_name(self.cleaned_data["name"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class AttendanceForm(forms.Form):
    """One number per confirmed registration: how many of its people came."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            label = registration.entity.name if registration.entity_id else registration.name
            self.fields[f"attended_{registration.pk}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10000,
                initial=registration.attended_people
                if registration.attended_people is not None
                else registration.people,
            )

    def attended(self):
        return {
            registration.pk: self.cleaned_data[f"attended_{registration.pk}"]
            for registration in self.registrations
        }

    def rows(self):
        for registration in self.registrations:
            yield registration, self[f"attended_{registration.pk}"]


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up = forms.CharField(label=_("Follow-up action"), max_length=300, required=False)
    commission = forms.ModelChoiceField(
        label=_("Commission that follows it up"), queryset=Commission.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Commission.objects.exclude(
            state=CommissionState.CLOSED
        ).order_by("name")


DecisionFormSet = forms.formset_factory(DecisionForm, extra=2, max_num=50, absolute_max=50)


class DecisionActionForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("As promoter entity"), queryset=Entity.objects.none())
    responsible = forms.ModelChoiceField(
        label=_("Responsible promoter entity"), queryset=Entity.objects.none()
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
    )

    def __init__(self, *args, entities, promoters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities
        self.fields["responsible"].queryset = promoters
