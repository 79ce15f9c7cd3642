"""JSON from outside, bounded before it is parsed.

``json.loads`` recurses once per nesting level and raises ``RecursionError`` (a 500) on a
body nested a few thousand deep; no input we accept nests more than a handful of levels.
So the depth is measured first, by a scan that only counts brackets outside strings —
linear, no recursion — and an over-deep body is refused as malformed input."""

import json
import re
from io import BytesIO
from itertools import accumulate
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest JSON any endpoint takes: a batch (1) of events (2) with properties nested at
# most five levels (scoring.event_items.MAX_PROPERTIES_DEPTH), and some room.
MAX_JSON_DEPTH = 32


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """The document nests deeper than MAX_JSON_DEPTH (a ValueError, like any bad JSON)."""


def nests_deeper_than(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the brackets of a JSON text nest deeper than limit (brackets inside strings
    not counted)."""
    if isinstance(text, bytes):
        text = text.decode(json.detect_encoding(text), errors="replace")
    if sum(text.count(bracket) for bracket in "[{") <= limit:
        return False  # cannot nest deeper than it has brackets: the common case, no scan
    outside_strings = _STRINGS.sub("", text)
    steps = (1 if bracket in "[{" else -1 for bracket in _BRACKETS.findall(outside_strings))
    return max(accumulate(steps), default=0) > limit


def loads(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses (TooDeep, a ValueError) what nests past max_depth.

    Bytes are read in the encoding json.loads itself would detect (UTF-16 and UTF-32
    too): scanning them as UTF-8 let a UTF-16 body hide its brackets from the count."""
    if isinstance(text, bytes):
        try:
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError as error:
            raise ValueError(str(error)) from None
    if nests_deeper_than(text, max_depth):
        raise TooDeep(f"JSON nests deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except RecursionError:  # a backstop: the count above should have refused it
        raise TooDeep(f"JSON nests deeper than {max_depth} levels") from None


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 (not 500) to a body nested too deep."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""
        # The same text DRF's parser will read: the request's charset, not always UTF-8.
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = body.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if nests_deeper_than(text):
            raise ParseError(f"JSON parse error - nests deeper than {MAX_JSON_DEPTH} levels")
        try:
            return super().parse(BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nests too deep") from None
