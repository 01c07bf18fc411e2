"""Every route of the site and, beside them, a page that does nothing: the yardstick."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site


@require_safe
def trivial(request):
    """Only the middleware's cost: what every other page is compared with."""
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", trivial, name="bench_trivial"), *site]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
