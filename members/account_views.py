"""The person's own account area under /cuenta/, next to allauth's pages."""

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from members import notifications
from members.account_forms import AccountSettingsForm, ApiTokenForm
from members.api_tokens import create_api_token, revoke_api_token
from members.models import ApiToken
from members.services import choose_mail, unsubscribe
from networks.models import Network

INBOX_PAGE_SIZE = 20


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


def _inbox_item(notification):
    try:
        subject, body = notifications.subject_and_body(notification)
    except (KeyError, TypeError, ValueError):
        subject, body = notification.kind, ""
    return {
        "id": notification.pk,
        "subject": subject,
        "body": body,
        "link": notification.link,
        "network": notification.network,
        "created_at": notification.created_at,
        "unread": notification.read_at is None,
    }


@login_required
def inbox(request):
    """Everything the person was told, in every network, newest first."""
    page = Paginator(notifications.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/account/inbox.html",
        {"page": page, "items": [_inbox_item(notification) for notification in page]},
    )


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (`notification` in the form) or all of them as read."""
    notification_id = request.POST.get("notification")
    if notification_id is None:
        count = notifications.mark_read(request.user)
        if count:
            messages.success(request, _("All your notifications are marked as read."))
    elif notification_id.isdigit():
        notifications.mark_read(request.user, [int(notification_id)])
    else:
        messages.error(request, _("That notification does not exist."))
    return redirect(_safe_next(request, "account_area:inbox"))


@login_required
def account_settings(request):
    """Name, phone, language, and how mail comes: a default and each network's choice."""
    form = AccountSettingsForm(
        request.POST or None,
        instance=request.user,
        mail_choices=notifications.mail_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            choose_mail(
                by=user,
                default=form.cleaned_data["notification_preference"],
                per_network=form.per_network(),
            )
        with override(user.language):
            messages.success(request, _("Your settings are saved."))
        response = redirect("account_area:settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=365 * 24 * 60 * 60,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
    return render(request, "members/account/settings.html", {"form": form})


@login_required
@never_cache
def api_tokens(request):
    """The person's API tokens; a new token's key is shown in this one answer only."""
    form = ApiTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = create_api_token(
                by=request.user,
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "members/account/api_tokens.html",
        {"form": form, "key": key, "tokens": tokens},
    )


@login_required
@require_POST
def revoke_api_token_view(request):
    """Revoke one of the person's own tokens (`token` in the form)."""
    token_id = request.POST.get("token", "")
    token = (
        ApiToken.objects.filter(user=request.user, pk=int(token_id)).first()
        if token_id.isdigit()
        else None
    )
    if token is None:
        messages.error(request, _("That token does not exist."))
    else:
        try:
            revoke_api_token(token=token, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The token “%(name)s” is revoked: programs using it are refused from now on.")
                % {"name": token.name},
            )
    return redirect("account_area:api_tokens")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """A mail's one-click way out, without logging in (RFC 8058).

    A GET only asks (mail scanners open links); the POST, from this page's
    button or from the mail program's `List-Unsubscribe-Post`, turns off mail
    from that network. The signed token is the only authority, so there is no
    session and no CSRF token to check.
    """
    ids = notifications.read_unsubscribe_token(token)
    network = Network.objects.filter(pk=ids[1]).first() if ids else None
    context = {"network": network, "token": token, "done": False, "error": ""}
    if network is None:
        context["error"] = _("This link is not valid. Choose your mail in your settings instead.")
        return render(request, "members/account/unsubscribe.html", context, status=400)
    if request.method == "POST":
        try:
            unsubscribe(token=token)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "members/account/unsubscribe.html", context, status=400)
        context["done"] = True
    return render(request, "members/account/unsubscribe.html", context)
