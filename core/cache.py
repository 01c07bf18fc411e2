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
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool.

    Django makes a new `redis.Redis` for every cache call, and each one fills its
    table of reply callbacks anew: a few hundred microseconds of pure work, more
    than the rest of a page cache hit's own code. A client over a pool is safe to
    share between threads (each call takes a connection from the pool), and the
    pool itself notices a fork.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which its type stubs leave out.
        raw: Any = self
        index = raw._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = raw._client(
                connection_pool=raw._get_connection_pool(write)
            )
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    def _degrade(self, operation: str, fallback: _T) -> _T:
        logger.warning("The cache is unreachable; %s answered as a miss.", operation)
        return fallback

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE:
            return self._degrade("get", default)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> Any:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE:
            return self._degrade("get_many", {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except UNREACHABLE:
            return self._degrade("has_key", False)

    def add(
        self, key: str, value: Any, timeout: float | None = None, version: int | None = None
    ) -> Any:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            # Nothing holds the key: a lock taken through the cache (allauth's
            # rate limits take one) is granted rather than waited for.
            return self._degrade("add", True)

    def set(
        self, key: str, value: Any, timeout: float | None = None, version: int | None = None
    ) -> Any:
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE:
            return self._degrade("set", None)

    def set_many(
        self, data: Mapping[str, Any], timeout: float | None = None, version: int | None = None
    ) -> list[str]:
        try:
            failed: list[str] = super().set_many(dict(data), timeout, version)
            return failed
        except UNREACHABLE:
            return self._degrade("set_many", list(data))

    def touch(self, key: str, timeout: float | None = None, version: int | None = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except UNREACHABLE:
            return self._degrade("touch", False)

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except UNREACHABLE:
            return self._degrade("delete", False)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> Any:
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE:
            return self._degrade("delete_many", None)
