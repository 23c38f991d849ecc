"""Paths and helpers shared by the tests of deploy/ (deploy_test.py sets REPO and FIXTURES)."""
import os
import re
import sys

import openapi_validate
import render_chart

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = FIXTURES = None  # the repository root and ../shared/fixtures, set by deploy_test.main()
GROUP = "kafka.banzaicloud.io"

_cache = {}


def cached(key, make):
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


def load_yaml_file(path):
    with open(path, encoding="utf-8") as f:
        return openapi_validate.load_all(f.read())


def gen_crds():
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    import gen_crds as module
    return module


def generated():
    """{file name: (text, reduced, original, opened paths)} from the generator, run once."""
    return cached("generated", lambda: gen_crds().generate(os.path.join(FIXTURES, "koperator-crds")))


def crds_by_kind():
    return {red["spec"]["names"]["kind"]: (red, orig) for _, red, orig, _ in generated().values()}


def deploy_docs(name):
    return load_yaml_file(os.path.join(REPO, "deploy", name))


def find(docs, kind, name=None):
    hits = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    if len(hits) != 1:
        raise AssertionError(f"expected one {kind} {name or ''}, found {len(hits)}")
    return hits[0]


def render(values_files=()):
    chart = os.path.join(REPO, "deploy", "helm", "kactor")
    rendered = render_chart.render_chart(chart, values_files)
    return [d for _, text in rendered for d in openapi_validate.load_all(text)]


def overrides():
    return os.path.join(HERE, "values-overrides.yaml")


def permissions(rules):
    """{(group, resource): verbs} of RBAC rules; a wildcard is refused outright."""
    out = {}
    for rule in rules:
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                if "*" in (group, resource) or "*" in rule["verbs"]:
                    raise AssertionError(f"wildcard in RBAC rule {rule}")
                out.setdefault((group, resource), set()).update(rule["verbs"])
    return out


def project_version():
    with open(os.path.join(REPO, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(kactor VERSION ([0-9.]+)", f.read()).group(1)
