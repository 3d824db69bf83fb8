"""Bot API spec (``spec/api.json``) and validation of requests and objects against it.

Type rules follow the Bot API server (tdlib/telegram-bot-api):
* top-level parameters arrive as strings (form/multipart) or JSON values; objects and arrays
  there are JSON-serialized strings, so they are decoded here;
* inside JSON objects an Integer or String field may be a JSON number or string, a Boolean
  field must be a JSON boolean, a Float field a JSON number.
Unknown parameter/field names are "notes": Telegram ignores them, the emulator records them.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).parent / "spec" / "api.json"

_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")
_CONST_RE = re.compile(r"(?:must be|always) [\"“]?([\w-]+)[\"”]?$")
_BOOL_STRINGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Problem:
    path: str
    message: str  # tdlib-style message, e.g. 'Field "text" must be of type String'
    type_name: str | None = None  # the object type being parsed, for the error description


@dataclass
class Checked:
    """Result of checking one value."""

    value: Any
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def take(self, other: Checked) -> Any:
        self.errors += other.errors
        self.notes += other.notes
        return other.value


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, (int, float)):
        return "Number"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    if value is None:
        return "null"
    return type(value).__name__


class Spec:
    def __init__(self, data: dict) -> None:
        self.version: str = data["version"]
        self.methods: dict[str, dict] = data["methods"]
        self.types: dict[str, dict] = data["types"]
        self._by_lower = {name.lower(): name for name in self.methods}
        # constant fields: {"InputMediaPhoto": {"type": "photo"}, "BotCommandScopeChat": {...}}
        self.constants: dict[str, dict[str, str]] = {}
        for name, t in self.types.items():
            for f in t.get("fields", []):
                m = _CONST_RE.search(f["description"])
                if m and f["name"] in ("type", "source", "status"):
                    self.constants.setdefault(name, {})[f["name"]] = m.group(1)

    # -- lookups -------------------------------------------------------------------------
    def method_name(self, name: str) -> str | None:
        """Canonical method name for a case-insensitive one, or None if unknown."""
        return self._by_lower.get(name.lower())

    def fields(self, method_or_type: str) -> list[dict]:
        entry = self.methods.get(method_or_type) or self.types.get(method_or_type) or {}
        return entry.get("fields", [])

    # -- requests ------------------------------------------------------------------------
    def check_params(self, method: str, params: dict, files: dict[str, UploadedFile]) -> Checked:
        """Check and coerce the parameters of a request; ``method`` is the canonical name."""
        ctx = _Ctx(files)
        out = Checked({})
        known = {f["name"]: f for f in self.fields(method)}
        for name in params:
            if name not in known:
                out.notes.append(f"{name}: unknown parameter of {method} (Telegram ignores it)")
        for name, f in known.items():
            if name in params and params[name] is not None:
                res = self._alts(params[name], f["types"], name, ctx, top=True)
                out.value[name] = out.take(res)
            elif name in files and "InputFile" in f["types"]:
                ctx.used.add(name)
                out.value[name] = files[name]
            elif f["required"]:
                out.errors.append(Problem(name, "missing"))
        dumped = json.dumps(out.value, default=lambda o: None)
        for name in files:
            if name not in ctx.used and name not in known and f"attach://{name}" not in dumped:
                out.notes.append(f"{name}: uploaded file part is not used by any parameter")
        return out

    def check_object(self, value: Any, type_name: str, path: str = "", *, strict: bool = True) -> Checked:
        """Check a (response) object against a type; strict: no numbers-as-strings."""
        return self._one(value, type_name, path or type_name, _Ctx({}, strict=strict), top=False)

    # -- internals -------------------------------------------------------------------------
    def _alts(self, value: Any, types: list[str], path: str, ctx: _Ctx, top: bool) -> Checked:
        if len(types) > 1 and all(t.startswith("Array of ") for t in types):
            # e.g. media of sendMediaGroup: an array whose items may be of any of the types
            return self._array(value, [t[len("Array of "):] for t in types], path, ctx, top)
        best: Checked | None = None
        for t in types:
            res = self._one(value, t, path, ctx, top)
            if not res.errors:
                return res
            if best is None or len(res.errors) < len(best.errors):
                best = res
        assert best is not None
        return best

    def _array(self, value: Any, inner: list[str], path: str, ctx: _Ctx, top: bool) -> Checked:
        if top and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return Checked(value, [Problem(path, f"Can't parse {path} JSON object")])
        if not isinstance(value, list):
            return Checked(value, [Problem(path, f"expected an Array, got {_json_kind(value)}")])
        out = Checked([])
        for i, item in enumerate(value):
            out.value.append(out.take(self._alts(item, inner, f"{path}[{i}]", ctx, top=False)))
        return out

    def _one(self, value: Any, t: str, path: str, ctx: _Ctx, top: bool) -> Checked:
        if t.startswith("Array of "):
            return self._array(value, [t[len("Array of "):]], path, ctx, top)
        scalar = _SCALARS.get(t)
        if scalar is not None:
            return scalar(value, path, top=top, strict=ctx.strict)
        if t == "InputFile":
            return self._input_file(value, path, ctx)
        spec_type = self.types.get(t)
        if spec_type is None:
            return Checked(value, [Problem(path, f"type {t} is not in the spec")])
        if top and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return Checked(value, [Problem(path, f"Can't parse {path} JSON object", t)])
        if not isinstance(value, dict):
            return Checked(value, [Problem(path, f"{t} must be an Object, got {_json_kind(value)}", t)])
        if "subtypes" in spec_type:
            return self._union(value, t, spec_type["subtypes"], path, ctx)
        return self._fields(value, t, path, ctx)

    def _union(self, value: dict, t: str, subtypes: list[str], path: str, ctx: _Ctx) -> Checked:
        keyed = [s for s in subtypes if s in self.constants]
        if len(keyed) == len(subtypes):
            key = next(iter(self.constants[keyed[0]]))
            for s in subtypes:
                if self.constants[s].get(key) == value.get(key):
                    return self._fields(value, s, path, ctx)
            if key not in value:
                return Checked(value, [Problem(path, f'Can\'t find field "{key}"', t)])
            allowed = ", ".join(self.constants[s][key] for s in subtypes)
            return Checked(value, [Problem(path, f'unsupported {key} "{value.get(key)}" (one of: {allowed})', t)])
        return self._alts(value, subtypes, path, ctx, top=False)

    def _fields(self, value: dict, t: str, path: str, ctx: _Ctx) -> Checked:
        out = Checked({})
        fields = {f["name"]: f for f in self.types[t].get("fields", [])}
        if not fields:  # placeholders such as CallbackGame
            out.value = value
            return out
        for name in value:
            if name not in fields:
                out.notes.append(f"{path}.{name}: unknown field of {t}")
                out.value[name] = value[name]
        for name, f in fields.items():
            sub = f"{path}.{name}"
            if name in value:
                if value[name] is None:
                    out.errors.append(Problem(sub, f'Field "{name}" must not be null', t))
                    continue
                res = self._alts(value[name], f["types"], sub, ctx, top=False)
                for p in res.errors:
                    p.type_name = p.type_name or t
                    if p.message.startswith("expected") or p.message.startswith("must be"):
                        p.message = f'Field "{name}" {p.message}'
                out.value[name] = out.take(res)
                const = self.constants.get(t, {}).get(name)
                if const is not None and out.value[name] != const:
                    out.errors.append(Problem(sub, f'Field "{name}" must be "{const}"', t))
            elif f["required"]:
                out.errors.append(Problem(sub, f'Can\'t find field "{name}"', t))
        return out

    def _input_file(self, value: Any, path: str, ctx: _Ctx) -> Checked:
        if isinstance(value, UploadedFile):
            return Checked(value)
        if isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://"):]
            if name in ctx.files:
                ctx.used.add(name)
                return Checked(ctx.files[name])
            return Checked(value, [Problem(path, f"{value}: no multipart file part named {name!r}")])
        return Checked(value, [Problem(path, "must be an uploaded file (InputFile)")])


@dataclass
class _Ctx:
    files: dict[str, UploadedFile]
    strict: bool = False
    used: set[str] = field(default_factory=set)


def _integer(value: Any, path: str, *, top: bool, strict: bool) -> Checked:
    if isinstance(value, int) and not isinstance(value, bool):
        return Checked(value)
    if isinstance(value, str) and not strict and _INT_RE.match(value):
        return Checked(int(value))
    if isinstance(value, float) and value.is_integer() and not strict:
        return Checked(int(value))
    return Checked(value, [Problem(path, f"must be an Integer, got {_json_kind(value)} {value!r:.40}")])


def _float(value: Any, path: str, *, top: bool, strict: bool) -> Checked:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Checked(float(value))
    if isinstance(value, str) and top:
        try:
            return Checked(float(value))
        except ValueError:
            pass
    return Checked(value, [Problem(path, f"must be a Float, got {_json_kind(value)} {value!r:.40}")])


def _string(value: Any, path: str, *, top: bool, strict: bool) -> Checked:
    if isinstance(value, str):
        return Checked(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not strict:
        return Checked(str(value))
    return Checked(value, [Problem(path, f"must be of type String, got {_json_kind(value)}")])


def _boolean(value: Any, path: str, *, top: bool, strict: bool) -> Checked:
    if isinstance(value, bool):
        return Checked(value)
    if top and isinstance(value, str) and value.strip().lower() in _BOOL_STRINGS:
        return Checked(_BOOL_STRINGS[value.strip().lower()])
    return Checked(value, [Problem(path, f"must be of type Boolean, got {_json_kind(value)} {value!r:.40}")])


_SCALARS = {"Integer": _integer, "Float": _float, "String": _string, "Boolean": _boolean}


@functools.cache
def load_spec() -> Spec:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return Spec(json.load(fh))
