"""TLS for the fetcher: aiohttp loaded without its import-time TLS contexts; ours made on demand."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def _no_system_cas() -> Iterator[None]:
    """While aiohttp loads, TLS contexts come without the system's CA certificates.

    aiohttp's connector module builds two contexts as it loads, each reading the CA bundle:
    20-30 ms apiece here, about a tenth of a warm poll, spent even when no feed is https. The
    fetcher never uses them (it passes `TlsContext.get()` to every https request); without
    CAs, any request that missed ours would fail verification rather than skip it."""
    create_default = ssl.create_default_context

    def bare_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, with nothing to trust

    ssl.create_default_context = bare_context
    ssl.SSLContext.set_default_verify_paths = _no_paths  # type: ignore[method-assign]
    try:
        yield
    finally:
        ssl.create_default_context = create_default
        del ssl.SSLContext.set_default_verify_paths  # back to the C method it shadowed


def _no_paths(self: ssl.SSLContext) -> None:
    """`set_default_verify_paths`, skipped (aiohttp's unverified context calls it)."""


with _no_system_cas():
    import aiohttp as aiohttp  # re-exported: import aiohttp from here


def _client_context() -> ssl.SSLContext:
    context = ssl.create_default_context()  # the system's CAs: blocking file I/O
    context.set_alpn_protocols(("http/1.1",))  # as aiohttp's own
    return context


class TlsContext:
    """One verifying client context per fetcher, made in a thread at its first https request
    (reading the CA bundle blocks) and shared by every later one."""

    def __init__(self) -> None:
        self._made: asyncio.Future[ssl.SSLContext] | None = None

    async def get(self) -> ssl.SSLContext:
        if self._made is None:
            self._made = asyncio.ensure_future(asyncio.to_thread(_client_context))
        return await asyncio.shield(self._made)  # one request's deadline cancels only its wait
