from django.urls import path

from members import account_views

app_name = "account_area"

urlpatterns = [
    path(
        "verificacion/reenviar/",
        account_views.resend_verification,
        name="resend_verification",
    ),
]
