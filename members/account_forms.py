from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.api_tokens import TOKEN_LIFETIMES_IN_DAYS
from members.models import NotificationPreference, User


class SignupDetailsForm(forms.Form):
    """What sign-up asks besides email and password. Personal data: never shown publicly."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of the mail we send you."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (get_language() or settings.LANGUAGE_CODE)[:2]
        if current in dict(settings.LANGUAGES):
            self.fields["language"].initial = current

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["first_name", "last_name", "language"])


class AccountSettingsForm(forms.ModelForm):
    """The one place where a person decides how we reach them: a default, and each network.

    `mail_choices` is `members.notifications.mail_choices(user)`: one field per
    network that speaks to the person, named `network_<id>`.
    """

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language", "notification_preference"]
        widgets = {"notification_preference": forms.RadioSelect}
        labels = {"language": _("Language of the site and of the mail")}
        help_texts = {"notification_preference": ""}

    def __init__(self, *args, mail_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.networks = {}
        for network, preference, _chosen in mail_choices:
            name = f"network_{network.pk}"
            self.networks[name] = network
            self.fields[name] = forms.ChoiceField(
                label=network.name, choices=NotificationPreference.choices, initial=preference
            )

    def network_fields(self):
        return [self[name] for name in self.networks]

    def per_network(self):
        return {network: self.cleaned_data[name] for name, network in self.networks.items()}


def _lifetime_choices():
    # Called whenever the field lists its choices: in the reader's language.
    return [("", gettext("Until I revoke it"))] + [
        (str(days), ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in TOKEN_LIFETIMES_IN_DAYS
    ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Where you will use it, for example “Website of the network”."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid"),
        choices=_lifetime_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "A token for a short task can stop by itself. Every token stops when your "
            "password changes."
        ),
    )
