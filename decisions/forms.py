from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission, CommissionState
from core.dates import validate_moment
from decisions.models import Choice, DecisionRule, Proposal, Stance
from events.forms import LocalDateTimeInput
from events.models import Event, EventStatus
from members.models import Entity


class ProposalForm(forms.Form):
    """Times are read in the network's time zone (the view activates it)."""

    entity = forms.ModelChoiceField(
        label=_("Proposed by"), queryset=Entity.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=Proposal.TITLE_LENGTH)
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Proposal.TEXT_LENGTH,
        help_text=_("What the network would decide, concretely."),
    )
    closes_at = forms.DateTimeField(
        label=_("Positions close"), widget=LocalDateTimeInput(), validators=[validate_moment]
    )
    event = forms.ModelChoiceField(
        label=_("On the agenda of"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("No event"),
    )

    def __init__(self, *args, entities, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities
        self.fields["event"].queryset = events


def upcoming_events(network, now):
    return Event.objects.filter(
        network=network, ends_at__gt=now, status__in=(EventStatus.DRAFT, EventStatus.ANNOUNCED)
    ).order_by("starts_at")


class PositionForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), empty_label=None
    )
    stance = forms.ChoiceField(
        label=_("Your entity's position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note, or the reason for an objection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("An objection says what would make the proposal acceptable."),
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities


class VoteForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), empty_label=None
    )
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices, widget=forms.RadioSelect)

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities


class AmendForm(forms.Form):
    text = forms.CharField(
        label=_("New text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Proposal.TEXT_LENGTH,
    )
    note = forms.CharField(
        label=_("What changed and why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class OpenVoteForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The vote closes"), widget=LocalDateTimeInput(), validators=[validate_moment]
    )


class ReviewForm(forms.Form):
    review_on = forms.DateField(
        label=_("Review on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class CarryForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=_("Commission that follows it up"),
        queryset=Commission.objects.none(),
        required=False,
        empty_label=_("None yet"),
    )
    follow_up = forms.CharField(label=_("Follow-up action"), max_length=300, required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Commission.objects.filter(network=network).exclude(
            state=CommissionState.CLOSED
        )


class GovernanceForm(forms.Form):
    """How the network decides; `decisions.services.update_governance` checks the rest."""

    rule = forms.ChoiceField(
        label=_("Decision rule"), choices=DecisionRule.choices, widget=forms.RadioSelect
    )
    threshold_numerator = forms.IntegerField(
        label=_("Majority needed for a vote: yes (numerator)"), min_value=1, max_value=100
    )
    threshold_denominator = forms.IntegerField(
        label=_("… out of yes + no (denominator)"),
        min_value=1,
        max_value=100,
        help_text=_("3 out of 4 is a three-quarters majority."),
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percent of active member entities that take part in a vote)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: no quorum. Abstaining counts as taking part."),
    )
    min_membership_days = forms.IntegerField(
        label=_("Days of membership before an entity takes part in decisions"),
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_("Empty: every active member entity takes part."),
    )
    # What the regional interlocutor may do beside the facilitator (section 4.2 c);
    # `networks.services.set_interlocutor_powers` keeps them.
    interlocutor_reviews_applications = forms.BooleanField(
        label=_("The interlocutor reviews applications (approves or rejects them)"),
        required=False,
    )
    interlocutor_convenes_plenaries = forms.BooleanField(
        label=_("The interlocutor convenes plenaries and the network's own events"),
        required=False,
    )
    interlocutor_writes_announcements = forms.BooleanField(
        label=_("The interlocutor writes announcements to the whole network"), required=False
    )
    interlocutor_sees_activity = forms.BooleanField(
        label=_("The interlocutor sees the activity history and the commissions needing attention"),
        required=False,
    )
    interlocutor_receives_vacancy_alerts = forms.BooleanField(
        label=_("The interlocutor receives the alerts of commissions without promoter"),
        required=False,
        help_text=_(
            "The interlocutor keeps its entity's voice and votes through it: it is no facilitator."
        ),
    )
