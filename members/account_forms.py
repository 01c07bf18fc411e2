from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
        from django.utils.translation import get_language

        current = (get_language() or settings.LANGUAGE_CODE)[:2]
        if current in dict(settings.LANGUAGES):
            self.fields["language"].initial = current

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["first_name", "last_name", "language"])
