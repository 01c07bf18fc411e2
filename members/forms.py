from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import EntityKind, PriorityArea
from platforms.models import Platform


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters, read from the query string.

    Choices come from rows the page has already loaded (this network's
    platforms, the priority areas), so checking the input costs no query,
    and a platform of another network is simply not a valid choice.
    """

    q = forms.CharField(
        label=_("Entity name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    platform = forms.TypedChoiceField(label=_("Platform"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Kind of entity"), required=False)
    area = forms.ChoiceField(label=_("Priority area"), required=False)

    def __init__(self, data, *, platforms: list[Platform], areas: list[PriorityArea]):
        super().__init__(data)
        self.platforms_by_id = {platform.pk: platform for platform in platforms}
        self.areas_by_code = {area.code: area for area in areas}
        self.fields["platform"].choices = [("", _("All platforms"))] + [
            (platform.pk, platform.label) for platform in platforms
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *EntityKind.choices]
        self.fields["area"].choices = [("", _("All areas"))] + [
            (area.code, area.get_code_display()) for area in areas
        ]

    def filters(self) -> dict:
        """The valid filters as selector arguments; a field with bad input is left out."""
        self.is_valid()
        data = self.cleaned_data  # holds only the fields whose input was valid
        return {
            "query": data.get("q") or "",
            "platform": self.platforms_by_id.get(data.get("platform")),
            "kind": data.get("kind") or "",
            "area": self.areas_by_code.get(data.get("area")),
        }
