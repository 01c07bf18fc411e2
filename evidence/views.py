"""The evidence pages: collaborations, the analysis, exports, imports, the yearly reports."""

import re

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import DomainError
from evidence import exports, imports, selectors, sociogram
from evidence.forms import (
    CollaborationForm,
    ColumnMappingForm,
    ReportForm,
    SociogramFilterForm,
    SpreadsheetUploadForm,
)
from evidence.models import Collaboration
from evidence.report_files import presented
from evidence.services import (
    confirm_collaboration,
    declare_collaboration,
    publish_report,
    report_years,
    request_analysis,
    request_report,
    share_sociogram,
)
from evidence.study import STUDY_FIGURES
from evidence.tasks import queue_analysis, queue_check, queue_import, queue_report
from members.decorators import network_permission_required
from members.rules import entity_roles


@network_permission_required("evidence.declare_collaboration")
@require_http_methods(["GET", "HEAD", "POST"])
def collaborations(request, network_slug):
    """The collaborations of the entities this person acts for: declare one, confirm theirs."""
    network = request.network
    entity_ids = entity_roles(request.user).entities_in(network.pk)
    acting = selectors.acting_entities(network=network, entity_ids=entity_ids)
    partners = selectors.collaboration_partners(network=network, excluding=entity_ids)
    form = CollaborationForm(acting=acting, partners=partners)
    error = None
    if request.method == "POST" and "confirm" in request.POST:
        collaboration = _named_collaboration(request.POST.get("confirm"))
        try:
            confirm_collaboration(collaboration=collaboration, by=request.user)
        except DomainError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Collaboration confirmed."))
            return redirect("evidence:collaborations", network_slug=network.slug)
    elif request.method == "POST":
        form = CollaborationForm(request.POST, acting=acting, partners=partners)
        if form.is_valid():
            try:
                declare_collaboration(
                    network=network,
                    from_entity=form.entity("from_entity"),
                    to_entity=form.entity("to_entity"),
                    kind=form.cleaned_data["kind"],
                    what=form.cleaned_data["what"],
                    happened_on=form.cleaned_data["happened_on"],
                    by=request.user,
                )
            except DomainError as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _("Collaboration recorded. %(entity)s can now confirm it.")
                    % {"entity": form.entity("to_entity").name},
                )
                return redirect("evidence:collaborations", network_slug=network.slug)
    rows = selectors.collaborations_of(network=network, entity_ids=entity_ids)
    return render(
        request,
        "evidence/collaborations.html",
        {
            "network": network,
            "form": form,
            "error": error,
            "declared": [row for row in rows if row.from_entity_id in entity_ids],
            "received": [row for row in rows if row.to_entity_id in entity_ids],
        },
        status=400 if error or form.errors else 200,
    )


def _named_collaboration(value):
    try:
        collaboration_id = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    collaboration = (
        Collaboration.objects.filter(pk=collaboration_id).select_related("to_entity").first()
    )
    if collaboration is None:
        raise Http404
    return collaboration


@network_permission_required("evidence.view_analysis")
@require_http_methods(["GET", "HEAD", "POST"])
def analysis(request, network_slug):
    """The latest analysis of the network's ties beside the study's figures; run one now."""
    network = request.network
    if request.method == "POST":
        try:
            request_analysis(network=network, by=request.user, queue=queue_analysis)
        except DomainError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The analysis has started. This page shows its progress."))
        return redirect("evidence:analysis", network_slug=network.slug)
    snapshot = selectors.latest_snapshot(network=network)
    pending = selectors.pending_snapshot(network=network)
    drawing = (
        selectors.sociogram_nodes(network=network, snapshot_id=snapshot.pk) if snapshot else {}
    )
    filter_form = SociogramFilterForm(request.GET or None, platforms=drawing.get("platforms", []))
    filters = filter_form.filters()
    rows, shown = sociogram.facts(drawing, limit=SOCIOGRAM_TABLE_ROWS, **filters)
    query = request.GET.urlencode() if filters else ""
    return render(
        request,
        "evidence/analysis.html",
        {
            "network": network,
            "snapshot": snapshot,
            "results": snapshot.results if snapshot else {},
            "pending": pending,
            "trend": selectors.snapshot_trend(network=network),
            "study": STUDY_FIGURES,
            "section": "analysis",
            "filter_form": filter_form,
            "sociogram_query": query,
            "sociogram_rows": rows,
            "sociogram_shown": shown,
            "settings": selectors.evidence_settings(network=network),
        },
        status=400 if filter_form.errors else 200,
    )


SOCIOGRAM_TABLE_ROWS = 100
SVG_TYPE = "image/svg+xml; charset=utf-8"
# A drawing opened on its own runs nothing and loads nothing.
SVG_POLICY = "default-src 'none'; sandbox"


def _svg(network, text, *, download):
    response = HttpResponse(text, content_type=SVG_TYPE)
    response["Content-Security-Policy"] = SVG_POLICY
    if download:
        day = timezone.localdate(timezone.now(), network.zone).isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="{network.slug}-sociograma-{day}.svg"'
        )
    return response


@network_permission_required("evidence.view_analysis")
@require_safe
def sociogram_svg(request, network_slug):
    """The latest sociogram as SVG, filtered as the analysis page asks; to see or download.

    Before the first analysis it is an empty drawing, so that the image is never broken.
    """
    network = request.network
    snapshot, drawing = selectors.latest_sociogram(network=network)
    form = SociogramFilterForm(request.GET or None, platforms=drawing.get("platforms", []))
    if form.errors:
        return HttpResponseBadRequest(_("Unknown platform, kind of entity or kind of tie."))
    if snapshot is None:
        title = _("Sociogram of %(network)s: not analysed yet") % {"network": network.name}
    else:
        title = _("Sociogram of %(network)s, ties from %(start)s to %(end)s") % {
            "network": network.name,
            "start": snapshot.period_start.isoformat(),
            "end": snapshot.period_end.isoformat(),
        }
    text = sociogram.draw(drawing, title=title, **form.filters())
    return _svg(network, text, download="descargar" in request.GET)


@require_safe
def public_sociogram_svg(request, network_slug):
    """The latest sociogram without names, for anybody, only when the network chose to show it."""
    network = request.network
    if not selectors.evidence_settings(network=network).public_sociogram:
        raise Http404
    snapshot, drawing = selectors.latest_sociogram(network=network)
    if snapshot is None:
        raise Http404
    title = _("Ties between the member entities of %(network)s") % {"network": network.name}
    return _svg(network, sociogram.draw(drawing, title=title, anonymous=True), download=False)


@network_permission_required("evidence.view_analysis")
@require_http_methods(["POST"])
def sociogram_sharing(request, network_slug):
    """The facilitator shows or hides the anonymised sociogram on the public page."""
    network = request.network
    public = request.POST.get("public") == "1"
    try:
        share_sociogram(network=network, public=public, by=request.user)
    except DomainError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("The public page shows the sociogram without names.")
            if public
            else _("The public page no longer shows the sociogram."),
        )
    return redirect("evidence:analysis", network_slug=network.slug)


EXPORT_FORMATS = {"csv", "xlsx"}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download_name(network, dataset, extension):
    day = timezone.localdate(timezone.now(), network.zone).isoformat()
    return f"{network.slug}-{dataset.name}-{day}.{extension}"


def _spreadsheet(network, dataset, file_format):
    if file_format == "xlsx":
        return FileResponse(
            exports.xlsx_file(dataset),
            as_attachment=True,
            filename=_download_name(network, dataset, "xlsx"),
            content_type=XLSX_TYPE,
        )
    response = StreamingHttpResponse(exports.csv_lines(dataset), content_type=CSV_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(network, dataset, "csv")}"'
    )
    return response


@network_permission_required("evidence.export_network_data")
@require_safe
def export_page(request, network_slug):
    """What the facilitator can take out of Tejido, as CSV or Excel."""
    return render(
        request,
        "evidence/exports.html",
        {"network": request.network, "section": "exports"},
    )


@network_permission_required("evidence.export_network_data")
@require_safe
def export_download(request, network_slug):
    """Members with contacts, commission members, or registrations: streamed."""
    dataset = exports.FACILITATOR_DATASETS.get(request.GET.get("datos", "members"))
    file_format = request.GET.get("formato", "csv")
    if dataset is None or file_format not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Unknown data set or format."))
    return _spreadsheet(request.network, dataset(request.network), file_format)


@require_safe
def directory_download(request, network_slug):
    """The public directory (public facts only) as CSV or JSON, for anybody."""
    network = request.network
    dataset = exports.directory(network)
    file_format = request.GET.get("formato", "csv")
    if file_format == "json":
        return StreamingHttpResponse(
            exports.json_records(dataset), content_type="application/json; charset=utf-8"
        )
    if file_format != "csv":
        return HttpResponseBadRequest(_("Unknown data set or format."))
    return _spreadsheet(network, dataset, "csv")


@network_permission_required("evidence.import_network_data")
@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request, network_slug):
    """Upload the network's own spreadsheet of member entities or prospects; recent uploads."""
    network = request.network
    form = SpreadsheetUploadForm()
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = imports.upload_spreadsheet(
                    network=network,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    queue=queue_check,
                )
            except DomainError as refused:
                form.add_error("file", str(refused))
            else:
                return redirect("evidence:import", network_slug=network.slug, import_id=record.pk)
    return render(
        request,
        "evidence/imports.html",
        {
            "network": network,
            "form": form,
            "recent": selectors.recent_imports(network=network),
            "section": "imports",
            "inline_rows": imports.INLINE_ROWS,
        },
        status=400 if form.errors else 200,
    )


ROW_CHOICE = re.compile(r"row-([0-9]{1,6})")


def _row_choices(data) -> dict[int, str]:
    choices = {}
    for key, value in data.items():
        match = ROW_CHOICE.fullmatch(key)
        if match:
            choices[int(match.group(1))] = value
    return choices


@network_permission_required("evidence.import_network_data")
@require_http_methods(["GET", "HEAD", "POST"])
def spreadsheet_import(request, network_slug, import_id):
    """An upload's preview (columns, each row's errors and likely duplicates), progress, result.

    The facilitator maps the columns again, chooses what to do with each likely
    duplicate and confirms, or cancels, which deletes the upload and nothing else.
    """
    network = request.network
    record = selectors.spreadsheet_import(network=network, import_id=import_id)
    if record is None:
        raise Http404
    mapping_form = ColumnMappingForm(header=record.header, initial_mapping=record.mapping)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                imports.cancel_import(spreadsheet_import=record, by=request.user)
                messages.success(request, _("The import was cancelled: nothing has been changed."))
                return redirect("evidence:imports", network_slug=network.slug)
            if action == "map":
                mapping_form = ColumnMappingForm(request.POST, header=record.header)
                if mapping_form.is_valid():
                    imports.map_columns(
                        spreadsheet_import=record,
                        mapping=mapping_form.mapping(),
                        by=request.user,
                        queue=queue_check,
                    )
                    messages.success(request, _("Every row was checked again with these columns."))
                    return redirect(
                        "evidence:import", network_slug=network.slug, import_id=record.pk
                    )
            elif action == "confirm":
                imports.confirm_import(
                    spreadsheet_import=record,
                    choices=_row_choices(request.POST),
                    by=request.user,
                    queue=queue_import,
                )
                messages.success(request, _("The confirmed rows are being imported."))
                return redirect("evidence:import", network_slug=network.slug, import_id=record.pk)
            else:
                error = _("Choose to check the columns again, to import, or to cancel.")
        except DomainError as refused:
            error = str(refused)
    return render(
        request,
        "evidence/import.html",
        {
            "network": network,
            "record": record,
            "preview": imports.preview_of(record),
            "mapping_form": mapping_form,
            "error": error,
            "section": "imports",
        },
        status=400 if error or mapping_form.errors else 200,
    )


# The yearly activity report ---------------------------------------------------

PDF_TYPE = "application/pdf"


@network_permission_required("evidence.view_analysis")
@require_http_methods(["GET", "HEAD", "POST"])
def reports(request, network_slug):
    """The network's yearly activity reports: generate one for a year, see the versions."""
    network = request.network
    form = ReportForm(request.POST or None, years=report_years(network))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = request_report(
                    network=network,
                    year=int(form.cleaned_data["year"]),
                    by=request.user,
                    queue=queue_report,
                )
            except DomainError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, _("The report is being generated. Its page shows the progress.")
                )
                return redirect("evidence:report", network_slug=network.slug, report_id=report.pk)
        status = 400
    return render(
        request,
        "evidence/reports.html",
        {
            "network": network,
            "form": form,
            "versions": selectors.report_versions(network=network),
            "section": "reports",
        },
        status=status,
    )


def _report_or_404(network, report_id):
    report = selectors.report_of(network=network, report_id=report_id)
    if report is None:
        raise Http404
    return report


@network_permission_required("evidence.view_analysis")
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, network_slug, report_id):
    """One version of the report as a page, with its progress while the job writes it.

    Its form publishes it on the network's public page, or takes it down.
    """
    network = request.network
    version = _report_or_404(network, report_id)
    if request.method == "POST":
        publish = request.POST.get("publish") == "1"
        try:
            publish_report(report=version, publish=publish, by=request.user)
        except DomainError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("The network's public page shows this report.")
                if publish
                else _("The network's public page no longer shows this report."),
            )
        return redirect("evidence:report", network_slug=network.slug, report_id=version.pk)
    return render(
        request,
        "evidence/report.html",
        {
            "network": network,
            "report": version,
            "data": presented(version.data),
            "section": "reports",
        },
    )


def _report_download(request, report_id, *, kind, extension, content_type):
    network = request.network
    found = selectors.report_file(network=network, report_id=report_id, kind=kind)
    if found is None:
        raise Http404
    year, content = found
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{network.slug}-informe-{year}-{report_id}.{extension}"'
    )
    return response


@network_permission_required("evidence.view_analysis")
@require_safe
def report_pdf(request, network_slug, report_id):
    """A finished version's PDF."""
    return _report_download(request, report_id, kind="pdf", extension="pdf", content_type=PDF_TYPE)


@network_permission_required("evidence.view_analysis")
@require_safe
def report_workbook(request, network_slug, report_id):
    """A finished version's workbook, one sheet per section."""
    return _report_download(
        request, report_id, kind="workbook", extension="xlsx", content_type=XLSX_TYPE
    )


@require_safe
def public_report(request, network_slug, report_id):
    """A report the facilitator published, for anybody: its sociogram without names."""
    network = request.network
    version = selectors.published_report(network=network, report_id=report_id)
    if version is None:
        raise Http404
    return render(
        request,
        "evidence/public_report.html",
        {"network": network, "report": version, "data": presented(version.data, anonymous=True)},
    )
