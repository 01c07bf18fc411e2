"""The address of the person behind a request, as far as this installation can vouch for it.

Every limit that counts per client (failed logins, sign-ups, the API's rates,
anonymous registrations) asks here, so that they all agree and none of them
keys on the proxy's own address, which every client shares behind a proxy.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address, taken behind `TRUSTED_PROXY_COUNT` proxies.

    Each trusted proxy appends to `X-Forwarded-For` the address it was reached
    from, so the client is the entry that many places from the right. Entries
    further left were written by the client and prove nothing; the left-most
    one is what a forger would choose. A request that carries fewer entries
    than there are trusted proxies did not come through them: it is counted
    by the address of its own connection.
    """
    connection: str = request.META.get("REMOTE_ADDR", "")
    trusted: int = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return connection
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return connection
    return _valid_address(hops[-trusted]) or connection
