"""The person's own account area under /cuenta/, next to allauth's pages."""

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def resend_verification(request):
    """Send the verification mail for the person's address again (rate-limited by allauth)."""
    user = request.user
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if address.verified:
        messages.info(request, _("Your email address is already verified."))
    elif not send_verification_email_to_address(request, address):
        messages.warning(
            request,
            _(
                "A verification mail was sent a moment ago. "
                "Please wait a few minutes before asking again."
            ),
        )
    return redirect(_safe_next(request, "/"))
