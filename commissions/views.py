from django.http import Http404
from django.shortcuts import render

from commissions import selectors


def commission_detail(request, network_slug, commission_id):
    page = selectors.commission_page(network=request.network, commission_id=commission_id)
    if page is None:
        raise Http404
    return render(request, "commissions/detail.html", {"network": request.network, "page": page})
