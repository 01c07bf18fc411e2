"""Django's `jsonl` format, with times to the microsecond."""

from django.core.serializers import jsonl

from core.fixture_formats import FullPrecisionJSONEncoder

Deserializer = jsonl.Deserializer


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", FullPrecisionJSONEncoder)
        super()._init_options()  # type: ignore[misc]
