"""Input checking for the agenda pages; the rules themselves are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda.models import Agenda, AgendaComment, Line
from commissions.models import Commission
from decisions.models import Proposal
from networks.models import Network

OPEN = "open"
PUBLISH = "publish"


class DraftForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=Agenda.FIRST_YEAR, max_value=Agenda.LAST_YEAR
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the network sets out to do this year, in a few lines."),
    )


class LineForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Line.TITLE_LENGTH)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=Line.PURPOSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=Line.TOPICS_LENGTH,
        help_text=_("Separated by commas, for instance: environment, youth, social development."),
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button is the whole answer."""


class PublishForm(forms.Form):
    """Publishing, optionally as a proposal of the network that was adopted."""

    proposal = forms.ModelChoiceField(
        label=_("Adopted as the proposal"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Not put to a decision"),
        help_text=_("If the member entities adopted the agenda by consent, name the proposal."),
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class CommentForm(forms.Form):
    agenda = forms.IntegerField(widget=forms.HiddenInput)
    network = forms.ModelChoiceField(label=_("On behalf of"), queryset=Network.objects.none())
    text = forms.CharField(
        label=_("Comment"),
        max_length=AgendaComment.TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        if len(networks) == 1:
            self.fields["network"].initial = networks[0].pk


class AttachForm(forms.Form):
    commission = forms.ModelChoiceField(label=_("Commission"), queryset=Commission.objects.none())

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions
        self.fields["commission"].label_from_instance = lambda commission: (
            _("%(commission)s (%(network)s)")
            % {"commission": commission.name, "network": commission.network.name}
        )
