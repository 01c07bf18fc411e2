"""How /api/v1/ describes itself: every operation documents the errors it can answer.

The error bodies are the one shape `core.api_errors` gives them, so a client
(and the schema checks in the test suite) can rely on the description of a 404
or a 409 as much as on that of a 200.
"""

from typing import Any, Literal

from django_scopes import scopes_disabled
from drf_spectacular import generators, openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="A message a person can read.")
    code = serializers.CharField(help_text="A short code: not_found, permission_denied, …")


class ValidationErrorSerializer(ErrorSerializer):
    # A body that cannot be read at all (a parse error) names no field.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
        help_text="The messages of each field that was refused, by field name.",
    )


ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, description="Invalid input."),
    "401": OpenApiResponse(ErrorSerializer, description="Not authenticated."),
    "403": OpenApiResponse(ErrorSerializer, description="Not allowed."),
    "404": OpenApiResponse(ErrorSerializer, description="Not found in this network."),
    "429": OpenApiResponse(
        ErrorSerializer, description="Too many requests: wait the seconds Retry-After names."
    ),
}
REFUSED = {
    "409": OpenApiResponse(ErrorSerializer, description="Refused by a rule of the network."),
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction=direction)
        errors = dict(ERRORS)
        if self.method not in permissions.SAFE_METHODS:
            errors.update(REFUSED)
        for status_code, response in errors.items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    response, status_code, direction=direction
                )
        return responses


class SchemaGenerator(generators.SchemaGenerator):
    def get_schema(self, request: Any = None, public: bool = False) -> dict[str, Any]:
        # Describing the endpoints reads the models' structure, never a row;
        # django-filter still asks a manager for a query, which needs a scope.
        with scopes_disabled():
            schema: dict[str, Any] = super().get_schema(  # type: ignore[no-untyped-call]
                request=request, public=public
            )
            return schema
