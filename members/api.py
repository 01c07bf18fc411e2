"""Members in the API: authentication by personal token."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from members.api_tokens import user_for_key


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`, with a key made in the person's account settings."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        user = user_for_key(header[1].decode(errors="replace"))
        if user is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        return user, None

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "members.api.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: create a key in your account settings.",
        }
