from django.http import HttpResponse


def home(request):
    return HttpResponse("home")


def network_detail(request, network_slug):
    return HttpResponse(request.network.name)
