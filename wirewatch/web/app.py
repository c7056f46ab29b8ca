"""The analyst's screen: a JSON API over a wirewatch database and the dashboard that uses it.

``create_app(db_path)`` returns an ASGI app; ``serve(db_path, host=..., port=...)`` runs it under
uvicorn (loopback by default).  Every error, whatever raised it, leaves as
``{"ok": false, "error": ..., "status": ...}``.  The API only reads, but for analysts' reviews when the
server has a review token (:mod:`wirewatch.web.review`): with ``readonly=True`` (the default) the
database is otherwise opened read-only and never written, not even to upgrade its schema.
"""


import contextlib
import gc
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import QueryError, StoreError
from ..store import is_postgres, open_store
from ..store.sqlite import SQLiteStore
from .columns import ColumnStore
from .fastpath import EventsFastPath, EventsRequest
from .params import endpoint_models
from .pg_queries import PostgresQueries
from .queries import Queries, encode_json
from .downloads import add_download_routes
from .review import add_review_routes
from .security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, host_name

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"

# Prepared statements kept per connection (sqlite3's default is 128; a map box's page is one statement
# per padded cell count, worth keeping prepared).
STATEMENT_CACHE = 512
# Bytes of the database each connection reads through a memory map (SQLite caps it at about 2 GB): address
# space, not memory.  Pages past the map are copied in by read calls: at 256 MB, a 100,000-event database
# (350 MB) read its newest tables and indexes that way, and a page of events cost a quarter more.
MMAP_BYTES = 0x7FFF0000

def error_response(status: int, error: Any) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse({"ok": False, "error": error, "status": status}, status_code=status)


def one_record(kind: str, key: str, record: dict[str, Any] | None) -> JSONResponse:
    """``{"ok": true, kind: record}``, or the 404 naming what was not found."""
    if record is None:
        return error_response(404, f"no {kind} {key!r}")
    return JSONResponse({"ok": True, kind: record})


class _Guard:
    """Pure ASGI middleware: size limits on requests and security headers on every response."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_url: int, tile_origin: str | None,
                 allowed_hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.max_url = max_url
        self.allowed_hosts = allowed_hosts
        csp = CONTENT_SECURITY_POLICY
        if tile_origin:  # a user-configured online tile layer
            csp = csp.replace("img-src 'self' data:", f"img-src 'self' data: {tile_origin}")
        self.headers = [(name, csp.encode() if name == b"content-security-policy" else value)
                        for name, value in SECURITY_HEADERS]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._problem(scope)
        if problem is not None:
            status, message = problem
            response = error_response(status, message)
            await response(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    def _problem(self, scope: Scope) -> tuple[int, str] | None:
        if self.allowed_hosts is not None:
            host = next((value for name, value in scope.get("headers") or () if name == b"host"), None)
            if host is None or host_name(host) not in self.allowed_hosts:
                return 400, ("Host header names no host this server answers to (start it with --allowed-host "
                             "NAME to add one)")
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > self.max_url:
            return 414, f"request URL longer than {self.max_url} bytes"
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    return 400, "Content-Length is not a number"
                if size > self.max_body:
                    return 413, f"request body larger than {self.max_body} bytes"
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                return 411, "chunked request bodies are not accepted; send Content-Length"
        return None

    def _with_headers(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers") or []) + self.headers
            await send(message)

        return wrapped


class _StoreConnections:
    """One PostgreSQL store (and its :class:`PostgresQueries`) per worker thread, and one more for the data
    stamp that keys the result caches (:meth:`PostgresStore.data_stamp`)."""

    def __init__(self, dsn: str, *, readonly: bool) -> None:
        from ..store.postgres import PostgresStore

        self.open = lambda: PostgresStore.open(dsn, readonly=True)
        if not readonly:
            PostgresStore.open(dsn).close()  # applies pending migrations
        self.local = threading.local()
        self.lock = threading.Lock()
        self.columns: ColumnStore | None = None  # (none on PostgreSQL)
        self.stores = [self.open()]  # [0]: the stamp's; every store opened, to close at shutdown

    def get(self) -> PostgresQueries:
        q = getattr(self.local, "queries", None)
        if q is None or q.store.closed:  # (a lost connection is opened again)
            q = PostgresQueries(self.open())
            with self.lock:
                self.stores.append(q.store)
            self.local.queries = q
        return q

    def stamp(self) -> tuple[int, ...]:
        with self.lock:
            if self.stores[0].closed:
                self.stores[0] = self.open()
            return self.stores[0].data_stamp()

    def close(self) -> None:
        with self.lock:
            for store in self.stores:
                store.close()


class _Connections:
    """One SQLite connection (and its :class:`Queries`) per worker thread."""

    def __init__(self, path: str, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.local = threading.local()
        self.columns: ColumnStore | None = None  # shared by every thread's Queries

    def get(self) -> Queries:
        q = getattr(self.local, "queries", None)
        if q is None:
            q = Queries(_connect(self.path, readonly=self.readonly), columns=self.columns)
            self.local.queries = q
        return q


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    """A connection as the API uses it (read-only unless ``readonly`` is False)."""
    if readonly:
        # mode=ro: the file is never written (temp tables of text matches live in memory)
        conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True,
                               check_same_thread=False, timeout=5.0, cached_statements=STATEMENT_CACHE)
    else:
        conn = sqlite3.connect(path, check_same_thread=False, timeout=5.0, cached_statements=STATEMENT_CACHE)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA cache_size = -32000")
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


class _DataVersion:
    """A number that changes whenever any connection, in any process, commits to the database:
    ``PRAGMA data_version`` of one private connection (a few microseconds; no file system calls)."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, check_same_thread=False)
        self.lock = threading.Lock()

    def __call__(self) -> int:
        with self.lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])


class _ResultCache:
    """Results of read-only queries (event pages, counts, meta, aggregates, map), all dropped whenever the
    data version changes (any write to the database).  Bounded; shared by all worker threads."""

    def __init__(self, version: _DataVersion, *, size: int = 256) -> None:
        self.version = version
        self.size = size
        self.lock = threading.Lock()
        self.stamp: int | None = None
        self.data: dict[Any, Any] = {}

    def peek(self, key: Any) -> Any:
        """The cached value, or None (without computing it)."""
        stamp = self.version()
        with self.lock:
            if stamp != self.stamp:
                self.stamp, self.data = stamp, {}
            return self.data.get(key)

    def get(self, key: Any, compute: Any) -> Any:
        stamp = self.version()  # read before computing: a value is never newer-stamped than its data
        with self.lock:
            if stamp != self.stamp:
                self.stamp, self.data = stamp, {}
            if key in self.data:
                return self.data[key]
        value = compute()
        with self.lock:
            if self.stamp == stamp:
                if len(self.data) >= self.size:
                    self.data.pop(next(iter(self.data)))
                self.data[key] = value
        return value


def create_app(db_path: str, *, readonly: bool = True, max_page_size: int = 500, max_map_points: int = 5000,
               max_body_bytes: int = 16_384, max_url_bytes: int = 4096, tile_url: str | None = None,
               page_cache_size: int = 2048, columns: bool = True,
               review_token: str | None = None, allowed_hosts: frozenset[str] | None = None) -> ASGIApp:
    """The dashboard and JSON API over the wirewatch database at ``db_path``.

    ``allowed_hosts``: the ``Host`` names answered (others get 400); None answers any (what
    :func:`serve` never passes: it defaults to the bound host and localhost).

    ``readonly`` opens the database read-only (never written); otherwise pending schema migrations are
    applied once at start.  ``tile_url`` (e.g. ``https://tile.example.org/{z}/{x}/{y}.png``) adds an online
    tile layer under the bundled country outlines; without it the page needs no network at all.
    ``page_cache_size`` pages of event lists are kept until the database changes (0: none).
    ``columns`` answers ``count=true`` from an in-memory copy of the filtered columns
    (:mod:`wirewatch.web.columns`, built at start and again after each write) instead of SQL index walks.
    ``review_token`` turns on the review endpoints (:mod:`wirewatch.web.review`) for requests carrying it in
    an ``Authorization: Bearer`` header; without it they answer 403.
    """
    path = review_db = str(db_path)
    lifespan = None
    connections: _Connections | _StoreConnections
    version: Callable[[], Any]
    if is_postgres(path):  # plain SQL through the store (wirewatch.web.pg_queries); no column snapshot
        connections = _StoreConnections(path, readonly=readonly)
        version, columns = connections.stamp, False

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> Any:
            yield
            connections.close()
    else:
        if not Path(path).is_file():
            raise StoreError(f"no database at {path}", hint="run `wirewatch ingest --db PATH ...` first")
        if not readonly:
            SQLiteStore.open(path).close()  # applies pending migrations
        connections = _Connections(path, readonly=readonly)
        version = _DataVersion(path)
    cache = _ResultCache(version)
    page_cache = _ResultCache(version, size=page_cache_size) if page_cache_size > 0 else None
    if columns:
        connections.columns = ColumnStore(lambda: _connect(path, readonly=True), version=version)
    try:
        probe = connections.get()
        probe.conn.execute("SELECT count(*) FROM events").fetchone()
    except sqlite3.DatabaseError as exc:  # (a PostgreSQL store is checked when opened)
        raise StoreError(f"{path} is not a usable wirewatch database: {exc}",
                         hint="pass --db with a database made by `wirewatch ingest`") from exc
    if connections.columns is not None:
        try:
            connections.columns.refresh()  # (later versions are rebuilt in the background)
        except sqlite3.Error as exc:
            log.warning("counts stay in SQL: no column snapshot of %s: %s", path, exc)
    if not probe.has_fts:
        log.warning("%s has no text index (migration 0002_web_search); text search falls back to a slow scan"
                    " of notes. Open it once read-write (serve with readonly=False or run ingest) to add it.", path)

    app = FastAPI(title="wirewatch", version="1", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=lifespan, description="Conflict events coded from news-wire text (ACLED taxonomy).  Read-only but for"
                              " reviews, which need the server's review token.")
    app.state.tile_url = tile_url

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                    for e in exc.errors()]
        summary = "; ".join(f"{p['where']}: {p['message']}" for p in problems)
        return JSONResponse({"ok": False, "error": summary, "status": 422, "problems": problems}, status_code=422)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error serving %s", request.url.path)
        return error_response(500, "internal server error")

    # The paged endpoints (events, one event, articles) run on the event loop with its own connection,
    # counts of count=true included.  A hand-off to a thread costs the request a second turn of the loop
    # behind every request queued on this worker, and the threads' GIL hand-offs cost CPU: measured with
    # bench/bench_api.py (100 connections, 2 workers), sending the totals of count=true to the thread pool
    # doubled their median latency and made them the whole p99, and sending text searches that miss the
    # page cache to threads of their own doubled theirs and raised the p99 of all.
    # The scans (map, aggregates, meta) run in FastAPI's thread pool.

    models = endpoint_models(max_page_size=max_page_size, max_map_points=max_map_points)
    EventListParams, MapParams, AggregateParams, ArticleListParams = (  # noqa: N806 (classes)
        models.events, models.map, models.aggregates, models.articles)

    async def events_body(request: EventsRequest) -> bytes:
        """The body of one /api/events answer, whichever route (fastpath or FastAPI) serves it."""
        flt, limit, cursor = request.flt, request.limit, request.cursor

        def page_body() -> bytes:
            page = connections.get().events_json(flt, limit=limit, cursor=cursor)
            return (f'{{"ok":true,"events":[{",".join(page.items)}],"next_cursor":{encode_json(page.next_cursor)},'
                    f'"limit":{limit}}}').encode()

        def body_and_count() -> tuple[bytes, int | None]:
            # the encoded page itself is cached until the data change (page_cache_size=0: never); so is the
            # count, kept as long as pages are
            body = page_cache.get((flt, limit, cursor), page_body) if page_cache is not None else page_body()
            n = counts.get(("count", flt), lambda: connections.get().count(flt)) if request.count else None
            return body, n

        counts = page_cache or cache
        body, n = body_and_count()
        if n is not None:
            body = body[:-1] + b',"count":%d}' % n
        return body

    @app.get("/api/events", summary="Events matching the filters, newest first, paged by cursor")
    async def list_events(params: Annotated[EventListParams, Query()]) -> Response:
        request = EventsRequest(flt=params.to_filter(), limit=params.limit, cursor=params.cursor, count=params.count)
        return Response(await events_body(request), media_type="application/json")

    @app.get("/api/events/{event_id}", summary="One event with its claims, sources and evidence")
    async def get_event(event_id: str = PathParam(..., max_length=200)) -> JSONResponse:
        return one_record("event", event_id, connections.get().event(event_id))

    @app.get("/api/map", summary="Located events for the map: points, or grid clusters when too many")
    def map_points(params: Annotated[MapParams, Query()]) -> JSONResponse:
        flt, max_points = params.to_filter(), params.max_points
        result = cache.get(("map", flt, max_points), lambda: connections.get().map_points(flt, max_points=max_points))
        return JSONResponse({"ok": True, **result})

    @app.get("/api/aggregates", summary="Event and fatality counts grouped by day, country, type ...")
    def aggregates(params: Annotated[AggregateParams, Query()]) -> JSONResponse:
        flt, by, limit = params.to_filter(), params.by, params.limit
        buckets = cache.get(("aggregate", flt, by, limit), lambda: connections.get().aggregate(flt, by=by, limit=limit))
        return JSONResponse({"ok": True, "by": by, "buckets": buckets})

    @app.get("/api/meta", summary="Counts and the values the filter controls offer")
    def meta() -> JSONResponse:
        db = connections.get()
        return JSONResponse({"ok": True, **cache.get(("meta",), db.meta), "tile_url": app.state.tile_url,
                             "review": review_token is not None})

    @app.get("/api/articles", summary="Stored articles in ingest order, paged by cursor")
    async def list_articles(params: Annotated[ArticleListParams, Query()]) -> JSONResponse:
        page = connections.get().articles(limit=params.limit, cursor=params.cursor)
        return JSONResponse({"ok": True, "articles": page.items, "next_cursor": page.next_cursor,
                             "limit": params.limit})

    @app.get("/api/articles/{article_id}", summary="One article (body, captions, ...) and its events")
    async def get_article(article_id: str = PathParam(..., max_length=200)) -> JSONResponse:
        return one_record("article", article_id, connections.get().article(article_id))

    add_review_routes(app, review_db, token=review_token)
    add_download_routes(app, read=lambda flt: connections.get().filtered_events(flt))

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    tile_origin = None
    if tile_url:
        from urllib.parse import urlsplit

        parts = urlsplit(tile_url.replace("{s}", "a"))
        tile_origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
        if "{s}" in tile_url and tile_origin:
            tile_origin = f"{parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
    fast = EventsFastPath(app, render=events_body, max_page_size=max_page_size)
    return _Guard(fast, max_body=max_body_bytes, max_url=max_url_bytes, tile_origin=tile_origin,
                  allowed_hosts=allowed_hosts)


def serve(db_path: str, *, host: str = "127.0.0.1", port: int = 8000, readonly: bool = True, workers: int = 1,
          log_level: str = "info", tile_url: str | None = None, page_cache_size: int = 2048,
          columns: bool = True, review_token: str | None = None,
          allowed_hosts: frozenset[str] | None = None) -> None:
    """Run the app under uvicorn until interrupted (what ``wirewatch serve`` calls).

    Requests whose ``Host`` is not in ``allowed_hosts`` (default: ``host`` and localhost, see
    :func:`wirewatch.web.security.default_allowed_hosts`) are refused.

    With ``workers > 1``, uvicorn's own worker processes share one listening socket, each building its app
    with :func:`app_from_environment`; a port that cannot be bound is a :class:`StoreError` before any
    worker starts.
    """
    import uvicorn

    from .protocol import BoundedHttpToolsProtocol
    from .security import default_allowed_hosts

    hosts = frozenset(h.lower().strip("[]") for h in allowed_hosts) if allowed_hosts else default_allowed_hosts(host)
    if workers > 1:
        os.environ["WIREWATCH_WEB_HOSTS"] = ",".join(sorted(hosts))
        os.environ["WIREWATCH_WEB_DB"] = str(db_path)
        os.environ["WIREWATCH_WEB_READONLY"] = "1" if readonly else "0"
        os.environ["WIREWATCH_WEB_PAGE_CACHE"] = str(page_cache_size)
        os.environ["WIREWATCH_WEB_COLUMNS"] = "1" if columns else "0"
        if tile_url:
            os.environ["WIREWATCH_WEB_TILES"] = tile_url
        if review_token:
            os.environ["WIREWATCH_WEB_REVIEW_TOKEN"] = review_token
        # fail here, not in every worker (on PostgreSQL by opening the store)
        if is_postgres(str(db_path)):
            open_store(str(db_path), readonly=True).close()
        else:
            create_app(db_path, readonly=readonly, tile_url=tile_url, columns=False)
        _check_port(host, port)
        uvicorn.run("wirewatch.web.app:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level=log_level, access_log=False, http=BoundedHttpToolsProtocol)
        return
    app = create_app(db_path, readonly=readonly, tile_url=tile_url, page_cache_size=page_cache_size,
                     columns=columns, review_token=review_token, allowed_hosts=hosts)
    gc.collect()
    gc.freeze()  # what start-up made is never scanned again: no collection of old objects pauses a request
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False, http=BoundedHttpToolsProtocol)


def _check_port(host: str, port: int) -> None:
    """Raise :class:`StoreError` when ``host:port`` cannot be bound (uvicorn would log it and exit)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # as uvicorn chooses for --host
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (as uvicorn binds)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc}", hint="choose another --port") from exc


def app_from_environment() -> ASGIApp:
    """App factory for uvicorn's worker processes (reads what :func:`serve` put in the environment); what
    it built is moved out of the garbage collector's way, as :func:`serve` does for one process."""
    app = create_app(os.environ["WIREWATCH_WEB_DB"], readonly=os.environ.get("WIREWATCH_WEB_READONLY", "1") == "1",
                     tile_url=os.environ.get("WIREWATCH_WEB_TILES"),
                     page_cache_size=int(os.environ.get("WIREWATCH_WEB_PAGE_CACHE", "2048")),
                     columns=os.environ.get("WIREWATCH_WEB_COLUMNS", "1") == "1",
                     review_token=os.environ.get("WIREWATCH_WEB_REVIEW_TOKEN") or None,
                     allowed_hosts=frozenset(filter(None, os.environ.get("WIREWATCH_WEB_HOSTS", "").split(",")))
                     or None)
    gc.collect()
    gc.freeze()
    return app
