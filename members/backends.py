"""How a request's person is loaded: with every role of theirs, in the same query.

Django loads the signed-in person through the backend that signed them in
(`get_user`); these are Django's and allauth's backends, unchanged but for
that: the person comes with their roles (`members.rules.user_with_roles`), so
a signed-in page pays one query for who is asking, not two.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from members.rules import user_with_roles


class _WithRoles:
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_WithRoles, backends.ModelBackend):
    """Django's backend: the admin's sign-in, and tests' `force_login`."""


class AuthenticationBackend(_WithRoles, auth_backends.AuthenticationBackend):
    """allauth's backend: sign-in with an email address."""
