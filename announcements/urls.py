from django.urls import path

from announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("nuevo/", views.announcement_create, name="create"),
    path("<int:announcement_id>/", views.announcement_detail, name="detail"),
    path("<int:announcement_id>/corregir/", views.announcement_correct, name="correct"),
]
