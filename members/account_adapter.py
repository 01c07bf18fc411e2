"""How the account pages (django-allauth) fit this site."""

from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.client_address import client_address


class MailSite(NamedTuple):
    """What allauth's mails call `current_site`: our name, not the request's host."""

    name: str
    domain: str


def on_site(url: str) -> str:
    """The same path on `SITE_URL`.

    Every link a mail carries starts where the worker's mails start too: the
    configured address of the site, not the Host header of the request that
    caused the mail (which a client chooses, and which is a proxy's name
    behind one).
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    # Allauth's own texts, where its Spanish says "tú" or names logging in otherwise.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("The email address or the password is not correct."),
        "invalid_login": _("The email address or the password is not correct."),
        "select_only_one": _("Please choose only one."),
        "rate_limited": _("Too many attempts in a short time. Please wait a moment and try again."),
    }

    def get_client_ip(self, request):
        # Login, sign-up and reset limits count per client behind the trusted
        # proxies, like every other limit of the site.
        address = client_address(request)
        if not address:
            raise PermissionDenied("The client's address is unknown.")
        return address

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {
            key: on_site(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        context["current_site"] = MailSite(settings.SITE_NAME, urlsplit(settings.SITE_URL).netloc)
        context["site_url"] = settings.SITE_URL
        super().send_mail(template_prefix, email, context)
