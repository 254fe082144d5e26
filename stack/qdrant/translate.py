"""Qdrant REST JSON <-> qdrant_edge objects. No search logic here: only shape conversion."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any, Mapping

import qdrant_edge as qe

from errors import format_error, unsupported, validation_error

if TYPE_CHECKING:
    from qdrant_edge import Vector

Json = Any
PointId = int | uuid.UUID | str
MAX_POINT_ID = 2**64 - 1
MAX_SPARSE_INDEX = 2**32 - 1
DEFAULT_RRF_K = 2  # Qdrant's, for `{"fusion": "rrf"}` and an Rrf without `k`


def obj(value: Json, what: str, allowed: frozenset[str] | set[str]) -> dict[str, Json]:
    """`value` as a JSON object; a non-null key outside `allowed` is a feature the stand-in lacks."""
    if not isinstance(value, dict):
        raise format_error(f"{what} must be a JSON object")
    for key, item in value.items():
        if item is not None and key not in allowed:
            raise unsupported(f"`{key}` in {what}")
    return value


def point_id(value: Json) -> PointId:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_POINT_ID:
        return value
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise format_error(
        f"value {json.dumps(value)} is not a valid point ID, "
        "valid values are either an unsigned integer or a UUID"
    )


def path_point_id(text: str) -> PointId:
    return point_id(int(text)) if text.isdigit() else point_id(text)


def point_ids(value: Json, what: str) -> list[PointId]:
    if not isinstance(value, list):
        raise format_error(f"{what} must be an array of point ids")
    return [point_id(item) for item in value]


def id_out(value: object) -> PointId:
    return value if isinstance(value, int) else str(value)


# --- selectors, vectors, queries ----------------------------------------------


def with_payload(value: Json, default: bool) -> Any:
    if value is None:
        return default
    if isinstance(value, (bool, list)):
        return value
    selector = obj(value, "with_payload", {"include", "exclude"})
    if "include" in selector:
        return qe.PayloadSelector.Include(selector["include"])
    return qe.PayloadSelector.Exclude(selector["exclude"])


def with_vector(value: Json, default: bool = False) -> bool | list[str]:
    if value is None:
        return default
    if not isinstance(value, (bool, list)):
        raise format_error("with_vector must be a boolean or an array of vector names")
    return value


def _dense(value: Json, what: str) -> list[float]:
    if not isinstance(value, list):
        if isinstance(value, dict):
            raise unsupported(f"inference objects ({what}): send the embedding itself")
        raise format_error(f"{what} must be an array of numbers")
    if value and isinstance(value[0], list):
        raise unsupported(f"multi-vectors ({what})")
    return value


def _is_sparse(value: Json) -> bool:
    return isinstance(value, dict) and {"indices", "values"} <= value.keys()


def _is_number(value: Json) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def sparse_vector(value: Json, what: str, path: str) -> qe.SparseVector:
    """A SparseVector, checked before the engine sees it: the engine panics on uneven or repeated indices.

    `path` locates the vector in the body for Qdrant's validation message, e.g. `points[0].vector.?`.
    """
    spec = obj(value, what, {"indices", "values"})
    indices, values = spec["indices"], spec["values"]
    if not (isinstance(indices, list) and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i <= MAX_SPARSE_INDEX for i in indices)):
        raise format_error(f"{what}: sparse `indices` must be an array of unsigned 32-bit integers")
    if not (isinstance(values, list) and all(_is_number(v) for v in values)):
        raise format_error(f"{what}: sparse `values` must be an array of numbers")
    broken = []
    if len(indices) != len(values):
        broken.append(f"{path}.values: Validation error: must be the same length as indices [{{}}]")
    if len(set(indices)) != len(indices):
        broken.append(f"{path}.indices: Validation error: must be unique [{{}}]")
    if broken:
        raise validation_error(broken)
    return qe.SparseVector(indices, values)


def _vector(value: Json, what: str, path: str) -> list[float] | qe.SparseVector:
    """One dense or sparse vector; which one the name stands for is the engine's to check."""
    return sparse_vector(value, what, path) if _is_sparse(value) else _dense(value, what)


def point_vector(value: Json, path: str) -> Vector:
    """A point's VectorStruct: one unnamed dense vector, or named dense and sparse ones ("" is the unnamed one).

    An object is named vectors unless it names a `model` to embed it (a Document, Image or InferenceObject):
    a vector may well be named `text`.
    """
    if isinstance(value, dict) and not isinstance(value.get("model"), str):
        # Qdrant reports a named vector's errors under `?`, not under its name.
        return {name: _vector(vector, f"vector `{name}`", f"{path}.?") for name, vector in value.items()}
    return _dense(value, "vector")


def search_params(value: Json) -> qe.SearchParams | None:
    if value is None:
        return None
    params = obj(value, "params", {"hnsw_ef", "exact", "indexed_only"})
    return qe.SearchParams(
        hnsw_ef=params.get("hnsw_ef"), exact=bool(params.get("exact")), indexed_only=bool(params.get("indexed_only"))
    )


def order_by(value: Json) -> qe.OrderBy:
    if isinstance(value, str):
        return qe.OrderBy(value)
    spec = obj(value, "order_by", {"key", "direction", "start_from"})
    direction = spec.get("direction")
    if direction not in (None, "asc", "desc"):
        raise format_error(f"unknown order_by direction `{direction}`")
    return qe.OrderBy(
        spec["key"],
        direction=None if direction is None else (qe.Direction.Asc if direction == "asc" else qe.Direction.Desc),
        start_from=spec.get("start_from"),
    )


def _rrf(value: Json, path: str) -> qe.Fusion.Rrf:
    spec = obj(value, "rrf", {"k", "weights"})
    k = spec.get("k")
    if k is None:
        k = DEFAULT_RRF_K
    elif not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise validation_error([f"{path}.rrf.k: value {k} invalid, must be 1 or larger"])
    return qe.Fusion.Rrf(k=k, weights=spec.get("weights"))


def _fusion(value: Json) -> qe.Fusion.Rrf | qe.Fusion.Dbsf:
    if value == "rrf":
        return qe.Fusion.Rrf(k=DEFAULT_RRF_K)
    if value == "dbsf":
        return qe.Fusion.Dbsf()
    raise format_error(f"unknown fusion `{value}`, expected one of rrf, dbsf")


def query(value: Json, using: str | None, path: str) -> Any:
    """The `query` of a Query API request (at `path` in the body): a vector, or nearest / fusion / rrf / order_by / sample."""
    if value is None:
        return None
    if isinstance(value, list):
        return qe.Query.Nearest(_dense(value, "query"), using=using)
    if isinstance(value, (int, str)):
        raise unsupported("querying by point id (send the vector itself)")
    if _is_sparse(value):
        return qe.Query.Nearest(sparse_vector(value, "query", path), using=using)
    if isinstance(value, dict) and "nearest" in value:
        spec = obj(value, "query", {"nearest"})
        if isinstance(spec["nearest"], (int, str)):
            raise unsupported("querying by point id (send the vector itself)")
        return qe.Query.Nearest(_vector(spec["nearest"], "query.nearest", f"{path}.nearest"), using=using)
    if isinstance(value, dict) and "fusion" in value:
        return _fusion(obj(value, "query", {"fusion"})["fusion"])
    if isinstance(value, dict) and "rrf" in value:
        return _rrf(obj(value, "query", {"rrf"})["rrf"], path)
    if isinstance(value, dict) and "order_by" in value:
        return order_by(obj(value, "query", {"order_by"})["order_by"])
    if isinstance(value, dict) and "sample" in value:
        if obj(value, "query", {"sample"})["sample"] != "random":
            raise format_error("sample must be `random`")
        return qe.Sample.Random
    kind = next(iter(value), "?") if isinstance(value, dict) else type(value).__name__
    raise unsupported(f"`{kind}` queries")


# --- payload index schemas ----------------------------------------------------

INDEX_TYPES: Mapping[str, tuple[Any, type, frozenset[str]]] = {
    "keyword": (qe.PayloadSchemaType.Keyword, qe.KeywordIndexParams, frozenset({"is_tenant", "on_disk", "enable_hnsw", "prefix", "memory"})),
    "integer": (qe.PayloadSchemaType.Integer, qe.IntegerIndexParams, frozenset({"lookup", "range", "is_principal", "on_disk", "enable_hnsw", "memory"})),
    "float": (qe.PayloadSchemaType.Float, qe.FloatIndexParams, frozenset({"is_principal", "on_disk", "enable_hnsw", "memory"})),
    "geo": (qe.PayloadSchemaType.Geo, qe.GeoIndexParams, frozenset({"on_disk", "enable_hnsw", "memory"})),
    "text": (
        qe.PayloadSchemaType.Text,
        qe.TextIndexParams,
        frozenset({"tokenizer", "min_token_len", "max_token_len", "lowercase", "ascii_folding", "phrase_matching", "on_disk", "enable_hnsw", "memory"}),
    ),
    "bool": (qe.PayloadSchemaType.Bool, qe.BoolIndexParams, frozenset({"on_disk", "enable_hnsw", "memory"})),
    "datetime": (qe.PayloadSchemaType.Datetime, qe.DatetimeIndexParams, frozenset({"is_principal", "on_disk", "enable_hnsw", "memory"})),
    "uuid": (qe.PayloadSchemaType.Uuid, qe.UuidIndexParams, frozenset({"is_tenant", "on_disk", "enable_hnsw", "memory"})),
}


def _enum(enum: Any, value: Json, what: str) -> Any:
    member = getattr(enum, str(value).capitalize(), None)
    if member is None:
        raise format_error(f"unknown {what} `{value}`")
    return member


def memory(value: Json) -> Any:
    return None if value is None else _enum(qe.Memory, value, "memory placement")


def field_schema(value: Json) -> Any:
    """A `field_schema`: a type name, or an object of index params with `type`."""
    if value is None:
        raise unsupported("payload index without `field_schema` (type inference)")
    if isinstance(value, str):
        if value not in INDEX_TYPES:
            raise format_error(f"unknown payload schema type `{value}`")
        return INDEX_TYPES[value][0]
    if not isinstance(value, dict) or value.get("type") not in INDEX_TYPES:
        raise format_error("field_schema must be a type name or an object with a known `type`")
    _, params_class, allowed = INDEX_TYPES[value["type"]]
    params = {key: item for key, item in obj(value, "field_schema", allowed | {"type"}).items() if key != "type" and item is not None}
    if "memory" in params:
        params["memory"] = memory(params["memory"])
    if "tokenizer" in params:
        params["tokenizer"] = _enum(qe.TokenizerType, params["tokenizer"], "tokenizer")
    return params_class(**params)


def schema_type_name(data_type: object) -> str:
    return str(data_type).rsplit(".", 1)[-1].lower()


# --- results --------------------------------------------------------------------


def vector_out(value: Any) -> Json:
    """A stored VectorStructOutput as JSON: the engine already shapes it as Qdrant does, only sparse vectors need converting."""
    if not isinstance(value, dict):
        return value
    return {name: {"indices": v.indices, "values": v.values} if isinstance(v, qe.SparseVector) else v for name, v in value.items()}


def record_out(record: Any) -> dict[str, Json]:
    out: dict[str, Json] = {"id": id_out(record.id), "payload": record.payload, "vector": vector_out(record.vector)}
    if record.order_value is not None:
        out["order_value"] = record.order_value
    return out


def scored_out(point: Any) -> dict[str, Json]:
    out: dict[str, Json] = {
        "id": id_out(point.id),
        "version": point.version,
        "score": point.score,
        "payload": point.payload,
        "vector": vector_out(point.vector),
    }
    if point.order_value is not None:
        out["order_value"] = point.order_value
    return out
