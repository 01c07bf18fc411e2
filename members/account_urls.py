from django.urls import path

from members import account_views

app_name = "account_area"

urlpatterns = [
    path("avisos/", account_views.inbox, name="inbox"),
    path("avisos/leidos/", account_views.mark_read, name="mark_read"),
    path("ajustes/", account_views.account_settings, name="settings"),
    path("tokens/", account_views.api_tokens, name="api_tokens"),
    path("baja/<str:token>/", account_views.unsubscribe_view, name="unsubscribe"),
    path("tokens/revocar/", account_views.revoke_api_token_view, name="revoke_api_token"),
    path(
        "verificacion/reenviar/",
        account_views.resend_verification,
        name="resend_verification",
    ),
]
