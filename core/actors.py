"""Who acts: a person, or the application itself.

Every service takes the acting person as `by`. Jobs and management commands
have no person behind them: they pass `SYSTEM`, which acts under the rules of
the model (a job still cannot make a facilitator a promoter) but is never a
member, a facilitator or an admin, and is recorded in the history as nobody.
"""

from typing import Any, TypeAlias


class SystemActor:
    """The application acting on its own, for jobs and commands. Not a user."""

    pk = None
    id = None
    is_authenticated = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_system = True

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "Tejido"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        # The system is given no role: services that let it act say so explicitly.
        return False


SYSTEM = SystemActor()

# Who a service is told acts (`by`), or whom a rule asks about: a user, a visitor
# (AnonymousUser) or SYSTEM. They share no base class, so the type says only the intent.
Actor: TypeAlias = Any


def is_system(by: Actor) -> bool:
    return by is SYSTEM


def person_or_none(by: Actor) -> Actor:
    """The user to record in a history row: nobody for the system."""
    return None if is_system(by) else by
