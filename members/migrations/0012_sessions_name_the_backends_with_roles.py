"""Sessions signed in before `members.backends` name the backends that load roles.

Django keeps, in each session, the path of the backend that signed the person
in, and signs out a session whose backend is no longer configured. Renaming the
paths in the stored sessions keeps everyone signed in across this change. The
copies sessions keep in the cache are dropped, to be read again from the rows.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import migrations

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "members.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "members.backends.AuthenticationBackend",
}


def _rename(apps, schema_editor, renamed):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    changed = []
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) in renamed:
            data[BACKEND_SESSION_KEY] = renamed[data[BACKEND_SESSION_KEY]]
            session.session_data = store.encode(data)
            changed.append(session)
    Session.objects.using(schema_editor.connection.alias).bulk_update(
        changed, ["session_data"], batch_size=500
    )
    caches[settings.SESSION_CACHE_ALIAS].delete_many(
        [KEY_PREFIX + session.session_key for session in changed]
    )


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_notification_setting"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
