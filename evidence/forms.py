from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.imports import COLUMNS
from evidence.models import CollaborationKind, ImportKind
from evidence.sociogram import tie_kind_labels
from members.models import EntityKind


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


class SociogramFilterForm(forms.Form):
    """Which entities and ties the sociogram shows; read from the query string.

    The fields carry Spanish names because they are the page's public addresses.
    """

    plataforma = forms.TypedChoiceField(
        label=_("Platform"), coerce=int, required=False, empty_value=None
    )
    tipo = forms.ChoiceField(label=_("Kind of entity"), required=False)
    lazo = forms.ChoiceField(label=_("Kind of tie"), required=False)

    def __init__(self, data=None, *, platforms):
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["plataforma"].choices = everything + [
            (platform_id, label) for platform_id, label, _colour in platforms
        ]
        self.fields["tipo"].choices = everything + list(EntityKind.choices)
        self.fields["lazo"].choices = everything + list(tie_kind_labels().items())

    def filters(self) -> dict:
        """The chosen filters as `evidence.sociogram` takes them; none when the input is wrong."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "platform": data["plataforma"],
            "kind": data["tipo"] or None,
            "tie_kind": data["lazo"] or None,
        }


class SpreadsheetUploadForm(forms.Form):
    """The network's own spreadsheet, and whether it lists member entities or prospects."""

    kind = forms.ChoiceField(
        label=_("The spreadsheet lists"),
        choices=ImportKind.choices,
        initial=ImportKind.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "Member entities join the network at once; prospects are only invited to "
            "register and apply."
        ),
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV or Excel (.xlsx), with the names of the columns in its first row; "
            "at most 10,000 rows."
        ),
    )


HEADER_SHOWN = 60


class ColumnMappingForm(forms.Form):
    """Which column of the spreadsheet holds each field; read from the header at first."""

    def __init__(self, data=None, *, header, initial_mapping=None):
        initial = {key: str(index) for key, index in (initial_mapping or {}).items()}
        super().__init__(data, initial=initial)
        choices = [("", _("Not in the spreadsheet"))] + [
            (str(index), name[:HEADER_SHOWN] or _("Column %(number)s") % {"number": index + 1})
            for index, name in enumerate(header)
        ]
        for column in COLUMNS:
            self.fields[column.key] = forms.ChoiceField(
                label=column.label, choices=choices, required=False
            )

    def mapping(self) -> dict[str, int | None]:
        return {
            key: int(value) if value != "" else None for key, value in self.cleaned_data.items()
        }


class ReportForm(forms.Form):
    """The year of the activity report to generate: from the network's founding to this year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, data=None, *, years):
        super().__init__(data)
        self.fields["year"].choices = [(year, str(year)) for year in years]
