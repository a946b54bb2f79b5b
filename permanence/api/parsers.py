"""The API's JSON parser: DRF's, refusing what no field may hold, as a 400 with the documented error body.

- A NUL character (\\u0000) anywhere in the body, in a key or a string: PostgreSQL text cannot hold one, so a
  lookup or a save with it was a server error there (and it is never meaningful in a record).
- A body nested more deeply than MAX_DEPTH (no endpoint takes more than a few levels): Python's parser would run
  out of stack on a deep enough one, a server error instead of the error body.
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _check(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError("The JSON body contains a NUL character (\\u0000), which no field can hold.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"The JSON body is nested more than {MAX_DEPTH} levels deep.") from exc
        _check(data)
        return data
