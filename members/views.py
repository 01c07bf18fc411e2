from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from members import selectors
from members.forms import DirectoryFilterForm

DIRECTORY_PAGE_SIZE = 24


def directory(request, network_slug):
    network = request.network
    form = DirectoryFilterForm(
        request.GET,
        platforms=selectors.network_platforms(network=network),
        areas=selectors.priority_areas(),
    )
    filters = form.filters()
    memberships = selectors.directory(network=network, **filters)
    # get_page turns a missing, malformed or out-of-range number into the first or last page.
    page = Paginator(memberships, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {
            "network": network,
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "invalid_filters": [form[name].label for name in form.errors],
            "query_without_page": query_without_page.urlencode(),
        },
    )


def entity_profile(request, network_slug, entity_slug):
    profile = selectors.entity_profile(network=request.network, entity_slug=entity_slug)
    if profile is None:
        raise Http404
    return render(request, "members/entity.html", {"network": request.network, "profile": profile})
