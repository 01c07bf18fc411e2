"""A Redis cache that turns into a miss while Redis is unreachable, instead of an error page.

Reads answer the default, writes are dropped (`add` says it added: nothing
holds the key), and each failure is logged. What the cache holds can always be
rebuilt, so the only cost of an outage is speed, and the rate limits kept in
the cache (allauth's) let attempts through until Redis is back: refusing every
login because a counter cannot be read would lock every person out for the
length of the outage, while passwords are still checked and the outage is in
the log. `incr` is left to
fail, so a caller whose counter must hold (the registration mail limits of
`events.confirmations`) decides for itself.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _degrade(self, operation, fallback):
        logger.warning("The cache is unreachable; %s answered as a miss.", operation)
        return fallback

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE:
            return self._degrade("get", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE:
            return self._degrade("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE:
            return self._degrade("has_key", False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            # Nothing holds the key: a lock taken through the cache (allauth's
            # rate limits take one) is granted rather than waited for.
            return self._degrade("add", True)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE:
            return self._degrade("set", None)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE:
            return self._degrade("set_many", list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE:
            return self._degrade("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE:
            return self._degrade("delete", False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE:
            return self._degrade("delete_many", None)
