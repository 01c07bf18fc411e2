"""Input checking for the announcement pages; the rules themselves are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from announcements.models import Announcement, Correction

NETWORK = "network"


class AnnouncementForm(forms.Form):
    """To whom, what; `audiences` are the (value, label) this person may write to.

    The whole network is `NETWORK`; a commission's members `c<commission>-e<entity>`,
    the entity being the promoter the person speaks for.
    """

    audience = forms.ChoiceField(label=_("To"), required=False)
    title = forms.CharField(label=_("Title"), max_length=Announcement.TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=Announcement.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent to each member's representative and alternate, as each one chose."),
    )
    public = forms.BooleanField(
        label=_("Also publish it as news on the network's public page"),
        required=False,
        help_text=_("Only for announcements to the whole network."),
    )

    def __init__(self, *args, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audiences
        if len(audiences) == 1:
            self.fields["audience"].initial = audiences[0][0]

    def clean_audience(self):
        """Whom it goes to; a person who may reach one audience only need not choose."""
        audience = self.cleaned_data["audience"]
        choices = [value for value, _label in self.fields["audience"].choices]
        if not audience and len(choices) == 1:
            return choices[0]
        if not audience:
            raise forms.ValidationError(_("Choose to whom it goes."))
        return audience


def commission_audience(commission, entity):
    return f"c{commission.pk}-e{entity.pk}"


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"),
        max_length=Correction.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only the correction is sent, to the same people; the announcement shows it "
            "under its text."
        ),
    )
