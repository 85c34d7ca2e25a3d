"""A bounded cache shared by every session of the server process, for values that are a function of
their key alone (query results by data version, parameters and scope; finished figure specs by their
inputs). Cheaper per call than `st.cache_data`, which hashes every argument and unpickles a copy of
the value on every hit: here the caller makes the key, a string, and gets the value kept."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """At most `limit` values, the least recently used dropped first. A value is made once per key even
    when several sessions ask for it at the same moment (the others wait for it); a `make` that raises
    keeps nothing."""

    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[str, V] = OrderedDict()
        self._making: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _kept(self, key: str) -> tuple[bool, V | None]:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return True, self._values[key]
            return False, None

    def get(self, key: str, make: Callable[[], V]) -> V:
        found, value = self._kept(key)
        if found:
            return value
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found, value = self._kept(key)
            if found:
                return value
            try:
                value = make()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.limit:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._making.pop(key, None)
            return value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
