"""OpenAPI: our token scheme, and the error body documented on every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this body.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True,
                              "description": "The field (dotted path) the message is about, or null."},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "message", "code"],
            },
        }
    },
    "required": ["errors"],
}
ERROR_RESPONSES = {
    "400": "The request is not valid, or the service refused the write; the messages say why.",
    "401": "No valid credentials: send `Authorization: Bearer <token>` or sign in.",
    "403": "Signed in, but not as active staff of an organisation (or the CSRF check failed).",
    "404": "Not found, or not yours: the two are indistinguishable.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "permanence.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A token issued with `permanence api-token USERNAME`; it carries that person's access."}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: the Error component, and 400/401/403/404 on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": ref}}})
    return result
