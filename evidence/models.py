from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.scoping import NetworkOwned


class CollaborationKind(models.TextChoices):
    """The two relations the study asked each entity about (section 5.3)."""

    CONTACT = "contact", _("We worked with them")
    HELP = "help", _("They helped us")


class Collaboration(NetworkOwned):
    """A tie one member entity declares with another, directed, and confirmable by the other.

    The entity that declares is `from_entity`; `to_entity` is the one it worked
    with, or the one that helped it. An unconfirmed declaration still counts,
    as the study counted what each entity said of its own relations.
    """

    from_entity = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    to_entity = models.ForeignKey(
        "members.Entity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("with"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CollaborationKind.choices)
    what = models.CharField(_("what"), max_length=300)
    happened_on = models.DateField(_("when"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("declared by person"),
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_entity=models.F("to_entity")),
                name="collaboration_between_two_entities",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "happened_on"], name="collaboration_period"),
            models.Index(fields=["network", "to_entity"], name="collaboration_target"),
        ]

    def __str__(self):
        return f"{self.from_entity} → {self.to_entity}: {self.what}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class SnapshotState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobRun(NetworkOwned):
    """What a job computes for a network on request: who asked, when, how far it got, how it ended.

    The analysis and the activity report are both made this way; the page that
    asked shows the progress until the job is done or has failed.
    """

    state = models.CharField(
        _("state"), max_length=20, choices=SnapshotState.choices, default=SnapshotState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state in (SnapshotState.QUEUED, SnapshotState.RUNNING)


class AnalysisSnapshot(JobRun):
    """The analysis of a network's ties over a period, as a job computed it on a date.

    The headline figures are columns, so that the trend over snapshots is one
    small query; everything else (lists of entities, top centralities) is in
    `results`. A snapshot is written once by its job and never changed after.
    """

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    entities = models.PositiveIntegerField(_("entities"), default=0)
    ties = models.PositiveIntegerField(_("ties"), default=0)
    density = models.FloatField(_("density"), null=True, blank=True)
    mean_degree = models.FloatField(_("mean degree"), null=True, blank=True)
    isolated_share = models.FloatField(_("isolated share"), null=True, blank=True)
    cross_sector_share = models.FloatField(_("cross-sector share"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)
    # Where each entity sits and every tie (evidence.sociogram): large, read only to draw.
    sociogram = models.JSONField(_("sociogram"), default=dict, blank=True)

    class Meta:
        verbose_name = _("analysis snapshot")
        verbose_name_plural = _("analysis snapshots")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "state", "-finished_at"], name="snapshot_latest"),
        ]

    def __str__(self):
        return f"{self.network} {self.period_start} to {self.period_end} ({self.state})"


class EvidenceSettings(NetworkOwned):
    """What a network shows of its analysis beyond its facilitators; one row per network."""

    public_sociogram = models.BooleanField(
        _("show an anonymised sociogram on the public page"),
        default=False,
        help_text=_("The picture of the ties, without the names of the entities."),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("evidence settings")
        verbose_name_plural = _("evidence settings")
        constraints = [
            models.UniqueConstraint(fields=["network"], name="evidence_settings_per_network"),
        ]

    def __str__(self):
        return str(self.network)


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Member entities")
    PROSPECTS = "prospects", _("Prospects to invite")


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    READY = "ready", _("Waiting for confirmation")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")


class SpreadsheetImport(NetworkOwned):
    """A spreadsheet of entities a facilitator uploaded: checked, previewed, then imported.

    The cells are kept as read (text), not the file, so that the preview survives a
    reload and a job on another machine reads the same rows; `results` holds one
    entry per row (its values, errors, likely duplicates, the facilitator's choice
    and what the import did). Nothing of the network changes before confirmation;
    cancelling deletes this record and nothing else.
    """

    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.PROTECT,
        related_name="spreadsheet_imports",
        verbose_name=_("network"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    header = models.JSONField(_("header"), default=list, blank=True)
    cells = models.JSONField(_("cells"), default=list, blank=True)
    mapping = models.JSONField(_("columns"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ImportState.choices, default=ImportState.CHECKING
    )
    total = models.PositiveIntegerField(_("rows to process"), default=0)
    progress = models.PositiveIntegerField(_("rows processed"), default=0)
    results = models.JSONField(_("results"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "-created_at"], name="spreadsheet_import_latest"),
        ]

    def __str__(self):
        return f"{self.network}: {self.file_name} ({self.state})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.progress * 100 // self.total)


class ActivityReport(JobRun):
    """The yearly activity report of a network (recommendation 1), as a job wrote it on a date.

    A version is written once by its job and never changed after, but for being
    published: what the report says is kept in `data` (read when it was made), and
    the PDF and the workbook made from it are kept beside it, so that a report of
    a past year reads the same whatever changes later. Several versions of one
    year may exist; the network's page shows the last one published.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    # The same moment as the other jobs' `finished_at`, named for what it marks here.
    finished_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    data = models.JSONField(_("contents"), default=dict, blank=True)
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"")
    workbook = models.BinaryField(_("workbook"), blank=True, default=b"")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-year", "-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "year", "-requested_at"], name="report_of_year"),
        ]

    def __str__(self):
        return f"{self.network} {self.year} ({self.state})"

    @property
    def is_published(self):
        return self.published_at is not None
