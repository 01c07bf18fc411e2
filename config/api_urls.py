"""/api/v1/: each app adds its resources under the network they belong to."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from facilitation import api_views as network_api
from platforms import api_views as platform_api

app_name = "api"

network_patterns: list[URLPattern | URLResolver] = [
    path("", network_api.NetworkDetail.as_view(), name="network"),
    path("platforms/", platform_api.PlatformList.as_view(), name="platforms"),
    path("commissions/", include("commissions.api_urls")),
    path("events/", include("events.api_urls")),
    path("proposals/", include("decisions.api_urls")),
    path("agendas/", include("agenda.api_urls")),
    path("", include("members.api_urls")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves the page's start-up script as a file of its own, not inline.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("networks/", network_api.NetworkList.as_view(), name="networks"),
    path("networks/<slug:network_slug>/", include(network_patterns)),
]
