"""The public network pages: every network on the home page, and one network's page."""

from django.shortcuts import render

from facilitation.selectors import public as selectors


def home(request):
    return render(request, "networks/home.html", {"networks": selectors.networks_overview()})


def network_detail(request, network_slug):
    page = selectors.network_page(network=request.network)
    return render(request, "networks/detail.html", {"network": request.network, "page": page})
