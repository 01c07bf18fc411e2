from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import CollaborationKind


class CollaborationForm(forms.Form):
    """A collaboration an entity declares; the entities offered come from rows already loaded."""

    from_entity = forms.TypedChoiceField(label=_("Our entity"), coerce=int)
    to_entity = forms.TypedChoiceField(label=_("The other entity"), coerce=int)
    kind = forms.ChoiceField(label=_("What happened"), choices=CollaborationKind.choices)
    what = forms.CharField(
        label=_("What did you do together?"),
        max_length=300,
        help_text=_("For example: a joint cleanup campaign, training for our volunteers."),
    )
    happened_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, *, acting, partners):
        super().__init__(data)
        self.by_id = {entity.pk: entity for entity in [*acting, *partners]}
        self.fields["from_entity"].choices = [(entity.pk, entity.name) for entity in acting]
        self.fields["to_entity"].choices = [(entity.pk, entity.name) for entity in partners]

    def entity(self, name):
        return self.by_id.get(self.cleaned_data.get(name))
