"""Cleaning what people type, before it is stored or put in a mail header.

A single-line field (a name, a title, a place) never holds a line break or a
control character: one in an event title once broke every network's mail.
Multi-line text keeps its line breaks and tabs and loses the rest.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from core.errors import DomainError

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_EXCEPT_NEWLINE_AND_TAB = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(value: object) -> str:
    """One line of text: control characters become spaces, runs of spaces one space."""
    if value is None:
        return ""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def multi_line(value: object) -> str:
    """Free text: line endings normalised to \\n, other control characters removed."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_EXCEPT_NEWLINE_AND_TAB.sub("", text).strip()


def checked_line(value: object, *, label: object, max_length: int | None) -> str:
    """`single_line`, refused with a readable message when longer than the field holds."""
    return _within(single_line(value), label=label, max_length=max_length)


def checked_text(value: object, *, label: object, max_length: int | None) -> str:
    """`multi_line`, refused with a readable message when longer than the field holds."""
    return _within(multi_line(value), label=label, max_length=max_length)


def _within(text: str, *, label: object, max_length: int | None) -> str:
    if max_length is not None and len(text) > max_length:
        raise DomainError(
            _("%(field)s may have at most %(count)s characters (this one has %(length)s).")
            % {"field": label, "count": max_length, "length": len(text)}
        )
    return text


def folded(value: str | None) -> str:
    """Text as people type it when searching: no accents, no case ("Raíces" → "raices").

    Compatibility forms are unfolded too ("ﬁ" → "fi"), and runs of spaces become one.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())
