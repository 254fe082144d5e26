"""Handlers of the collection and payload-index endpoints."""

from __future__ import annotations

import qdrant_edge as qe

from errors import format_error
from collection_config import update_sparse_vectors
from request import Request
from translate import Json, field_schema, obj, schema_type_name

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
    collection = request.collection  # 404 first, as Qdrant does
    spec = obj(request.body or {}, "collection update", {"sparse_vectors"})
    if spec.get("sparse_vectors") is not None:
        request.registry.update_config(collection, lambda config: update_sparse_vectors(config, spec["sparse_vectors"]))
    return True


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
