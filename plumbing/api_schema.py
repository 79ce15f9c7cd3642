"""The answers every API operation can give besides its own, documented once.

Any operation may answer 401 (no or a bad token), 403 (the role may not), 404 (not found or
not visible), 405, 406, 413 (a body over the limit), 415 (not JSON), 429 (rate limited) and
503 (the database briefly unavailable); one that takes a body or parameters may answer
400, and a write 409.
Listing them on every operation by hand is how thousands went undocumented, so a
drf-spectacular post-processing hook adds what an operation does not already say."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

ERROR_SCHEMA = {"$ref": "#/components/schemas/ApiError"}
FIELD_ERRORS_SCHEMA = {"$ref": "#/components/schemas/FieldErrors"}
COMMON = {
    "401": "Not signed in: no token, or a bad or expired one.",
    "403": "Your role may not do this.",
    "404": "Not found, or not visible to you.",
    "405": "This method is not allowed here.",
    "406": "The Accept header asks for a type this operation does not give.",
    "413": "The body is larger than allowed.",
    "415": "The body's content type is not accepted here.",
    "429": "Too many requests: slow down (see Retry-After).",
    "503": "Briefly unavailable: retry in a few seconds (see Retry-After).",
}
WITH_INPUT = {"400": "Invalid input: the fields at fault and why."}
# A write can clash with the state it meets: a lead that moved, a row still in use.
WRITES = {"409": "Conflicts with the current state (it moved meanwhile, or is in use)."}


class DecimalPattern(OpenApiSerializerFieldExtension):
    """drf-spectacular's pattern for a decimal lets every digit be optional and always
    allows a sign, so "" and "-5" match where a field takes neither: a decimal has at least
    one digit ("12", "12.5", ".5"), and a minus sign only where negatives are allowed."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if schema.get("type") == "string" and field.max_digits is not None:
            whole = field.max_digits - (field.decimal_places or 0)
            fraction = field.decimal_places or 0
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            digits = rf"\d{{1,{whole}}}" + (rf"(?:\.\d{{0,{fraction}}})?" if fraction else "")
            point = rf"|\.\d{{1,{fraction}}}" if fraction else ""
            schema["pattern"] = rf"^{sign}(?:{digits}{point})$"
        return schema


def add_common_errors(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ApiError",
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "additionalProperties": True,
        },
    )
    components.setdefault(
        "FieldErrors",
        {
            "type": "object",
            "description": "Each field at fault with its messages (or a detail).",
            "additionalProperties": True,
        },
    )
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(COMMON)
            if operation.get("parameters") or operation.get("requestBody") or method != "get":
                answers |= WITH_INPUT
            if method != "get":
                answers |= WRITES
            for status, description in answers.items():
                body = FIELD_ERRORS_SCHEMA if status == "400" else ERROR_SCHEMA
                operation["responses"].setdefault(
                    status,
                    {"description": description,
                     "content": {"application/json": {"schema": body}}},
                )  # fmt: skip
    return result
