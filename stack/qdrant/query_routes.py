"""Handlers of the search endpoints: query, query batch and the legacy search."""

from __future__ import annotations

import qdrant_edge as qe

from errors import format_error
from filters import optional_filter
from request import Request, limit_of, offset_of
from translate import Json, obj, query, scored_out, search_params, with_payload, with_vector

PREFETCH_KEYS = {"prefetch", "query", "using", "filter", "params", "score_threshold", "limit"}
QUERY_KEYS = PREFETCH_KEYS | {"offset", "with_vector", "with_payload"}


def _prefetches(value: Json, path: str) -> list[qe.Prefetch] | None:
    """`prefetch` of the request or prefetch at `path`: one Prefetch or an array of them, each maybe with its own."""
    if value is None:
        return None
    return [_prefetch(item, f"{path}.prefetch[{i}]") for i, item in enumerate(value if isinstance(value, list) else [value])]


def _prefetch(value: Json, path: str) -> qe.Prefetch:
    spec = obj(value, "prefetch", PREFETCH_KEYS)
    return qe.Prefetch(
        limit=limit_of(spec.get("limit"), 10),
        query=query(spec.get("query"), spec.get("using"), f"{path}.query"),
        prefetches=_prefetches(spec.get("prefetch"), path),
        params=search_params(spec.get("params")),
        filter=optional_filter(spec.get("filter")),
        score_threshold=spec.get("score_threshold"),
    )


def _query_request(spec: dict[str, Json], scoring: Json, prefetches: list[qe.Prefetch] | None = None) -> qe.QueryRequest:
    """The engine request for a validated query or legacy search body; `scoring` is its translated query."""
    return qe.QueryRequest(
        limit=limit_of(spec.get("limit"), 10),
        offset=offset_of(spec.get("offset")),
        query=scoring,
        prefetches=prefetches,
        with_vector=with_vector(spec.get("with_vector")),
        with_payload=with_payload(spec.get("with_payload"), False),
        filter=optional_filter(spec.get("filter")),
        score_threshold=spec.get("score_threshold"),
        params=search_params(spec.get("params")),
    )


def _universal_query(body: Json, path: str) -> qe.QueryRequest:
    """A QueryRequest body; `path` is where Qdrant's validation messages place it (its fields sit under `internal`)."""
    spec = obj(body, "query request", QUERY_KEYS)
    return _query_request(spec, query(spec.get("query"), spec.get("using"), f"{path}.query"), _prefetches(spec.get("prefetch"), path))


def query_points(request: Request) -> Json:
    search = _universal_query(request.body or {}, "internal")
    return {"points": [scored_out(point) for point in request.collection.shard.query(search)]}


def query_batch_points(request: Request) -> Json:
    searches = obj(request.body, "query batch request", {"searches"}).get("searches")
    if not isinstance(searches, list):
        raise format_error("`searches` must be an array of query requests")
    # Every search is translated before any runs: one bad search fails the whole batch, as in Qdrant.
    batch = qe.QueryBatchRequest([_universal_query(search, f"searches[{i}].internal") for i, search in enumerate(searches)])
    return [{"points": [scored_out(point) for point in points]} for points in request.collection.shard.query_batch(batch)]


def search_points(request: Request) -> Json:
    """Legacy search (removed from Qdrant's current API, still called by js-client 1.18's `search`)."""
    spec = obj(request.body, "search request", (QUERY_KEYS - {"prefetch", "query", "using"}) | {"vector"})
    vector, using = spec.get("vector"), None
    if isinstance(vector, dict) and "vector" in vector:
        named = obj(vector, "vector", {"name", "vector"})
        vector, using = named["vector"], named.get("name")
    if not isinstance(vector, list):
        raise format_error("missing field `vector`")
    points = request.collection.shard.query(_query_request(spec, query(vector, using, "vector")))
    return [scored_out(point) for point in points]
