"""The JSON formats of `dumpdata` and `loaddata`, keeping every microsecond.

Django's JSON encoder cuts times to milliseconds, so a dump loaded elsewhere
would not hold the same times as the installation it came from, and two dumps
of the same data could differ. `SERIALIZATION_MODULES` puts these modules in
place of Django's `json` and `jsonl`: they write times in full; reading is
Django's own.
"""

import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


class FullPrecisionJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)
