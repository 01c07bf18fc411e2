from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import EntityKind, Membership, MembershipStatus
from platforms.models import Platform


class MemberFilterForm(forms.Form):
    """The facilitator's member list filters, read from the query string.

    Platforms come from rows the page has already loaded, so checking the
    input costs no query and another network's platform is not a valid choice.
    """

    q = forms.CharField(
        label=_("Entity name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    platform = forms.TypedChoiceField(label=_("Platform"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Kind of entity"), required=False)

    def __init__(self, data, *, platforms: list[Platform]):
        super().__init__(data)
        self.platforms_by_id = {platform.pk: platform for platform in platforms}
        self.fields["status"].choices = [("", _("All statuses")), *MembershipStatus.choices]
        self.fields["platform"].choices = [("", _("All platforms"))] + [
            (platform.pk, platform.label) for platform in platforms
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *EntityKind.choices]

    def filters(self) -> dict:
        """The valid filters as selector arguments; a field with bad input is left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "platform": self.platforms_by_id.get(data.get("platform")),
            "kind": data.get("kind") or "",
        }


# What a facilitator may decide on a membership, by its current status. The
# service holds the rule (which status may follow which, and when a reason is
# needed); this only names the buttons a facilitator sees.
DECISIONS = {
    MembershipStatus.APPLIED: [
        (MembershipStatus.ACTIVE, pgettext_lazy("membership decision", "Approve")),
        (MembershipStatus.REJECTED, pgettext_lazy("membership decision", "Reject")),
    ],
    MembershipStatus.ACTIVE: [
        (MembershipStatus.SUSPENDED, pgettext_lazy("membership decision", "Suspend")),
        (MembershipStatus.LEFT, pgettext_lazy("membership decision", "Mark as left")),
    ],
    MembershipStatus.SUSPENDED: [
        (MembershipStatus.ACTIVE, pgettext_lazy("membership decision", "Reinstate")),
        (MembershipStatus.LEFT, pgettext_lazy("membership decision", "Mark as left")),
    ],
    MembershipStatus.LEFT: [
        (MembershipStatus.ACTIVE, pgettext_lazy("membership decision", "Reinstate")),
    ],
    MembershipStatus.REJECTED: [],
}


class MembershipDecisionForm(forms.Form):
    """One facilitator decision on one membership: the new status and, where needed, why.

    `current` carries the status the facilitator saw, so that a decision taken on
    a page that is out of date (someone else decided meanwhile) is refused with
    a clear message instead of being applied to a different situation.
    """

    status = forms.ChoiceField(choices=MembershipStatus.choices)
    current = forms.ChoiceField(choices=MembershipStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, membership: Membership):
        super().__init__(data)
        self.membership = membership

    def clean(self):
        cleaned = super().clean()
        current = cleaned.get("current")
        if current and current != self.membership.status:
            seen = MembershipStatus(current)
            now = MembershipStatus(self.membership.status)
            if seen == MembershipStatus.APPLIED:
                message = _(
                    "This application has already been decided: the membership is now %(status)s."
                )
            else:
                message = _(
                    "This membership changed in the meantime: it is now %(status)s. "
                    "Nothing was done; check it and decide again."
                )
            raise forms.ValidationError(message, params={"status": now.label.lower()})
        return cleaned


class InterlocutorForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Member entity"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose an active member entity"),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the network's history with the previous interlocutor's term."),
    )

    def __init__(self, data=None, *, memberships):
        super().__init__(data)
        field = self.fields["membership"]
        field.queryset = memberships
        field.label_from_instance = lambda membership: membership.entity.name
