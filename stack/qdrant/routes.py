"""The served subset of Qdrant's REST API: which handler serves which method and path."""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import unquote

from collection_routes import collection_exists, create_collection, create_index, delete_collection, delete_index, get_collection, list_collections, update_collection
from errors import unsupported
from point_routes import count_points, delete_points, get_point, overwrite_payload, retrieve_points, scroll_points, set_payload, upsert_points
from query_routes import query_batch_points, query_points, search_points
from request import Request
from translate import Json

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
