"""The yearly activity report as a page, a PDF (WeasyPrint) and a workbook (openpyxl).

All three are made from the data a report version keeps (`evidence.report`),
so they say the same. The sociogram of each analysis is drawn from the layout
kept with it (`evidence.sociogram.draw`) and put in the page as an image;
without names when the report is shown to the public.
"""

import base64
import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from weasyprint import CSS, HTML

from evidence import sociogram
from evidence.exports import FORMULA_STARTS

PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report-print.css"
# Excel refuses sheet titles longer than this.
SHEET_TITLE_LENGTH = 31


def _date(value):
    return date.fromisoformat(value) if value else None


def _dated(rows: list[dict]) -> list[dict]:
    return [
        {
            **row,
            "day": _date(row.get("day")),
            **({"last_day": _date(row["last_day"])} if row.get("last_day") else {}),
        }
        for row in rows
    ]


def _svg_image(drawing: dict, *, title: str, anonymous: bool) -> str:
    text = sociogram.draw(drawing, title=title, anonymous=anonymous)
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()


def presented(data: dict, *, anonymous: bool = False) -> dict:
    """The report's data as its templates read it: dates as dates, sociograms as images.

    Shown to the public (`anonymous`), the sociogram has no names and only the
    announcements the network made public appear.
    """
    if not data:
        return {}
    summary = data["summary"]
    analyses = []
    for analysis in data.get("analyses", []):
        title = _("Ties between the member entities of %(network)s in %(year)s") % {
            "network": analysis["network"],
            "year": data["year"],
        }
        analyses.append(
            {
                **analysis,
                "title": title,
                "image": _svg_image(analysis["sociogram"], title=title, anonymous=anonymous)
                if analysis["entities"]
                else "",
            }
        )
    announcements = data["announcements"]
    if anonymous:
        announcements = [row for row in announcements if row["public"]]
    return {
        **data,
        "summary": {
            **summary,
            # In the order of section 5.1 (a stored mapping does not keep its order).
            "composition": [
                (_("By kind of entity"), summary["composition"]["kinds"]),
                (_("By platform"), summary["composition"]["platforms"]),
                (_("By priority area"), summary["composition"]["areas"]),
            ],
            "joined": _dated(summary["joined"]),
            "left": _dated(summary["left"]),
        },
        "sheets": _dated(data["sheets"]),
        "events": _dated(data["events"]),
        "announcements": _dated(announcements),
        "analyses": analyses,
        "several_networks": bool(data.get("networks")),
    }


def pdf_of(report, data: dict) -> bytes:
    """The report as a PDF document, its sociograms included."""
    html = render_to_string(
        "evidence/report_document.html",
        {"report": report, "data": presented(data), "network": report.network},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(PRINT_STYLESHEET))]
    )


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook_of(data: dict) -> bytes:
    """The report as an Excel workbook: one sheet per section."""
    book = Workbook()
    book.remove(book.active)

    def sheet(title: str, header: list[str], rows) -> None:
        page = book.create_sheet(title[:SHEET_TITLE_LENGTH])
        page.append(header)
        for row in rows:
            page.append([_cell(value) for value in row])

    summary = data["summary"]
    participation = summary["participation"]
    composition = summary["composition"]
    sheet(
        _("Summary"),
        [_("Measure"), _("Value")],
        [
            [_("Network"), data["network"]],
            [_("Year"), data["year"]],
            [_("Member entities at the end of the year"), summary["members"]],
            [_("Entities that joined"), len(summary["joined"])],
            [_("Entities that left"), len(summary["left"])],
            [_("Events held"), participation["events"]],
            [_("Member entities that took part in an event"), participation["participating"]],
            *([_("Kind") + ": " + label, count] for label, count in composition["kinds"]),
            *([_("Platform") + ": " + label, count] for label, count in composition["platforms"]),
            *([_("Priority area") + ": " + label, count] for label, count in composition["areas"]),
        ],
    )
    sheet(
        _("Joined and left"),
        [_("Entity"), _("Network"), _("Movement"), _("Date")],
        [[row["entity"], row["network"], _("Joined"), row["day"]] for row in summary["joined"]]
        + [[row["entity"], row["network"], _("Left"), row["day"]] for row in summary["left"]],
    )
    sheet(
        _("Commissions"),
        [
            _("Date"),
            _("Commission"),
            _("Network"),
            _("Occasion"),
            _("Member entities"),
            _("Participants"),
            _("Objectives"),
            _("Methodology"),
            _("Activities"),
            _("Results"),
            _("Evaluation"),
        ],
        [
            [
                row["day"],
                row["commission"],
                row["network"],
                row["occasion"],
                ", ".join(row["entities"]),
                row["participants"],
                row["objectives"],
                row["methodology"],
                row["activities"],
                row["results"],
                row["evaluation"],
            ]
            for row in data["sheets"]
        ],
    )
    sheet(
        _("Events"),
        [
            _("Date"),
            _("Event"),
            _("Kind"),
            _("Network"),
            _("Commission"),
            _("Place"),
            _("Entities registered"),
            _("Minutes"),
            _("Decisions"),
        ],
        [
            [
                row["day"],
                row["title"],
                row["kind"],
                row["network"],
                row["commission"],
                row["place"],
                row["entities"],
                row["minutes"],
                "\n".join(decision["text"] for decision in row["decisions"]),
            ]
            for row in data["events"]
        ],
    )
    sheet(
        _("Announcements"),
        [_("Date"), _("Title"), _("Network"), _("Text")],
        [[row["day"], row["title"], row["network"], row["body"]] for row in data["announcements"]],
    )
    sheet(
        _("Analysis of ties"),
        [
            _("Network"),
            _("Entities"),
            _("Ties"),
            _("Density"),
            _("Mean degree"),
            _("Isolated share"),
            _("Cross-sector share"),
        ],
        [
            [
                row["network"],
                row["entities"],
                row["ties"],
                row["density"],
                row["mean_degree"],
                row["isolated_share"],
                row["cross_sector_share"],
            ]
            for row in data.get("analyses", [])
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
