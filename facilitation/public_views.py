"""The public network pages: every network on the home page, and one network's page."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from announcements import selectors as announcement_selectors
from events.selectors import participation_share
from evidence.selectors import evidence_settings, published_reports
from facilitation.selectors import public as selectors


@require_safe
def home(request):
    home = selectors.home_page(page_number=request.GET.get("page"))
    return render(
        request,
        "networks/home.html",
        {"networks": home.networks, "groups": home.groups, "page": home.page},
    )


@require_safe
def network_detail(request, network_slug):
    page = selectors.network_page(network=request.network)
    return render(
        request,
        "networks/detail.html",
        {
            "network": request.network,
            "page": page,
            "participation": participation_share(network=request.network),
            "public_sociogram": evidence_settings(network=request.network).public_sociogram,
            "news": announcement_selectors.news(network=request.network),
            "reports": published_reports(network=request.network),
        },
    )
