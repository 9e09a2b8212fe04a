"""Server-side request forgery (CWE-918): the destination of outgoing requests.

Only the URL (or host) is a sink; ``params=``, ``data=``, ``json=`` and headers are not.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sink, Subtype, TypeOf

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")


def _client(prefix: str, *, stream: bool = False) -> tuple[Sink, ...]:
    """``<prefix>.get(url)``... and ``<prefix>.request(method, url)``."""
    sinks = [Sink(f"{prefix}.{v}", "ssrf", args=(0,), keywords=("url",)) for v in _VERBS]
    sinks.append(Sink(f"{prefix}.request", "ssrf", args=(1,), keywords=("url",)))
    if stream:
        sinks.append(Sink(f"{prefix}.stream", "ssrf", args=(1,), keywords=("url",)))
    return tuple(sinks)


ALIASES = (
    Alias("requests.api", "requests"),
    Alias("requests.sessions.Session", "requests.Session"),
    Alias("httpx._api", "httpx"),
    Alias("httpx._client.Client", "httpx.Client"),
    Alias("httpx._client.AsyncClient", "httpx.AsyncClient"),
    Alias("urllib3.poolmanager.PoolManager", "urllib3.PoolManager"),
    Alias("urllib3.poolmanager.ProxyManager", "urllib3.ProxyManager"),
    Alias("aiohttp.client.ClientSession", "aiohttp.ClientSession"),
    Alias("six.moves.urllib.request", "urllib.request"),
    Alias("urllib2", "urllib.request"),
    Alias("httplib", "http.client"),
)

TYPES = (
    TypeOf("requests.session()", "requests.Session"),
    TypeOf("urllib.request.build_opener()", "urllib.request.OpenerDirector"),
    TypeOf("urllib3.proxy_from_url()", "urllib3.ProxyManager"),
)

SUBTYPES = (Subtype("urllib3.ProxyManager", "urllib3.PoolManager"),)

SINKS = (
    *_client("requests"),
    *_client("requests.Session"),
    *_client("httpx", stream=True),
    *_client("httpx.Client", stream=True),
    *_client("httpx.AsyncClient", stream=True),
    *_client("aiohttp.ClientSession"),
    Sink("aiohttp.ClientSession.ws_connect", "ssrf", args=(0,), keywords=("url",)),
    Sink("aiohttp.request", "ssrf", args=(1,), keywords=("url",)),
    Sink("urllib.request.urlopen", "ssrf", args=(0,), keywords=("url",)),
    Sink("urllib.request.urlretrieve", "ssrf", args=(0,), keywords=("url",)),
    Sink("urllib.request.OpenerDirector.open", "ssrf", args=(0,), keywords=("fullurl",)),
    *(
        Sink(f"urllib3.PoolManager.{m}", "ssrf", args=(1,), keywords=("url",))
        for m in ("request", "urlopen", "request_encode_url", "request_encode_body")
    ),
    Sink("urllib3.request", "ssrf", args=(1,), keywords=("url",)),
    Sink("urllib3.connection_from_url", "ssrf", args=(0,), keywords=("url",)),
    Sink("urllib3.HTTPConnectionPool", "ssrf", args=(0,), keywords=("host",)),
    Sink("urllib3.HTTPSConnectionPool", "ssrf", args=(0,), keywords=("host",)),
    Sink("http.client.HTTPConnection", "ssrf", args=(0,), keywords=("host",)),
    Sink("http.client.HTTPSConnection", "ssrf", args=(0,), keywords=("host",)),
)
