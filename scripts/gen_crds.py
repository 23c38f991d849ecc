#!/usr/bin/env python3
"""Generates deploy/crds/ from Koperator's CRDs: the same API, small enough for `kubectl apply`.

Koperator's kafkaclusters CRD is 1.6 MB of YAML (≈840 KB as JSON). Client-side `kubectl apply` stores the
whole object as JSON in the last-applied-configuration annotation, and an object's annotations may not
exceed 262144 bytes, so that CRD can only be created, never applied. Nearly all of its bulk is
descriptions and verbatim copies of Kubernetes core types (Affinity, Container, Volume, ...). This
script keeps every constraint of Koperator's own fields (types, required, enums, defaults, patterns,
bounds) and turns each embedded core-type subtree into an open object
(`x-kubernetes-preserve-unknown-fields: true`): anything Koperator's CRD accepts is still accepted, and
the kubelet/API server validate those fields anyway once kactor puts them into a Pod.

It also adds `status.conditions` (metav1.Condition) to KafkaCluster: kactor writes conditions, and a
real API server prunes status fields its schema does not declare; and kactor's
`spec.alertManagerConfig.allowedAnnotations` (which values an alert may choose).

Usage: python3 scripts/gen_crds.py [--src DIR] [--out DIR]... [--check] [--verbose]
Writes deploy/crds/ and deploy/helm/kactor/crds/ unless --out is given. Deterministic: the same input
gives byte-identical output, so the result is committed and `--check` (used by tests/deploy) says
whether the committed files are up to date.
"""
import argparse
import copy
import glob
import json
import os
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SRC = os.path.join(REPO, "..", "shared", "fixtures", "koperator-crds")
# deploy/crds for kubectl, and the chart's crds/ (Helm installs that folder as is, untemplated).
DEFAULT_OUTS = [os.path.join(REPO, "deploy", "crds"), os.path.join(REPO, "deploy", "helm", "kactor", "crds")]

# Kubernetes core types Koperator embeds, recognised by properties only that type has (an object schema
# whose properties include all of a signature is that type). A signature, not a list of field paths,
# so that a core type Koperator embeds somewhere new is still caught, and a Koperator field that merely
# shares a name (`resources`, `image`) is not.
CORE_TYPE_SIGNATURES = {
    "Affinity": {"nodeAffinity", "podAffinity", "podAntiAffinity"},
    "Container": {"name", "image", "command", "args", "livenessProbe", "volumeMounts"},
    "EmptyDirVolumeSource": {"medium", "sizeLimit"},
    "EnvVar": {"name", "value", "valueFrom"},
    "LabelSelector": {"matchExpressions", "matchLabels"},
    "PersistentVolumeClaimSpec": {"accessModes", "resources", "storageClassName", "volumeMode"},
    "PodSecurityContext": {"fsGroup", "runAsUser", "supplementalGroups", "sysctls"},
    "ResourceRequirements": {"limits", "requests"},
    "SecurityContext": {"allowPrivilegeEscalation", "capabilities", "privileged", "readOnlyRootFilesystem"},
    "Toleration": {"key", "operator", "effect", "tolerationSeconds"},
    "TopologySpreadConstraint": {"maxSkew", "topologyKey", "whenUnsatisfiable"},
    "Volume": {"name", "emptyDir", "hostPath", "configMap", "secret", "persistentVolumeClaim"},
    "VolumeMount": {"name", "mountPath", "subPath", "readOnly"},
}

# metav1.Condition as the Kubernetes API declares it (k8s.io/apimachinery/pkg/apis/meta/v1): kactor
# writes all five required fields; a real API server enforces these bounds on status updates.
CONDITIONS_SCHEMA = {
    "type": "array",
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["type"],
    "items": {
        "type": "object",
        "required": ["lastTransitionTime", "message", "reason", "status", "type"],
        "properties": {
            "lastTransitionTime": {"type": "string", "format": "date-time"},
            "message": {"type": "string", "maxLength": 32768},
            "observedGeneration": {"type": "integer", "format": "int64", "minimum": 0},
            "reason": {
                "type": "string",
                "maxLength": 1024,
                "minLength": 1,
                "pattern": "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
            },
            "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
            "type": {
                "type": "string",
                "maxLength": 316,
                "pattern": r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
            },
        },
    },
}

# kactor's spec.alertManagerConfig.allowedAnnotations (model/alerts/alert_action.hpp): which free-form
# values an alert may choose. Absent from Koperator's CRD, where it is pruned: nothing is allowed, the safe side.
ALLOWED_ANNOTATIONS_SCHEMA = {
    "type": "array",
    "items": {"type": "string", "enum": ["image", "storageClass", "mountPath", "diskSize"]},
}

# kactor's spec.cruiseControlConfig.credentialsSecretRef (model/cruisecontrol/cc_credentials.hpp): the Secret
# with kactor's credentials for Cruise Control's REST API. Pruned by Koperator's CRD (no credentials: CC as before).
CREDENTIALS_SECRET_REF_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}},
    "required": ["name"],
}

# Schema keys whose values are child schemas (maps of them, or lists of them).
CHILD_MAPS = ("properties", "patternProperties", "definitions")
CHILD_ONE = ("items", "additionalProperties", "additionalItems", "not")
CHILD_LISTS = ("allOf", "anyOf", "oneOf")


def core_type(node):
    """The name of the core type `node` is a copy of, or None."""
    props = node.get("properties")
    if node.get("type") != "object" or not isinstance(props, dict):
        return None
    for name, signature in sorted(CORE_TYPE_SIGNATURES.items()):
        if signature <= props.keys():
            return name
    return None


def open_object(node):
    """An object schema accepting any content; a default Koperator set is kept (still valid)."""
    out = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    if "default" in node:
        out["default"] = node["default"]
    return out


def reduce_schema(node, path, replaced):
    """A copy of schema `node` without descriptions and with core-type subtrees opened.

    `replaced` collects (path, type name) of every opened subtree, for --verbose and the tests.
    """
    node = {k: v for k, v in node.items() if k != "description"}
    name = core_type(node)
    if name:
        replaced.append((path, name))
        return open_object(node)
    items = node.get("items")
    if isinstance(items, dict) and core_type(items):
        replaced.append((path + "[]", core_type(items)))
        out = {k: v for k, v in node.items() if k != "items"}
        out["items"] = open_object(items)
        # A map/set list names keys inside its items; the opened items no longer declare them, and
        # the API server rejects such a CRD. An atomic list is what the open items can still be.
        if out.get("x-kubernetes-list-type") in ("map", "set"):
            out.pop("x-kubernetes-list-map-keys", None)
            out["x-kubernetes-list-type"] = "atomic"
        return out
    for key in CHILD_MAPS:
        if isinstance(node.get(key), dict):
            node[key] = {k: reduce_schema(v, f"{path}.{k}", replaced) for k, v in node[key].items()}
    for key in CHILD_ONE:
        if isinstance(node.get(key), dict):
            suffix = "[]" if key == "items" else "{*}" if key == "additionalProperties" else "." + key
            node[key] = reduce_schema(node[key], path + suffix, replaced)
    for key in CHILD_LISTS:
        if isinstance(node.get(key), list):
            node[key] = [reduce_schema(v, f"{path}.{key}[{i}]", replaced) for i, v in enumerate(node[key])]
    return node


def reduce_crd(crd):
    """The reduced CRD and the list of (path, core type) opened in it."""
    out = copy.deepcopy(crd)
    # The source was controller-gen's output; this file is not, so its version stamp would mislead.
    annotations = out.get("metadata", {}).get("annotations", {})
    annotations.pop("controller-gen.kubebuilder.io/version", None)
    if not annotations:
        out.get("metadata", {}).pop("annotations", None)
    replaced = []
    for version in out["spec"]["versions"]:
        schema = version["schema"]["openAPIV3Schema"]
        version["schema"]["openAPIV3Schema"] = reduce_schema(schema, version["name"], replaced)
        if out["spec"]["names"]["kind"] == "KafkaCluster":
            status = version["schema"]["openAPIV3Schema"]["properties"]["status"]
            status["properties"]["conditions"] = copy.deepcopy(CONDITIONS_SCHEMA)
            spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
            spec["properties"]["alertManagerConfig"]["properties"]["allowedAnnotations"] = copy.deepcopy(
                ALLOWED_ANNOTATIONS_SCHEMA)
            spec["properties"]["cruiseControlConfig"]["properties"]["credentialsSecretRef"] = copy.deepcopy(
                CREDENTIALS_SECRET_REF_SCHEMA)
    return out, replaced


def source_commit(src):
    """The Koperator commit the CRDs were copied from, as SOURCE.txt beside them says."""
    try:
        with open(os.path.join(src, "SOURCE.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("Commit:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def render(crd, file_name, commit):
    header = (
        "# GENERATED by scripts/gen_crds.py — do not edit; run `python3 scripts/gen_crds.py`.\n"
        f"# From Koperator's config/base/crds/{file_name} (adobe/koperator@{commit}):\n"
        "# descriptions removed, embedded Kubernetes core types opened (x-kubernetes-preserve-unknown-fields),\n"
        "# KafkaCluster status.conditions, spec.alertManagerConfig.allowedAnnotations and spec.cruiseControlConfig.credentialsSecretRef added, so `kubectl apply` (client-side) fits its 256 KiB annotation.\n"
    )
    body = yaml.safe_dump(crd, sort_keys=False, default_flow_style=False, width=120, allow_unicode=True)
    return header + "---\n" + body


def compact_json_size(crd):
    return len(json.dumps(crd, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def generate(src):
    """{file name: (rendered text, reduced crd, original crd, replaced)} for every CRD in `src`."""
    commit = source_commit(src)
    out = {}
    for path in sorted(glob.glob(os.path.join(src, "*.yaml"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            # libyaml's parser when present: the pure-Python one needs seconds for 1.6 MB.
            original = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        reduced, replaced = reduce_crd(original)
        out[name] = (render(reduced, name, commit), reduced, original, replaced)
    return out


def _same(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read() == text
    except OSError:
        return False


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=DEFAULT_SRC, help="Koperator's CRDs (default: %(default)s)")
    parser.add_argument("--out", action="append", help="where to write; repeatable (default: deploy/crds "
                        "and deploy/helm/kactor/crds)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out is stale")
    parser.add_argument("--verbose", action="store_true", help="list every opened subtree")
    args = parser.parse_args(argv)

    generated = generate(args.src)
    if not generated:
        print(f"gen_crds: no CRDs in {args.src}", file=sys.stderr)
        return 2
    outs = args.out or DEFAULT_OUTS
    stale = []
    for name, (text, reduced, original, replaced) in generated.items():
        for out in outs:
            target = os.path.join(out, name)
            if args.check:
                if not _same(target, text):
                    stale.append(os.path.relpath(target, REPO))
                continue
            os.makedirs(out, exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
        print(f"{name}: {compact_json_size(original)} -> {compact_json_size(reduced)} bytes as compact JSON, "
              f"{len(replaced)} core-type subtrees opened")
        if args.verbose:
            for path, type_name in replaced:
                print(f"  {path}: {type_name}")
    if stale:
        print("gen_crds: stale, run python3 scripts/gen_crds.py: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
