from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import InlineSelect
from members.models import Entity, EntityKind, InvitationRole, Membership, PriorityArea
from networks.models import Network
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
    platform = forms.TypedChoiceField(
        label=_("Platform"), required=False, coerce=int, widget=InlineSelect
    )
    kind = forms.ChoiceField(label=_("Kind of entity"), required=False, widget=InlineSelect)
    area = forms.ChoiceField(label=_("Priority area"), required=False, widget=InlineSelect)
    region = forms.ChoiceField(label=_("Regional network"), required=False, widget=InlineSelect)

    def __init__(
        self,
        data,
        *,
        platforms: list[Platform],
        areas: list[PriorityArea],
        regions: list[Network] = (),  # type: ignore[assignment]
    ):
        super().__init__(data)
        self.platforms_by_id = {platform.pk: platform for platform in platforms}
        self.areas_by_code = {area.code: area for area in areas}
        self.regions_by_slug = {region.slug: region for region in regions}
        if regions:
            self.fields["region"].choices = [("", _("All regional networks"))] + [
                (region.slug, region.name) for region in regions
            ]
        else:
            del self.fields["region"]
        self.fields["platform"].choices = [("", _("All platforms"))] + [
            (platform.pk, platform.label) for platform in platforms
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *EntityKind.choices]
        self.fields["area"].choices = [("", _("All areas"))] + [
            (area.code, str(area)) for area in areas
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
            "region": self.regions_by_slug.get(data.get("region") or ""),
        }


class EntityProfileForm(forms.ModelForm):
    """The public profile of an entity: what the directory and its page show."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional, starting with https://"),
    )
    description = forms.CharField(
        label=capfirst(Entity._meta.get_field("description").verbose_name),
        required=False,
        max_length=Entity.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your entity does, for whom and where. Shown publicly."),
    )

    class Meta:
        model = Entity
        fields = [
            "name",
            "kind",
            "legally_registered",
            "priority_areas",
            "region",
            "city",
            "website",
            "description",
        ]
        labels = {
            "name": _("Name of the organisation"),
            "kind": _("Kind of organisation"),
            "legally_registered": _("It is legally registered"),
        }
        help_texts = {
            "legally_registered": _(
                "Not registered yet, or an informal group? You are welcome all the same: the "
                "network is open to every volunteering entity that follows its code of ethics."
            ),
        }
        widgets = {"priority_areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_areas"].queryset = PriorityArea.objects.order_by("id")
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def profile_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EntityRegistrationForm(EntityProfileForm):
    not_a_duplicate = forms.BooleanField(
        label=_("None of these is my organisation: register it anyway"), required=False
    )
    network = forms.ModelChoiceField(
        label=_("Network you wish to join next"),
        queryset=Network.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("Choose later"),
    )


class ApplicationForm(forms.Form):
    """Applying to a network: the entity, its platform, the charter and the alternate."""

    entity = forms.TypedChoiceField(label=_("Entity"), coerce=int)
    platform = forms.TypedChoiceField(label=_("Platform"), coerce=int)
    # The version read; compared as text, so a tampered value reads as "not the current one".
    charter_version = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_charter = forms.BooleanField(
        label=_("I have read the commitment and the code of ethics, and my entity accepts them"),
        required=False,
    )
    alternate_email = forms.EmailField(
        label=_("Email of the alternate"),
        required=False,
        help_text=_(
            "The person who stands in for you. We send them an invitation by email; they "
            "become the alternate when they accept it. You can also name them later."
        ),
    )
    commission = forms.TypedChoiceField(
        label=_("Join an open commission"), coerce=int, required=False, empty_value=None
    )
    proposed_commission_name = forms.CharField(
        label=_("…or propose a new commission"), max_length=200, required=False
    )
    proposed_commission_purpose = forms.CharField(
        label=_("What the new commission would do"),
        max_length=Membership.PROPOSED_PURPOSE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, entities, platforms, commissions, ask_commission, **kwargs):
        super().__init__(*args, **kwargs)
        self.entities_by_id = {entity.pk: entity for entity in entities}
        self.platforms_by_id = {platform.pk: platform for platform in platforms}
        self.commissions_by_id = {commission.pk: commission for commission in commissions}
        self.fields["entity"].choices = [(entity.pk, entity.name) for entity in entities]
        self.fields["platform"].choices = [("", _("Choose a platform"))] + [
            (platform.pk, platform.label) for platform in platforms
        ]
        if ask_commission:
            self.fields["commission"].choices = [("", _("None, I propose one"))] + [
                (commission.pk, commission.name) for commission in commissions
            ]
        else:
            for name in ("commission", "proposed_commission_name", "proposed_commission_purpose"):
                del self.fields[name]

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "entity": self.entities_by_id.get(data["entity"]),
            "platform": self.platforms_by_id.get(data["platform"]),
            "accept_charter": data["accept_charter"],
            "alternate_email": data.get("alternate_email") or "",
            "commission": self.commissions_by_id.get(data.get("commission")),
            "proposed_commission_name": data.get("proposed_commission_name") or "",
            "proposed_commission_purpose": data.get("proposed_commission_purpose") or "",
        }


class CharterAcceptanceForm(forms.Form):
    charter_version = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_charter = forms.BooleanField(
        label=_("I have read the commitment and the code of ethics, and my entity accepts them")
    )


class PersonForm(forms.Form):
    """Name a representative or an alternate by email."""

    role = forms.ChoiceField(choices=InvitationRole.choices, widget=forms.HiddenInput)
    email = forms.EmailField(label=_("Email address"), required=False)
