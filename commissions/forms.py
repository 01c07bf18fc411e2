"""Input checking for the commission pages.

Every form that acts names the entity the person acts for. Its choices are
the entities this person may act for in this network and, for this action,
only those that fit (a promoter entity to post an update, a sitting one to
comment), so an entity id from elsewhere is simply not a valid choice. When
there is only one, it is chosen for them and the page names it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commissions import uploads
from commissions.models import ActionStatus, CommissionKind
from core.dates import validate_day
from core.errors import DomainError


class ActingForm(forms.Form):
    entity = forms.TypedChoiceField(label=_("Acting for"), coerce=int)

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.entities = {entity.pk: entity for entity in entities}
        self.fields["entity"].choices = [(entity.pk, entity.name) for entity in entities]
        if len(entities) == 1:
            self.fields["entity"].initial = entities[0].pk
            self.fields["entity"].widget = forms.HiddenInput()

    @property
    def single_entity(self):
        return next(iter(self.entities.values())) if len(self.entities) == 1 else None

    @property
    def acting_entity(self):
        return self.entities[self.cleaned_data["entity"]]

    def act_data(self, **more):
        """The checked input as an act takes it: `entity` is the entity acted for."""
        return {**self.cleaned_data, "entity": self.acting_entity, **more}


class ProposeForm(ActingForm):
    name = forms.CharField(label=_("Name of the commission"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommissionKind.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What the commission wants to achieve, in a few sentences."),
    )
    topics = forms.CharField(
        label=_("Topics of interest"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("The shared interests that bring the entities together."),
    )


class EntityOnlyForm(ActingForm):
    """Join, leave and step up: the entity is all there is to say."""


class StepDownForm(ActingForm):
    entity = forms.TypedChoiceField(label=_("Entity that steps down"), coerce=int)
    reason = forms.CharField(
        label=_("Why does your entity step down?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The other members read it; the facilitator may invite another promoter."),
    )


def check_image(upload):
    """The image decoded and encoded anew (`commissions.uploads`), or the reason it is refused."""
    try:
        return uploads.clean_image(upload)
    except DomainError as error:
        raise ValidationError(error.message) from None


def check_attachment(upload):
    try:
        return uploads.check_attachment(upload)
    except DomainError as error:
        raise ValidationError(error.message) from None


class ProgressUpdateForm(ActingForm):
    entity = forms.TypedChoiceField(label=_("Promoter entity"), coerce=int)
    text = forms.CharField(
        label=_("What has the commission done?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
    image = forms.ImageField(
        label=_("Image (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, doc, docx, odt, ods or xlsx, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.odt,.ods,.xlsx"}),
    )
    actions = forms.TypedMultipleChoiceField(
        label=_("Actions of the work plan it moves forward"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions_by_id = {action.pk: action for action in actions}
        self.fields["actions"].choices = [(action.pk, action.title) for action in actions]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        return check_image(image) if image else None

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        return check_attachment(attachment) if attachment else None

    def clean_actions(self):
        return [self.actions_by_id[pk] for pk in self.cleaned_data.get("actions") or []]


class CommentForm(ActingForm):
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class PostForm(ActingForm):
    """A message to the conversation; `parent` names the message answered, if any."""

    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditPostForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class HidePostForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept with the message; its author and the members see that it was hidden."),
    )


class TopicForm(ActingForm):
    title = forms.CharField(label=_("New topic of interest"), max_length=200)


class TopicMoveForm(ActingForm):
    direction = forms.ChoiceField(label=_("Move"), choices=[("up", _("Up")), ("down", _("Down"))])


class ActionForm(ActingForm):
    title = forms.CharField(label=_("Action"), max_length=300)
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False, empty_value=None)
    responsible = forms.TypedChoiceField(label=_("Responsible promoter entity"), coerce=int)
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_day],
    )

    def __init__(self, *args, topics=(), promoters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {topic.pk: topic for topic in topics}
        self.promoters = {entity.pk: entity for entity in promoters}
        self.fields["topic"].choices = [("", _("No particular topic"))] + [
            (topic.pk, topic.title) for topic in topics
        ]
        self.fields["responsible"].choices = [(entity.pk, entity.name) for entity in promoters]

    def clean_topic(self):
        pk = self.cleaned_data.get("topic")
        return self.topics[pk] if pk else None

    def clean_responsible(self):
        return self.promoters[self.cleaned_data["responsible"]]


class ActionStatusForm(ActingForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class CloseForm(ActingForm):
    entity = forms.TypedChoiceField(label=_("Promoter entity"), coerce=int)
    note = forms.CharField(
        label=_("What did the commission achieve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Every member entity and the facilitator are told, with this note."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, close this commission: it becomes a read-only archive."),
    )


class ClosingSheetForm(ActingForm):
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Entities and people who took part, and from which platforms."),
    )
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}))
    methodology = forms.CharField(label=_("Methodology"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}))
    evaluation = forms.CharField(
        label=_("Evaluation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What worked, what did not, what the next commission should know."),
    )

    FIELDS = ("participants", "objectives", "methodology", "activities", "results", "evaluation")


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the closed commissions"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("By name, purpose or topic."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the commission reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Its members read it, and it stays in the network's history."),
    )
