from celery import shared_task

from core.jobs import Job
from evidence import imports
from evidence.services import compute_snapshot, generate_report
from networks.models import Network
from networks.tasks import NetworkJob, each_network


@shared_task(base=NetworkJob)
def analyse_network(network: Network, snapshot_id: int | None = None) -> int | None:
    """Compute the analysis of one network's ties: a queued snapshot, or a new nightly one."""
    snapshot = compute_snapshot(network=network, snapshot_id=snapshot_id)
    return snapshot.pk if snapshot is not None else None


@shared_task(base=Job)
def analyse_every_network() -> int:
    """Nightly: one analysis job per network."""
    return each_network(analyse_network)


def queue_analysis(network_id: int, snapshot_id: int) -> None:
    analyse_network.delay(network_id, snapshot_id)


@shared_task(base=NetworkJob)
def check_spreadsheet(network: Network, spreadsheet_import_id: int) -> int | None:
    """Check the rows of a large uploaded spreadsheet, saying how far it got."""
    upload = imports.check_rows(network=network, spreadsheet_import_id=spreadsheet_import_id)
    return upload.pk if upload is not None else None


@shared_task(base=NetworkJob)
def import_spreadsheet(network: Network, spreadsheet_import_id: int) -> int | None:
    """Import the confirmed rows of a large spreadsheet, one chunk at a time."""
    upload = imports.import_rows(network=network, spreadsheet_import_id=spreadsheet_import_id)
    return upload.pk if upload is not None else None


def queue_check(network_id: int, spreadsheet_import_id: int) -> None:
    check_spreadsheet.delay(network_id, spreadsheet_import_id)


def queue_import(network_id: int, spreadsheet_import_id: int) -> None:
    import_spreadsheet.delay(network_id, spreadsheet_import_id)


@shared_task(base=NetworkJob)
def generate_activity_report(network: Network, report_id: int) -> int | None:
    """Write a queued version of the network's yearly activity report."""
    report = generate_report(network=network, report_id=report_id)
    return report.pk if report is not None else None


def queue_report(network_id: int, report_id: int) -> None:
    generate_activity_report.delay(network_id, report_id)
