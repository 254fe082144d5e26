"""Qdrant REST JSON <-> qdrant_edge objects. No search logic here: only shape conversion."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any, Mapping

import qdrant_edge as qe

from errors import format_error, unsupported

if TYPE_CHECKING:
    from qdrant_edge import Vector

Json = Any
PointId = int | uuid.UUID | str
MAX_POINT_ID = 2**64 - 1


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


# --- filters -----------------------------------------------------------------

FILTER_KEYS = frozenset({"must", "should", "must_not", "min_should"})
FIELD_KEYS = frozenset(
    {"key", "match", "range", "geo_bounding_box", "geo_radius", "geo_polygon", "values_count", "is_empty", "is_null"}
)
MATCHES: Mapping[str, type] = {
    "value": qe.MatchValue,
    "text": qe.MatchText,
    "text_any": qe.MatchTextAny,
    "phrase": qe.MatchPhrase,
    "prefix": qe.MatchPrefix,
    "any": qe.MatchAny,
    "except": qe.MatchExcept,
}
RANGE_KEYS = frozenset({"lt", "gt", "gte", "lte"})


def filter_(value: Json) -> qe.Filter:
    spec = obj(value, "filter", FILTER_KEYS)
    min_should = None
    if spec.get("min_should") is not None:
        ms = obj(spec["min_should"], "min_should", {"conditions", "min_count"})
        min_count = ms.get("min_count")
        if not isinstance(min_count, int) or min_count < 1:
            raise format_error("min_should.min_count must be a positive integer")
        min_should = qe.MinShould(_conditions(ms.get("conditions")) or [], min_count)
    return qe.Filter(
        must=_conditions(spec.get("must")),
        should=_conditions(spec.get("should")),
        must_not=_conditions(spec.get("must_not")),
        min_should=min_should,
    )


def optional_filter(value: Json) -> qe.Filter | None:
    return None if value is None else filter_(value)


def _conditions(value: Json) -> list[Any] | None:
    if value is None:
        return None
    return [_condition(item) for item in (value if isinstance(value, list) else [value])]


def _payload_key(value: Json, what: str) -> str:
    key = obj(value, what, {"key"}).get("key")
    if not isinstance(key, str):
        raise format_error(f"missing field `key` in {what}")
    return key


def _condition(value: Json) -> Any:
    if not isinstance(value, dict):
        raise format_error("a filter condition must be a JSON object")
    if "key" in value:
        return _field_condition(value)
    if "is_empty" in value:
        return qe.IsEmptyCondition(_payload_key(value["is_empty"], "is_empty"))
    if "is_null" in value:
        return qe.IsNullCondition(_payload_key(value["is_null"], "is_null"))
    if "has_id" in value:
        return qe.HasIdCondition(set(point_ids(value["has_id"], "has_id")))
    if "has_vector" in value:
        return qe.HasVectorCondition(value["has_vector"])
    if "nested" in value:
        nested = obj(value["nested"], "nested", {"key", "filter"})
        return qe.NestedCondition(nested["key"], filter_(nested["filter"]))
    if "slice" in value:
        raise unsupported("`slice` filter condition")
    if set(value) <= FILTER_KEYS:
        return filter_(value)
    raise format_error(f"data did not match any variant of untagged enum Condition: {json.dumps(value)[:200]}")


def _field_condition(value: dict[str, Json]) -> qe.FieldCondition:
    spec = obj(value, "field condition", FIELD_KEYS)
    if all(spec.get(key) is None for key in FIELD_KEYS - {"key"}):
        raise format_error(f"field condition on `{spec['key']}` has no condition (match, range, ...)")
    return qe.FieldCondition(
        spec["key"],
        match=_match(spec.get("match")),
        range=_range(spec.get("range")),
        geo_bounding_box=_geo_box(spec.get("geo_bounding_box")),
        geo_radius=_geo_radius(spec.get("geo_radius")),
        geo_polygon=_geo_polygon(spec.get("geo_polygon")),
        values_count=None if spec.get("values_count") is None else qe.ValuesCount(**obj(spec["values_count"], "values_count", RANGE_KEYS)),
        is_empty=spec.get("is_empty"),
        is_null=spec.get("is_null"),
    )


def _match(value: Json) -> Any:
    if value is None:
        return None
    spec = obj(value, "match", frozenset(MATCHES))
    if len(spec) != 1:
        raise format_error("match needs exactly one of: " + ", ".join(MATCHES))
    ((kind, operand),) = spec.items()
    return MATCHES[kind](operand)


def _range(value: Json) -> qe.RangeFloat | qe.RangeDateTime | None:
    if value is None:
        return None
    bounds = {key: item for key, item in obj(value, "range", RANGE_KEYS).items() if item is not None}
    if any(isinstance(item, str) for item in bounds.values()):
        return qe.RangeDateTime(**bounds)
    if any(isinstance(item, bool) or not isinstance(item, (int, float)) for item in bounds.values()):
        raise format_error("range bounds must be numbers or RFC 3339 date-times")
    return qe.RangeFloat(**bounds)


def _geo_point(value: Json) -> qe.GeoPoint:
    point = obj(value, "geo point", {"lon", "lat"})
    return qe.GeoPoint(lon=point["lon"], lat=point["lat"])


def _geo_box(value: Json) -> qe.GeoBoundingBox | None:
    if value is None:
        return None
    box = obj(value, "geo_bounding_box", {"top_left", "bottom_right"})
    return qe.GeoBoundingBox(_geo_point(box["top_left"]), _geo_point(box["bottom_right"]))


def _geo_radius(value: Json) -> qe.GeoRadius | None:
    if value is None:
        return None
    radius = obj(value, "geo_radius", {"center", "radius"})
    return qe.GeoRadius(_geo_point(radius["center"]), radius["radius"])


def _line(value: Json) -> list[qe.GeoPoint]:
    return [_geo_point(point) for point in obj(value, "geo line string", {"points"})["points"]]


def _geo_polygon(value: Json) -> qe.GeoPolygon | None:
    if value is None:
        return None
    polygon = obj(value, "geo_polygon", {"exterior", "interiors"})
    interiors = polygon.get("interiors")
    return qe.GeoPolygon(_line(polygon["exterior"]), None if interiors is None else [_line(ring) for ring in interiors])


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
        if isinstance(value, dict) and {"indices", "values"} <= value.keys():
            raise unsupported(f"sparse vectors ({what})")
        if isinstance(value, dict):
            raise unsupported(f"inference objects ({what}): send the embedding itself")
        raise format_error(f"{what} must be an array of numbers")
    if value and isinstance(value[0], list):
        raise unsupported(f"multi-vectors ({what})")
    return value


def point_vector(value: Json) -> Vector:
    if isinstance(value, dict) and not ({"indices", "values"} <= value.keys() or "text" in value or "model" in value):
        return {name: _dense(vector, f"vector `{name}`") for name, vector in value.items()}
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


def query(value: Json, using: str | None) -> Any:
    """The `query` of a Query API request: a vector, or nearest / order_by / sample."""
    if value is None:
        return None
    if isinstance(value, list):
        return qe.Query.Nearest(_dense(value, "query"), using=using)
    if isinstance(value, (int, str)):
        raise unsupported("querying by point id (send the vector itself)")
    if isinstance(value, dict) and "nearest" in value:
        spec = obj(value, "query", {"nearest"})
        if isinstance(spec["nearest"], (int, str)):
            raise unsupported("querying by point id (send the vector itself)")
        return qe.Query.Nearest(_dense(spec["nearest"], "query.nearest"), using=using)
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


def record_out(record: Any) -> dict[str, Json]:
    out: dict[str, Json] = {"id": id_out(record.id), "payload": record.payload, "vector": record.vector}
    if record.order_value is not None:
        out["order_value"] = record.order_value
    return out


def scored_out(point: Any) -> dict[str, Json]:
    out: dict[str, Json] = {
        "id": id_out(point.id),
        "version": point.version,
        "score": point.score,
        "payload": point.payload,
        "vector": point.vector,
    }
    if point.order_value is not None:
        out["order_value"] = point.order_value
    return out
