"""Django's `json` format, with times to the microsecond."""

from django.core.serializers import json

from core.fixture_formats import FullPrecisionJSONEncoder

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", FullPrecisionJSONEncoder)
        super()._init_options()  # type: ignore[misc]
