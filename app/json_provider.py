"""JSON answers encoded by orjson (about ten times faster than the standard library on the
API's lists and timelines), with Flask's own rules for what JSON does not know: dates as
HTTP dates, Decimal and UUID as text, dataclasses as objects, Markup as its HTML.

Reading request bodies stays with Flask's provider (the standard library), so what a body
may hold and how a bad one is refused do not change."""
import gc
import json
import threading
from contextlib import contextmanager

import orjson
from flask.json.provider import DefaultJSONProvider

# dates and dataclasses go through Flask's rules (_default), as they did before orjson
_BASE = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME \
    | orjson.OPT_PASSTHROUGH_DATACLASS
_default = DefaultJSONProvider.default


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson writing the text."""

    def dumps(self, obj, **kwargs) -> str:
        return self._encode(obj, kwargs).decode()

    def _encode(self, obj, kwargs) -> bytes:
        option = _BASE
        if kwargs.get("sort_keys", self.sort_keys):
            option |= orjson.OPT_SORT_KEYS
        if kwargs.get("indent"):
            option |= orjson.OPT_INDENT_2
        try:
            return orjson.dumps(obj, default=_default, option=option)
        except orjson.JSONEncodeError as exc:
            if isinstance(exc.__cause__, TypeError) or "Type is not JSON" in str(exc):
                raise TypeError(str(exc)) from exc
            # what only the standard library writes (an integer past 64 bits)
            return json.dumps(obj, default=_default, ensure_ascii=False, sort_keys=bool(
                option & orjson.OPT_SORT_KEYS), indent=2 if option & orjson.OPT_INDENT_2
                else None, separators=None if option & orjson.OPT_INDENT_2
                else (",", ":")).encode()

    def response(self, *args, **kwargs):
        """A JSON response, written as bytes at once (no str round trip)."""
        obj = self._prepare_response_obj(args, kwargs)
        dump_args = {}
        if (self.compact is None and self._app.debug) or self.compact is False:
            dump_args["indent"] = 2
        return self._app.response_class(self._encode(obj, dump_args) + b"\n",
                                        mimetype=self.mimetype)


_pause = threading.Lock()
_paused = {"blocks": 0, "was_enabled": False}


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector held off while a large answer is built and written
    (build the response inside the block and drop the rows before it ends). A week of the
    timeline makes tens of thousands of short-lived lists and dicts, freed by reference
    counting (they hold no cycles); alive while the answer is built, they pushed the
    collector into a full collection of every live object every few requests (10–14 ms,
    bench/RESULTS.md). Blocks of several threads overlap: the collector runs again when the
    last one ends, and only if it ran before the first began."""
    with _pause:
        if _paused["blocks"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["blocks"] += 1
    try:
        yield
    finally:
        with _pause:
            _paused["blocks"] -= 1
            if _paused["blocks"] == 0 and _paused["was_enabled"]:
                gc.enable()


__all__ = ["OrjsonProvider", "collector_paused"]
