"""The settings module reads the environment: each case loads it in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PASSED_THROUGH = {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR"}

REPORT = """
import json
from django.conf import settings
from django.core.files.storage import storages
db = settings.DATABASES["default"]
media = storages.create_storage(settings.STORAGES["default"])
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "test_name": str(db.get("TEST", {}).get("NAME")),
    "broker": settings.CELERY_BROKER_URL,
    "result_backend": settings.CELERY_RESULT_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "trusted_proxy_count": settings.TRUSTED_PROXY_COUNT,
    "api_throttle": [settings.API_THROTTLE_ANONYMOUS, settings.API_THROTTLE_AUTHENTICATED],
    "media_storage": settings.STORAGES["default"]["BACKEND"],
    "media_url": media.url("commissions/attachments/acta.pdf"),
    "media_location": str(getattr(media, "location", "")),
    "img_src": settings.CONTENT_SECURITY_POLICY["img-src"],
}))
"""


def load_settings(tmp_path, **environment):
    """Import the settings under exactly `environment` (plus PATH and the like)."""
    env = {key: value for key, value in os.environ.items() if key in PASSED_THROUGH}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TEJIDO_VAR_DIR=str(tmp_path / "var"),
        **environment,
    )
    return subprocess.run(  # noqa: S603 (the interpreter running the tests)
        [sys.executable, "-c", REPORT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_under(tmp_path, **environment):
    process = load_settings(tmp_path, **environment)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    process = load_settings(tmp_path, DEBUG="0")

    assert process.returncode != 0
    assert "ImproperlyConfigured" in process.stderr
    assert "SECRET_KEY" in process.stderr


def test_settings_refuse_an_empty_secret_key_too(tmp_path):
    process = load_settings(tmp_path, SECRET_KEY="")

    assert process.returncode != 0
    assert "SECRET_KEY" in process.stderr


def test_debug_gives_a_development_key_and_local_hosts(tmp_path):
    loaded = settings_under(tmp_path, DEBUG="1")

    assert loaded["debug"] is True
    assert loaded["allowed_hosts"] == ["127.0.0.1", "localhost"]


def test_allowed_hosts_come_from_the_environment(tmp_path):
    loaded = settings_under(
        tmp_path, SECRET_KEY="x" * 50, ALLOWED_HOSTS="tejido.example.org, www.tejido.example.org"
    )

    assert loaded["debug"] is False
    assert loaded["allowed_hosts"] == ["tejido.example.org", "www.tejido.example.org"]


def test_without_database_url_the_database_is_a_sqlite_file_and_so_is_the_test_database(
    tmp_path,
):
    loaded = settings_under(tmp_path, DEBUG="1")

    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"] == str(tmp_path / "var" / "tejido.sqlite3")
    # A file (not memory), so that a worker process can open what a test wrote.
    assert Path(loaded["test_name"]).parent == tmp_path / "var"
    assert loaded["test_name"].endswith(".sqlite3")


def test_database_url_switches_to_postgresql(tmp_path):
    loaded = settings_under(
        tmp_path, DEBUG="1", DATABASE_URL="postgres://tejido:secret@db.internal:5432/tejido"
    )

    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "tejido"
    assert loaded["host"] == "db.internal"


def test_without_redis_url_celery_uses_the_file_system_and_the_cache_is_in_memory(tmp_path):
    loaded = settings_under(tmp_path, DEBUG="1")

    assert loaded["broker"] == "filesystem://localhost/"
    assert loaded["result_backend"] == f"file://{tmp_path / 'var' / 'celery' / 'results'}"
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    # The embedded broker's folders exist before any worker starts.
    for folder in ("queue", "control", "results"):
        assert (tmp_path / "var" / "celery" / folder).is_dir()


def test_redis_url_switches_broker_result_backend_and_cache_to_redis(tmp_path):
    url = "redis://cache.internal:6379/3"
    loaded = settings_under(tmp_path, DEBUG="1", REDIS_URL=url)

    assert loaded["broker"] == url
    assert loaded["result_backend"] == url
    assert loaded["cache"] == "core.cache.ResilientRedisCache"
    assert loaded["cache_location"] == url
    assert not (tmp_path / "var" / "celery").exists()


def test_no_proxy_is_trusted_and_the_api_has_rate_limits_unless_configured(tmp_path):
    loaded = settings_under(tmp_path, DEBUG="1")

    assert loaded["trusted_proxy_count"] == 0
    assert loaded["api_throttle"] == ["120/minute", "600/minute"]


def test_the_proxy_count_and_the_api_rates_come_from_the_environment(tmp_path):
    loaded = settings_under(
        tmp_path,
        DEBUG="1",
        TRUSTED_PROXY_COUNT="2",
        API_THROTTLE_ANONYMOUS="30/minute",
        API_THROTTLE_AUTHENTICATED="",
    )

    assert loaded["trusted_proxy_count"] == 2
    assert loaded["api_throttle"] == ["30/minute", ""]


def test_a_proxy_count_that_is_not_a_whole_number_is_refused(tmp_path):
    process = load_settings(tmp_path, DEBUG="1", TRUSTED_PROXY_COUNT="one")

    assert process.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in process.stderr


def test_uploads_stay_in_the_local_folder_unless_a_bucket_is_chosen(tmp_path):
    loaded = settings_under(tmp_path, DEBUG="1")

    assert loaded["media_storage"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["media_location"] == str(tmp_path / "var" / "media")
    assert loaded["img_src"] == ["'self'", "data:"]


S3 = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "tejido-media",
    "AWS_ACCESS_KEY_ID": "tejido",
    "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    "AWS_S3_REGION_NAME": "sa-east-1",
}


def test_an_s3_compatible_bucket_keeps_the_uploads_private_with_signed_addresses(tmp_path):
    loaded = settings_under(
        tmp_path, DEBUG="1", **S3, AWS_S3_ENDPOINT_URL="https://objects.example.org"
    )

    assert loaded["media_storage"] == "storages.backends.s3.S3Storage"
    url = loaded["media_url"]
    assert url.startswith("https://objects.example.org/tejido-media/commissions/attachments/")
    assert "Signature=" in url or "X-Amz-Signature=" in url
    # The pages may show images from the bucket, and from nowhere else new.
    assert loaded["img_src"] == [
        "'self'",
        "data:",
        "https://objects.example.org",
        "https://tejido-media.objects.example.org",
    ]


def test_a_public_bucket_behind_its_own_domain_gives_plain_addresses(tmp_path):
    loaded = settings_under(
        tmp_path,
        DEBUG="1",
        **S3,
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_QUERYSTRING_AUTH="0",
    )

    assert loaded["media_url"] == "https://media.example.org/commissions/attachments/acta.pdf"
    assert loaded["img_src"] == ["'self'", "data:", "https://media.example.org"]


def test_amazon_s3_itself_is_allowed_by_the_bucket_s_own_addresses(tmp_path):
    loaded = settings_under(tmp_path, DEBUG="1", **S3)

    assert "https://tejido-media.s3.sa-east-1.amazonaws.com" in loaded["img_src"]
    assert loaded["media_url"].split("?")[0] in {
        f"{origin}/commissions/attachments/acta.pdf" for origin in loaded["img_src"][2:]
    }


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE"),
        ({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({**S3, "AWS_S3_ENDPOINT_URL": "objects.example.org"}, "AWS_S3_ENDPOINT_URL"),
        ({**S3, "AWS_QUERYSTRING_EXPIRE": "an hour"}, "AWS_QUERYSTRING_EXPIRE"),
    ],
)
def test_a_storage_setting_that_cannot_work_is_refused_at_start(tmp_path, environment, named):
    process = load_settings(tmp_path, DEBUG="1", **environment)

    assert process.returncode != 0
    assert "ImproperlyConfigured" in process.stderr
    assert named in process.stderr
