from django.http import HttpResponse


def directory(request, network_slug):
    return HttpResponse("directory")


def entity_profile(request, network_slug, entity_slug):
    return HttpResponse("entity")
