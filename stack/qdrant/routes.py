"""The served subset of Qdrant's REST API: each handler turns one request into engine calls."""

from __future__ import annotations

import re
from urllib.parse import unquote
from dataclasses import dataclass
from typing import Callable, Mapping

import qdrant_edge as qe

from errors import ApiError, format_error, not_found, unsupported
from registry import Collection, Registry
from translate import (
    Json,
    field_schema,
    filter_,
    obj,
    optional_filter,
    order_by,
    path_point_id,
    point_id,
    point_ids,
    point_vector,
    query,
    record_out,
    schema_type_name,
    scored_out,
    search_params,
    with_payload,
    with_vector,
)

UPDATE_MODES = {"upsert": qe.UpdateMode.Upsert, "insert_only": qe.UpdateMode.InsertOnly, "update_only": qe.UpdateMode.UpdateOnly}


@dataclass
class Request:
    registry: Registry
    params: tuple[str, ...]
    query: Mapping[str, str]
    body: Json

    @property
    def collection(self) -> Collection:
        return self.registry.get(self.params[0])

    def apply(self, collection: Collection, operation: qe.UpdateOperation) -> dict[str, Json]:
        """Updates run synchronously, so `wait` only changes the reported status, as in Qdrant."""
        operation_id = collection.write(operation)
        waited = self.query.get("wait", "false").lower() == "true"
        return {"operation_id": operation_id, "status": "completed" if waited else "acknowledged"}


def _limit(value: Json, default: int) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ApiError(422, f"Validation error in JSON body: [limit: value {value} invalid, must be 1 or larger]")
    return value


def _offset(value: Json) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise format_error("offset must be a non-negative integer")
    return value


# --- collections ---------------------------------------------------------------


def list_collections(request: Request) -> Json:
    return {"collections": [{"name": name} for name in request.registry.names()]}


def get_collection(request: Request) -> Json:
    collection = request.collection
    info = collection.shard.info()
    index_params = collection.config.get("index_params", {})
    schema: dict[str, Json] = {}
    for field, index in info.payload_schema.items():
        schema[field] = {"data_type": schema_type_name(index.data_type), "points": index.points}
        if index_params.get(field) is not None:
            schema[field]["params"] = index_params[field]
    return {
        "status": "green",
        "optimizer_status": "ok",
        "indexed_vectors_count": info.indexed_vectors_count,
        "points_count": info.points_count,
        "segments_count": info.segments_count,
        "config": {key: value for key, value in collection.config.items() if key != "index_params"},
        "payload_schema": schema,
    }


def create_collection(request: Request) -> Json:
    request.registry.create(request.params[0], request.body)
    return True


def delete_collection(request: Request) -> Json:
    return request.registry.delete(request.params[0])


def collection_exists(request: Request) -> Json:
    return {"exists": request.params[0] in request.registry.collections}


def update_collection(request: Request) -> Json:
    request.collection  # 404 first, as Qdrant does
    raise unsupported("updating collection parameters (PATCH /collections/{name})")


# --- payload indexes -------------------------------------------------------------


def create_index(request: Request) -> Json:
    collection = request.collection
    spec = obj(request.body, "create index request", {"field_name", "field_schema"})
    field, schema = spec.get("field_name"), spec.get("field_schema")
    if not isinstance(field, str):
        raise format_error("missing field `field_name`")
    result = request.apply(collection, qe.UpdateOperation.create_field_index(field, field_schema(schema)))
    request.registry.update_config(collection, lambda config: config["index_params"].__setitem__(field, schema if isinstance(schema, dict) else None))
    return result


def delete_index(request: Request) -> Json:
    collection = request.collection
    field = request.params[1]
    result = request.apply(collection, qe.UpdateOperation.delete_field_index(field))
    request.registry.update_config(collection, lambda config: config["index_params"].pop(field, None))
    return result


# --- points: writes ------------------------------------------------------------------


def _payload(value: Json) -> dict[str, Json] | None:
    if value is not None and not isinstance(value, dict):
        raise format_error("payload must be a JSON object")
    return value


def upsert_points(request: Request) -> Json:
    collection = request.collection
    spec = obj(request.body, "upsert request", {"points", "batch", "update_filter", "update_mode"})
    if spec.get("points") is not None:
        points = [
            qe.Point(point_id(p.get("id")), point_vector(p.get("vector")), _payload(p.get("payload")))
            for p in (obj(p, "point", {"id", "vector", "payload"}) for p in spec["points"])
        ]
    elif spec.get("batch") is not None:
        batch = obj(spec["batch"], "batch", {"ids", "vectors", "payloads"})
        ids = point_ids(batch.get("ids"), "batch.ids")
        vectors = batch.get("vectors")
        if isinstance(vectors, dict):
            per_point: list[Json] = [{name: column[i] for name, column in vectors.items()} for i in range(len(ids))]
        elif isinstance(vectors, list):
            per_point = vectors
        else:
            raise format_error("missing field `vectors`")
        payloads = batch.get("payloads") or [None] * len(ids)
        if not len(per_point) == len(payloads) == len(ids):
            raise format_error("batch ids, vectors and payloads must have the same length")
        points = [qe.Point(i, point_vector(v), _payload(p)) for i, v, p in zip(ids, per_point, payloads)]
    else:
        raise format_error("data did not match any variant of untagged enum PointInsertOperations")
    mode = spec.get("update_mode")
    if mode is not None and mode not in UPDATE_MODES:
        raise format_error(f"unknown update_mode `{mode}`")
    operation = qe.UpdateOperation.upsert_points(
        points, condition=optional_filter(spec.get("update_filter")), update_mode=None if mode is None else UPDATE_MODES[mode]
    )
    return request.apply(collection, operation)


def delete_points(request: Request) -> Json:
    collection = request.collection
    spec = obj(request.body, "delete request", {"points", "filter"})
    if spec.get("points") is not None:
        return request.apply(collection, qe.UpdateOperation.delete_points(point_ids(spec["points"], "points")))
    if spec.get("filter") is not None:
        return request.apply(collection, qe.UpdateOperation.delete_points_by_filter(filter_(spec["filter"])))
    raise format_error("data did not match any variant of untagged enum PointsSelector")


def _payload_operation(request: Request, by_ids: Callable[..., qe.UpdateOperation], by_filter: Callable[..., qe.UpdateOperation]) -> Json:
    collection = request.collection
    spec = obj(request.body, "payload request", {"payload", "points", "filter", "key"})
    payload = _payload(spec.get("payload"))
    if payload is None:
        raise format_error("missing field `payload`")
    ids, selector = spec.get("points"), spec.get("filter")
    if ids is not None and selector is not None:
        raise unsupported("`points` and `filter` together in one payload request")
    if ids is not None:
        ids = point_ids(ids, "points")
        # Qdrant answers 404 for a missing id; the engine would skip it silently.
        found = {record.id if isinstance(record.id, int) else str(record.id) for record in collection.shard.retrieve(ids, False, False)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise not_found(f"No point with id {missing[0]} found")
        return request.apply(collection, by_ids(ids, payload, spec.get("key")))
    if selector is not None:
        return request.apply(collection, by_filter(filter_(selector), payload, spec.get("key")))
    raise ApiError(400, "Bad request: Either list of point ids or filter must be provided")


def set_payload(request: Request) -> Json:
    return _payload_operation(request, qe.UpdateOperation.set_payload, qe.UpdateOperation.set_payload_by_filter)


def overwrite_payload(request: Request) -> Json:
    return _payload_operation(request, qe.UpdateOperation.overwrite_payload, qe.UpdateOperation.overwrite_payload_by_filter)


# --- points: reads --------------------------------------------------------------------


def retrieve_points(request: Request) -> Json:
    spec = obj(request.body, "retrieve request", {"ids", "with_payload", "with_vector"})
    ids = point_ids(spec.get("ids"), "ids")
    records = request.collection.shard.retrieve(ids, with_payload(spec.get("with_payload"), True), with_vector(spec.get("with_vector")))
    return [record_out(record) for record in records]


def get_point(request: Request) -> Json:
    try:
        pid = path_point_id(request.params[1])
    except ApiError as error:
        raise ApiError(400, error.message.replace("Format error in JSON body", "Format error in path parameters")) from None
    records = request.collection.shard.retrieve([pid], True, True)
    if not records:
        raise not_found(f"No point with id {pid} found")
    return record_out(records[0])


def scroll_points(request: Request) -> Json:
    spec = obj(request.body or {}, "scroll request", {"offset", "limit", "filter", "with_payload", "with_vector", "order_by"})
    offset = spec.get("offset")
    scroll = qe.ScrollRequest(
        offset=None if offset is None else point_id(offset),
        limit=_limit(spec.get("limit"), 10),
        filter=optional_filter(spec.get("filter")),
        with_payload=with_payload(spec.get("with_payload"), True),
        with_vector=with_vector(spec.get("with_vector")),
        order_by=None if spec.get("order_by") is None else order_by(spec["order_by"]),
    )
    records, next_offset = request.collection.shard.scroll(scroll)
    return {
        "points": [record_out(record) for record in records],
        "next_page_offset": None if next_offset is None else (next_offset if isinstance(next_offset, int) else str(next_offset)),
    }


def count_points(request: Request) -> Json:
    spec = obj(request.body or {}, "count request", {"filter", "exact"})
    exact = spec.get("exact")
    count = request.collection.shard.count(qe.CountRequest(exact=True if exact is None else bool(exact), filter=optional_filter(spec.get("filter"))))
    return {"count": count}


QUERY_KEYS = {"query", "using", "filter", "params", "score_threshold", "limit", "offset", "with_vector", "with_payload"}


def _query_request(spec: dict[str, Json], scoring: Json) -> qe.QueryRequest:
    """The engine request for a validated query or legacy search body; `scoring` is its translated query."""
    return qe.QueryRequest(
        limit=_limit(spec.get("limit"), 10),
        offset=_offset(spec.get("offset")),
        query=scoring,
        with_vector=with_vector(spec.get("with_vector")),
        with_payload=with_payload(spec.get("with_payload"), False),
        filter=optional_filter(spec.get("filter")),
        score_threshold=spec.get("score_threshold"),
        params=search_params(spec.get("params")),
    )


def _universal_query(body: Json) -> qe.QueryRequest:
    spec = obj(body, "query request", QUERY_KEYS)
    return _query_request(spec, query(spec.get("query"), spec.get("using")))


def query_points(request: Request) -> Json:
    search = _universal_query(request.body or {})
    return {"points": [scored_out(point) for point in request.collection.shard.query(search)]}


def query_batch_points(request: Request) -> Json:
    searches = obj(request.body, "query batch request", {"searches"}).get("searches")
    if not isinstance(searches, list):
        raise format_error("`searches` must be an array of query requests")
    # Every search is translated before any runs: one bad search fails the whole batch, as in Qdrant.
    batch = qe.QueryBatchRequest([_universal_query(search) for search in searches])
    return [{"points": [scored_out(point) for point in points]} for points in request.collection.shard.query_batch(batch)]


def search_points(request: Request) -> Json:
    """Legacy search (removed from Qdrant's current API, still called by js-client 1.18's `search`)."""
    spec = obj(request.body, "search request", (QUERY_KEYS - {"query", "using"}) | {"vector"})
    vector, using = spec.get("vector"), None
    if isinstance(vector, dict) and "vector" in vector:
        named = obj(vector, "vector", {"name", "vector"})
        vector, using = named["vector"], named.get("name")
    if not isinstance(vector, list):
        raise format_error("missing field `vector`")
    points = request.collection.shard.query(_query_request(spec, query(vector, using)))
    return [scored_out(point) for point in points]


Handler = Callable[[Request], Json]
NAME = r"/collections/([^/]+)"
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(f"^{pattern}$"), handler)
    for method, pattern, handler in [
        ("GET", "/collections", list_collections),
        ("GET", NAME, get_collection),
        ("PUT", NAME, create_collection),
        ("PATCH", NAME, update_collection),
        ("DELETE", NAME, delete_collection),
        ("GET", f"{NAME}/exists", collection_exists),
        ("PUT", f"{NAME}/index", create_index),
        ("DELETE", f"{NAME}/index/([^/]+)", delete_index),
        ("PUT", f"{NAME}/points", upsert_points),
        ("POST", f"{NAME}/points", retrieve_points),
        ("GET", f"{NAME}/points/([^/]+)", get_point),
        ("POST", f"{NAME}/points/delete", delete_points),
        ("POST", f"{NAME}/points/payload", set_payload),
        ("PUT", f"{NAME}/points/payload", overwrite_payload),
        ("POST", f"{NAME}/points/scroll", scroll_points),
        ("POST", f"{NAME}/points/count", count_points),
        ("POST", f"{NAME}/points/query", query_points),
        ("POST", f"{NAME}/points/query/batch", query_batch_points),
        ("POST", f"{NAME}/points/search", search_points),
    ]
]


def route(method: str, path: str) -> tuple[Handler, tuple[str, ...]]:
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler, tuple(unquote(group) for group in match.groups())
    raise unsupported(f"{method} {path}")
