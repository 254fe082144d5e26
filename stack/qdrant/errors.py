"""Errors with Qdrant's status codes and message prefixes."""

from __future__ import annotations


class ApiError(Exception):
    """An error answered as `{"status": {"error": message}, "time": ...}` with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def format_error(detail: str) -> ApiError:
    return ApiError(400, f"Format error in JSON body: {detail}")


def validation_error(details: list[str]) -> ApiError:
    """What Qdrant answers when a well-formed body breaks a rule of its schema, e.g. unique sparse indices."""
    return ApiError(422, f"Validation error in JSON body: [{', '.join(details)}]")


def wrong_input(detail: str) -> ApiError:
    return ApiError(400, f"Wrong input: {detail}")


def not_found(detail: str) -> ApiError:
    return ApiError(404, f"Not found: {detail}")


def missing_collection(name: str) -> ApiError:
    return not_found(f"Collection `{name}` doesn't exist!")


def conflict(detail: str) -> ApiError:
    return ApiError(409, f"Wrong input: {detail}")


def unsupported(what: str) -> ApiError:
    """A valid Qdrant request that this stand-in does not serve: never answered approximately."""
    return ApiError(501, f"Not implemented by the qdrant-edge stand-in: {what}")
