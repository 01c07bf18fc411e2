from django.urls import path

from commissions import views

app_name = "commissions"

urlpatterns = [
    path("<int:commission_id>/", views.commission_detail, name="detail"),
]
