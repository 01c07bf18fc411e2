"""Links to many objects of one kind, reversed once instead of once per object.

A network's page links to each of its commissions and member entities: hundreds
of `reverse()` calls that differ only in the last argument, each of which walks
the URL patterns again. `link()` reverses a view once for its fixed arguments,
with a marker in place of the argument that varies, and fills the marker in
for each object; its answer is the one `reverse()` gives.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse

# Digits only, so it passes the int and slug converters; long, so no fixed argument holds it.
_MARKER = "9081726354453627189"
# What the slug converter accepts and passes through unquoted; the int converter, digits only.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=512)
def _around_marker(
    viewname: str, varying: str, fixed: tuple[tuple[str, str], ...], prefix: str, urlconf: str
) -> tuple[str, str, re.Pattern[str]]:
    """The reversed URL split around the marker, and what the varying part may hold."""
    url = reverse(viewname, urlconf=urlconf, kwargs={**dict(fixed), varying: _MARKER})
    head, _, tail = url.rpartition(_MARKER)
    route = resolve("/" + url.removeprefix(prefix), urlconf=urlconf).route
    return head, tail, _DIGITS if f"<int:{varying}>" in route else _SLUG


def link(viewname: str, varying: str, value: object, **fixed: str) -> str:
    """`reverse(viewname, kwargs={varying: value, **fixed})`, reversing once per `fixed`.

    The varying argument must come last in the URL, after every fixed one (an id or
    a slug at the end of the path). A value its converter would not take as it is
    (a slug with other characters, an id with letters) is reversed as usual, so it
    is quoted or refused as `reverse()` would.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail, plain = _around_marker(
        viewname, varying, tuple(sorted(fixed.items())), get_script_prefix(), urlconf
    )
    text = str(value)
    if not plain.fullmatch(text):
        return reverse(viewname, kwargs={**fixed, varying: value})
    return f"{head}{text}{tail}"
