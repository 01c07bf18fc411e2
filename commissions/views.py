from django.http import HttpResponse


def commission_detail(request, network_slug, commission_id):
    return HttpResponse("commission")
