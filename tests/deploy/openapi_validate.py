"""A structural validator for CRD openAPIV3Schemas: what the API server checks when an object is created.

Covers the keywords Koperator's and kactor's CRDs use — type, properties, additionalProperties,
required (a defaulted field counts as present, since defaulting runs first), enum, pattern, format
int32/int64/date-time, bounds, lengths, item counts, anyOf/allOf, nullable, x-kubernetes-int-or-string,
-preserve-unknown-fields, -list-type (set/map uniqueness), -list-map-keys, -map-type — and rejects
unknown fields the way `kubectl apply` does by default (strict field validation). A schema keyword it
does not know is an exception, never a silent pass, so a new keyword in a CRD cannot go unchecked.

Not covered (the API server does it, and neither CRD here relies on it): CEL rules, ObjectMeta
validation of `metadata` (only its type is checked), defaulting itself.
"""
import datetime
import re

import yaml

KNOWN_KEYWORDS = {
    "type", "properties", "additionalProperties", "required", "items", "enum", "format", "default",
    "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "anyOf", "allOf", "nullable",
    "description", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
}

INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


class _GoLikeLoader(yaml.SafeLoader):
    """PyYAML without timestamp resolution: kubectl sends `2024-01-01` as a string, not a date."""


_GoLikeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_all(text):
    """The non-empty documents of a YAML stream, as kubectl would send them (JSON types, string keys)."""
    return [_as_json(d) for d in yaml.load_all(text, Loader=_GoLikeLoader) if d is not None]


def _as_json(value):
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def validate_object(obj, crd):
    """Errors (strings naming the field path) for `obj` against the CRD version it names; [] = accepted."""
    version = obj.get("apiVersion", "").split("/")[-1]
    for v in crd["spec"]["versions"]:
        if v["name"] == version and v.get("served", True):
            if obj.get("kind") != crd["spec"]["names"]["kind"]:
                return [f"kind {obj.get('kind')} is not {crd['spec']['names']['kind']}"]
            schema = v["schema"]["openAPIV3Schema"]
            # The API server validates metadata as ObjectMeta itself; the schema only says "object".
            body = {k: val for k, val in obj.items() if k != "metadata"}
            errors = [] if isinstance(obj.get("metadata", {}), dict) else ["metadata: must be an object"]
            return errors + validate(body, schema, "")
    return [f"apiVersion {obj.get('apiVersion')} is not served by {crd['metadata']['name']}"]


def _type_ok(value, type_name):
    if type_name == "object":
        return isinstance(value, dict)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "boolean":
        return isinstance(value, bool)
    raise ValueError(f"unknown schema type {type_name!r}")


def validate(value, schema, path):
    """Errors for `value` at `path` against one schema node."""
    unknown = set(schema) - KNOWN_KEYWORDS
    if unknown:
        raise ValueError(f"{path or '<root>'}: schema keywords not supported: {sorted(unknown)}")
    here = path or "<root>"
    if value is None:
        return [] if schema.get("nullable") else [f"{here}: must not be null"]
    if schema.get("x-kubernetes-int-or-string"):
        if not (_type_ok(value, "integer") or _type_ok(value, "string")):
            return [f"{here}: must be an integer or a string, got {type(value).__name__}"]
    elif "type" in schema and not _type_ok(value, schema["type"]):
        return [f"{here}: must be {schema['type']}, got {type(value).__name__}"]
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{here}: {value!r} is not one of {schema['enum']}")
    errors += _scalar_checks(value, schema, here)
    if isinstance(value, dict):
        errors += _object_checks(value, schema, path)
    if isinstance(value, list):
        errors += _array_checks(value, schema, path)
    for sub in schema.get("allOf", []):
        errors += validate(value, sub, path)
    if "anyOf" in schema and not any(not validate(value, sub, path) for sub in schema["anyOf"]):
        errors.append(f"{here}: matches none of anyOf")
    return errors


def _scalar_checks(value, schema, here):
    errors = []
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{here}: {value!r} does not match {schema['pattern']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{here}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{here}: longer than {schema['maxLength']}")
        if schema.get("format") == "date-time" and not DATE_TIME.match(value):
            errors.append(f"{here}: {value!r} is not an RFC 3339 date-time")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = INT_RANGES.get(schema.get("format"), (None, None))
        if low is not None and not low <= value <= high:
            errors.append(f"{here}: {value} out of {schema['format']} range")
        if "minimum" in schema and (value < schema["minimum"] or
                                    (schema.get("exclusiveMinimum") and value == schema["minimum"])):
            errors.append(f"{here}: {value} below minimum {schema['minimum']}")
        if "maximum" in schema and (value > schema["maximum"] or
                                    (schema.get("exclusiveMaximum") and value == schema["maximum"])):
            errors.append(f"{here}: {value} above maximum {schema['maximum']}")
    return errors


def _object_checks(value, schema, path):
    errors = []
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    # Kubernetes drops a null of a non-nullable field before validating: it is then simply absent.
    present = {k for k, v in value.items() if v is not None or props.get(k, {}).get("nullable")}
    for key in sorted(value):
        child = f"{path}.{key}" if path else key
        if key in props:
            if key in present:
                errors += validate(value[key], props[key], child)
        elif isinstance(extra, dict):
            errors += validate(value[key], extra, child)
        elif extra is True or schema.get("x-kubernetes-preserve-unknown-fields"):
            continue
        else:
            errors.append(f"{child}: unknown field")
    for key in schema.get("required", []):
        if key not in present and "default" not in props.get(key, {}):
            errors.append(f"{path + '.' if path else ''}{key}: required")
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        errors.append(f"{path or '<root>'}: fewer than {schema['minProperties']} properties")
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        errors.append(f"{path or '<root>'}: more than {schema['maxProperties']} properties")
    return errors


def _array_checks(value, schema, path):
    here = path or "<root>"
    errors = []
    if "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    if "minItems" in schema and len(value) < schema["minItems"]:
        errors.append(f"{here}: fewer than {schema['minItems']} items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(f"{here}: more than {schema['maxItems']} items")
    list_type = schema.get("x-kubernetes-list-type")
    if list_type == "set" or schema.get("uniqueItems"):
        keys = [repr(v) for v in value]
        if len(set(keys)) != len(keys):
            errors.append(f"{here}: duplicate items in a set")
    if list_type == "map":
        map_keys = schema.get("x-kubernetes-list-map-keys", [])
        keys = [tuple(repr(item.get(k)) for k in map_keys) for item in value if isinstance(item, dict)]
        if len(set(keys)) != len(keys):
            errors.append(f"{here}: duplicate entries for map keys {map_keys}")
    return errors
