"""/api/v1/: each app adds its resources under the network they belong to."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from networks import api as network_api
from networks.scoping import all_networks

app_name = "api"


class SchemaView(SpectacularAPIView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # Describing the endpoints reads the models' structure, never a row;
        # django-filter still asks a manager for a query, which needs a scope.
        with all_networks():
            return super().get(request, *args, **kwargs)


network_patterns = [
    path("", network_api.NetworkDetail.as_view(), name="network"),
    path("platforms/", network_api.PlatformList.as_view(), name="platforms"),
    path("commissions/", include("commissions.api_urls")),
    path("events/", include("events.api_urls")),
    path("", include("members.api_urls")),
]

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("networks/", network_api.NetworkList.as_view(), name="networks"),
    path("networks/<slug:network_slug>/", include(network_patterns)),
]
