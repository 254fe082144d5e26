"""Qdrant REST filters (JSON) -> qdrant_edge filter objects. Shape conversion only."""

from __future__ import annotations

import json
from typing import Any, Mapping

import qdrant_edge as qe

from errors import format_error, unsupported
from translate import Json, obj, point_ids

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
