"""How the account pages (django-allauth) fit this site."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        # Login, sign-up and reset limits count per client behind the trusted
        # proxies, like every other limit of the site.
        address = client_address(request)
        if not address:
            raise PermissionDenied("The client's address is unknown.")
        return address
