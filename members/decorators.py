"""View decorators about the person behind a request."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from members.rules import has_verified_email


def verified_required(view):
    """Let the view run only for a logged-in person whose email address is verified.

    Anonymous visitors go to the login page and come back afterwards. A person
    who has not verified their address yet sees a page that explains why and
    offers to send the verification mail again; the view does not run, so
    nothing changes.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_verified_email(request.user):
            return render(
                request,
                "members/account/verification_required.html",
                {"email": request.user.email},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def network_permission_required(permission):
    """A page for who holds `permission` on the request's network, with a verified account."""

    def decorate(view):
        @verified_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission, request.network):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
