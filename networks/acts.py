"""One action a person takes, defined once for the page and for the API.

An `Act` names who may take it (a permission of the rules registry, asked of
the object acted on), whether a facilitator is refused it (the voice of a
member entity is never the facilitator's), which entities the person may act
for, the service it calls and what it says when done. A page view and an API
view ask the same act, so neither writes these branches again; the service
asks the same registry and stays the last line.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from networks.rules import is_facilitator

Target = TypeVar("Target")

NEUTRALITY = _(
    "Facilitators stay neutral in the network they facilitate: they cannot act "
    "for a member entity there."
)


@dataclass(frozen=True)
class Act(Generic[Target]):
    """An action on a `Target` (a commission, an event, a registration).

    `perform(target, data, by=person)` calls the service with the checked
    input (`data["entity"]` is the entity acted for, when there is one) and
    returns what the service returns. `success` is the sentence said when it is
    done, or a function of that result.
    """

    permission: str
    perform: Callable[..., Any]
    success: str | Promise | Callable[[Any], str | Promise]
    entity_ids: Callable[[Any, Target], Collection[int]] | None = None
    neutral: bool = True
    form_class: type | None = None
    form_extra: Callable[[Target], dict[str, Any]] | None = None

    def refusal(self, user: Any, target: Target) -> str | None:
        """None when `user` may take the act on `target`; else why not ("" to say nothing more)."""
        if not user.has_perm(self.permission, target):
            return ""
        if self.neutral and is_facilitator(user, target):
            return str(NEUTRALITY)
        return None

    def allows(self, user: Any, target: Target) -> bool:
        return self.refusal(user, target) is None

    def entities_for(self, user: Any, target: Target) -> set[int]:
        """Ids of the entities `user` may act for on `target` (none for acts of a person)."""
        if self.entity_ids is None or not user.is_authenticated:
            return set()
        return set(self.entity_ids(user, target))

    def form(self, target: Target, *args: Any, **kwargs: Any) -> Any:
        """The form that checks the act's input, the same for the page and the API."""
        if self.form_class is None:
            raise TypeError("This act takes no form.")
        extra = self.form_extra(target) if self.form_extra else {}
        return self.form_class(*args, **extra, **kwargs)

    def run(self, target: Target, data: Mapping[str, Any], *, by: Any) -> Any:
        return self.perform(target, data, by=by)

    def message(self, result: Any = None) -> str | Promise:
        return self.success(result) if callable(self.success) else self.success
