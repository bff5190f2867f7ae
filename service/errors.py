"""The one place where errors become HTTP responses, all with the same JSON body.

Every error the service sends, whatever raised it (a domain error, request validation,
routing, the body-size limit, authentication, rate limiting, CORS, or a bug), has the body::

    {"error": {"type": "validation_error", "message": "...", "status": 422,
               "details": [{"field": "body.question", "reason": "..."}]}}

``message`` is one sentence a person can act on; ``details`` lists the offending fields
(empty when the error is not about a field). The shape also satisfies OpenAI clients,
which read ``error.message`` and ``error.type``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import (
    DocumentNotFoundError,
    EmbedderMismatchError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    InvalidInputError,
    ParagraphNotFoundError,
    ReportQAError,
)

logger = logging.getLogger("reportqa.api")

# Error type of each HTTP status the service sends.
ERROR_TYPES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
    503: "not_ready",
}

# Domain errors by class, most specific first; the first match decides the status.
_DOMAIN_STATUS: tuple[tuple[type[ReportQAError], int], ...] = (
    (InvalidInputError, 422),
    (DocumentNotFoundError, 404),
    (ParagraphNotFoundError, 404),
    (IndexNotFoundError, 503),
    (IndexCorruptError, 503),
    (EmbedderMismatchError, 503),
    (IndexLockedError, 503),
)


class FieldError(InvalidInputError):
    """A request field holds a value the service refuses (422, naming the field).

    Args:
        field: Dotted location, as in validation errors: ``"body.question"``.
        message: What was wrong and what is accepted.

    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ServiceNotReadyError(ReportQAError):
    """No index is loaded yet (503); the message says why."""


def error_body(status: int, message: str, *, error_type: str | None = None,
               details: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Build the JSON body of every error response.

    Args:
        status: HTTP status code.
        message: What was wrong and what to do.
        error_type: Machine-readable kind; by default the one of ``status``.
        details: ``{"field": ..., "reason": ...}`` items, one per offending field.

    Returns:
        ``{"error": {"type", "message", "status", "details"}}``.

    """
    return {
        "error": {
            "type": error_type or ERROR_TYPES.get(status, "error"),
            "message": message,
            "status": status,
            "details": [dict(item) for item in details],
        }
    }


def error_response(status: int, message: str, *, error_type: str | None = None,
                   details: Sequence[Mapping[str, Any]] = (),
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    """Build a JSON response with :func:`error_body` (see there for the arguments)."""
    return JSONResponse(
        error_body(status, message, error_type=error_type, details=details),
        status_code=status,
        headers=dict(headers) if headers else None,
    )


def domain_status(error: ReportQAError) -> int:
    """Return the HTTP status of a domain error."""
    if isinstance(error, ServiceNotReadyError):
        return 503
    for error_class, status in _DOMAIN_STATUS:
        if isinstance(error, error_class):
            return status
    return 400


def _field_name(location: Sequence[Any]) -> str:
    return ".".join(str(part) for part in location)


def _validation_details(error: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    details = []
    invalid_json = False
    for item in error.errors():
        location = list(item.get("loc", ()))
        if item.get("type") == "json_invalid":
            invalid_json = True
            # The location's second part is the character offset, not a field.
            position = location[1] if len(location) > 1 else "?"
            problem = item.get("ctx", {}).get("error", "decode error")
            reason = (f"the body is not valid JSON ({problem} at character {position}); "
                      f"send a JSON object")
            details.append({"field": "body", "reason": reason})
            continue
        if item.get("type") == "extra_forbidden":
            reason = "unknown field; see /docs for the fields this endpoint accepts"
        else:
            reason = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        details.append({"field": _field_name(location), "reason": reason})
    if invalid_json:
        return "the request body is not valid JSON", details
    listed = "; ".join(f"{d['field']}: {d['reason']}" for d in details[:3])
    more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
    return f"invalid request: {listed}{more}", details


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    message, details = _validation_details(error)
    content_type = request.headers.get("content-type", "")
    if (details and details[0]["field"] == "body" and request.method in ("POST", "PUT")
            and "json" not in content_type.lower()):
        # The body was not read as JSON at all (curl -d sends a form content type).
        message = (f"the body must be JSON sent with 'Content-Type: application/json' "
                   f"(got {content_type or 'no content type'!r})")
        details = [{"field": "body", "reason": message}]
    return error_response(422, message, details=details)


_FASTAPI_BODY_ERROR = "There was an error parsing the body"


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    if status == 404 and error.detail == "Not Found":
        message = (f"no endpoint {request.method} {request.url.path}; the endpoints are "
                   f"listed at /docs")
    elif status == 405:
        allowed = (error.headers or {}).get("Allow", "")
        message = (f"{request.method} is not allowed on {request.url.path}"
                   + (f"; use {allowed}" if allowed else ""))
    elif status == 400 and error.detail == _FASTAPI_BODY_ERROR:
        # FastAPI's words for a body it could not decode: invalid UTF-8, JSON nested
        # deeper than the parser's recursion limit, an integer of thousands of digits.
        message = ("the request body could not be read as JSON (invalid UTF-8, nested too "
                   "deeply, or a number too long); send a UTF-8 JSON object")
        return error_response(status, message, details=[{"field": "body", "reason": message}],
                              headers=error.headers)
    else:
        message = str(error.detail)
    return error_response(status, message, headers=error.headers)


async def _on_domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ReportQAError)
    status = domain_status(error)
    details = []
    if isinstance(error, FieldError):
        details.append({"field": error.field, "reason": str(error)})
    headers = {"Retry-After": "2"} if status == 503 else None
    return error_response(status, str(error), details=details, headers=headers)


async def _on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # The traceback goes to the log only: it may name files and data a client must not see.
    logger.exception("unhandled error on %s %s", request.method, request.url.path,
                     exc_info=error)
    return error_response(500, "internal error; it has been logged, and the request can "
                          "be retried")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON body."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(ReportQAError, _on_domain_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
