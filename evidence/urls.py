"""Pages under /redes/<network_slug>/: collaborations, the analysis, the yearly reports."""

from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("colaboraciones/", views.collaborations, name="collaborations"),
    path("facilitacion/analisis/", views.analysis, name="analysis"),
    path("facilitacion/analisis/sociograma.svg", views.sociogram_svg, name="sociogram"),
    path(
        "facilitacion/analisis/sociograma-publico/",
        views.sociogram_sharing,
        name="sociogram_sharing",
    ),
    path("sociograma.svg", views.public_sociogram_svg, name="public_sociogram"),
    path("facilitacion/exportar/", views.export_page, name="exports"),
    path("facilitacion/exportar/descargar/", views.export_download, name="export"),
    path("facilitacion/importar/", views.import_page, name="imports"),
    path("facilitacion/importar/<int:import_id>/", views.spreadsheet_import, name="import"),
    path("datos/directorio/", views.directory_download, name="directory_download"),
    path("facilitacion/informes/", views.reports, name="reports"),
    path("facilitacion/informes/<int:report_id>/", views.report, name="report"),
    path("facilitacion/informes/<int:report_id>/informe.pdf", views.report_pdf, name="report_pdf"),
    path(
        "facilitacion/informes/<int:report_id>/informe.xlsx",
        views.report_workbook,
        name="report_workbook",
    ),
    path("informes/<int:report_id>/", views.public_report, name="public_report"),
]
