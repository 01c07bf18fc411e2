import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Each test builds two networks of people; real hashing would dominate its time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
