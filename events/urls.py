from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("nuevo/", views.event_create, name="create"),
    path("calendario.ics", views.network_feed, name="network_feed"),
    path(
        "comisiones/<int:commission_id>/calendario.ics",
        views.commission_feed,
        name="commission_feed",
    ),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/evento.ics", views.event_ics, name="ics"),
    path("<int:event_id>/editar/", views.event_edit, name="edit"),
    path("<int:event_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:event_id>/anunciar/", views.event_announce, name="announce"),
    path("<int:event_id>/cancelar/", views.event_cancel, name="cancel"),
    path("<int:event_id>/inscripcion/", views.register_entity, name="register_entity"),
    path("<int:event_id>/inscripcion-personal/", views.register_person, name="register_person"),
    path("<int:event_id>/inscripciones/", views.registration_list, name="registrations"),
    path(
        "<int:event_id>/inscripciones/<int:registration_id>/cancelar/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "<int:event_id>/confirmar-inscripcion/<str:token>/",
        views.confirm_by_link,
        name="confirm_by_link",
    ),
    path(
        "<int:event_id>/cancelar-inscripcion/<str:token>/",
        views.cancel_by_link,
        name="cancel_by_link",
    ),
    path("<int:event_id>/asistencia/", views.attendance, name="attendance"),
    path("<int:event_id>/acta/", views.minutes, name="minutes"),
    path("<int:event_id>/acta/publicar/", views.minutes_publish, name="minutes_publish"),
    path(
        "<int:event_id>/acta/acuerdos/<int:decision_id>/accion/",
        views.decision_action,
        name="decision_action",
    ),
]
