"""One request to the served API, and the argument checks every handler shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import qdrant_edge as qe

from errors import ApiError, format_error
from registry import Collection, Registry
from translate import Json

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


def limit_of(value: Json, default: int) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ApiError(422, f"Validation error in JSON body: [limit: value {value} invalid, must be 1 or larger]")
    return value


def offset_of(value: Json) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise format_error("offset must be a non-negative integer")
    return value
