"""Events under /api/v1/networks/<network_slug>/events/."""

from django.urls import path

from events import api_views as api

urlpatterns = [
    path("", api.EventList.as_view(), name="events"),
    path("<int:event_id>/", api.EventDetail.as_view(), name="event"),
    path(
        "<int:event_id>/registrations/",
        api.RegistrationList.as_view(),
        name="event_registrations",
    ),
    path(
        "<int:event_id>/registrations/<int:registration_id>/cancel/",
        api.RegistrationCancel.as_view(),
        name="event_registration_cancel",
    ),
    path("<int:event_id>/attendance/", api.AttendanceList.as_view(), name="event_attendance"),
]
