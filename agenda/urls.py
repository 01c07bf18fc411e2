from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.agenda_list, name="list"),
    path("nueva/", views.agenda_draft, name="draft"),
    path("comentar/", views.agenda_comment, name="comment"),
    path("<int:year>/", views.agenda_year, name="year"),
    path("<int:year>/lineas/nueva/", views.agenda_add_line, name="add_line"),
    path("<int:year>/estado/", views.agenda_advance, name="advance"),
    path("<int:year>/lineas/<int:line_id>/", views.line_detail, name="line"),
    path("<int:year>/lineas/<int:line_id>/sumar/", views.line_attach, name="attach"),
]
