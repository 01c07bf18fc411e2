"""/api/v1/networks/<network_slug>/agendas/…: the annual agenda, read only."""

from django.urls import path

from agenda import api_views as api

urlpatterns = [
    path("", api.AgendaList.as_view(), name="agendas"),
    path("<int:year>/", api.AgendaDetail.as_view(), name="agenda"),
    path("<int:year>/lines/<int:line_id>/", api.LineDetail.as_view(), name="agenda_line"),
]
