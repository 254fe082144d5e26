"""Handlers of the point endpoints: writes and reads by id, filter or scroll."""

from __future__ import annotations

from typing import Callable

import qdrant_edge as qe

from errors import ApiError, format_error, not_found, unsupported
from filters import filter_, optional_filter
from request import Request, limit_of
from translate import Json, obj, order_by, path_point_id, point_id, point_ids, point_vector, record_out, with_payload, with_vector

UPDATE_MODES = {"upsert": qe.UpdateMode.Upsert, "insert_only": qe.UpdateMode.InsertOnly, "update_only": qe.UpdateMode.UpdateOnly}


# --- points: writes ------------------------------------------------------------------


def _payload(value: Json) -> dict[str, Json] | None:
    if value is not None and not isinstance(value, dict):
        raise format_error("payload must be a JSON object")
    return value


def _batch_points(batch: dict[str, Json]) -> list[qe.Point]:
    """The points of a column-wise batch; named vectors come as one column per name."""
    ids = point_ids(batch.get("ids"), "batch.ids")
    vectors = batch.get("vectors")
    payloads = batch.get("payloads") or [None] * len(ids)
    if isinstance(vectors, dict):
        if any(not isinstance(column, list) or len(column) != len(ids) for column in vectors.values()):
            raise format_error("batch ids, vectors and payloads must have the same length")
        per_point: list[Json] = [{name: column[i] for name, column in vectors.items()} for i in range(len(ids))]
    elif isinstance(vectors, list):
        per_point = vectors
    else:
        raise format_error("missing field `vectors`")
    if not len(per_point) == len(payloads) == len(ids):
        raise format_error("batch ids, vectors and payloads must have the same length")
    return [qe.Point(i, point_vector(v, "batch"), _payload(p)) for i, v, p in zip(ids, per_point, payloads)]


def upsert_points(request: Request) -> Json:
    collection = request.collection
    spec = obj(request.body, "upsert request", {"points", "batch", "update_filter", "update_mode"})
    if spec.get("points") is not None:
        points = [
            qe.Point(point_id(p.get("id")), point_vector(p.get("vector"), f"points[{i}].vector"), _payload(p.get("payload")))
            for i, p in enumerate(obj(p, "point", {"id", "vector", "payload"}) for p in spec["points"])
        ]
    elif spec.get("batch") is not None:
        points = _batch_points(obj(spec["batch"], "batch", {"ids", "vectors", "payloads"}))
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
        limit=limit_of(spec.get("limit"), 10),
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
