from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from core.media import serve_upload
from facilitation import public_views

network_patterns = [
    path("", include("facilitation.network_urls")),
    path("", include("members.urls")),
    path("comisiones/", include("commissions.urls")),
    path("anuncios/", include("announcements.urls")),
    path("eventos/", include("events.urls")),
    path("decisiones/", include("decisions.urls")),
    path("agenda/", include("agenda.urls")),
    path("facilitacion/", include("facilitation.urls")),
    path("", include("evidence.urls")),
]

urlpatterns = [
    path("", public_views.home, name="home"),
    # The language switch sets only the reader's language cookie: without a CSRF
    # token in it, visitors' pages hold nothing personal and can be cached.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("cuenta/", include("allauth.urls")),
    path("cuenta/", include("members.account_urls")),
    path("mi-red/", include("members.workspace_urls")),
    path("calendario/", include("events.feed_urls")),
    path("redes/<slug:network_slug>/", include(network_patterns)),
]

if settings.DEBUG:  # uploaded files, in development only: in production the web server serves them
    urlpatterns += static(settings.MEDIA_URL, view=serve_upload)

handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"
