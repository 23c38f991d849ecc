#!/usr/bin/env python3
"""`helm template` for the small subset of Go templates and Helm functions deploy/helm/kactor uses.

Helm is not packaged for Debian 12 and nothing may be downloaded, so the chart is tested through this
renderer. It accepts exactly:
  {{ .Values.a.b }}  {{ .Release.Name }}  {{ .Release.Namespace }}  {{ .Chart.Name }}  {{ .Chart.AppVersion }}
  {{ if REF }} ... {{ else }} ... {{ end }}     {{ range REF }} ... {{ . }} {{ .field }} ... {{ $.Release.Name }} ... {{ end }}
  {{ REF | quote }}  {{ toYaml REF | nindent N }}  {{ join "SEP" REF }}  and {{- / -}} whitespace trimming
and raises TemplateError on anything else (another function, a variable, a comment, `else if`, `with`,
`include`, a value missing from values.yaml, a map printed without toYaml), so that the chart cannot
depend on a construct this test does not model. Semantics follow Go's text/template and Helm: `{{-`
trims all whitespace before the action, `-}}` all after; `if` is false for false, 0, "", empty lists and
maps; toYaml drops the final newline; nindent adds a newline and indents every line; `$.X` is X of the root
also inside a range (where `.` is the element).
One difference, on purpose: Helm renders a missing value as empty, this renderer refuses it.

Usage: render_chart.py CHART_DIR [-f VALUES]... [--name RELEASE] [--namespace NS] [--include-crds]
"""
import argparse
import copy
import json
import os
import re
import sys

import yaml


class TemplateError(Exception):
    pass


ACTION = re.compile(r"\{\{(.*?)\}\}", re.S)
TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<int>-?\d+)|(?P<ref>\$?\.(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)?)'
                   r"|(?P<ident>[A-Za-z_]\w*)|(?P<pipe>\|))")
ROOT_REFS = ("Values", "Release.Name", "Release.Namespace", "Chart.Name", "Chart.AppVersion")
# name → number of arguments, the piped value counting as the last one.
FUNCTIONS = {"quote": 1, "toYaml": 1, "nindent": 2, "join": 2}


def tokenize(source, where):
    """Text and action items; the trim markers already applied to the neighbouring text."""
    items, pos = [], 0
    for m in ACTION.finditer(source):
        items.append(["text", source[pos:m.start()]])
        inner = m.group(1)
        left = inner.startswith("-") and inner[1:2].isspace()
        right = inner.endswith("-") and inner[-2:-1].isspace()
        if inner.startswith("-") and not left or inner.endswith("-") and not right:
            raise TemplateError(f"{where}: a trim marker needs a space beside it: {{{{{inner}}}}}")
        body = inner[1 if left else 0:len(inner) - (1 if right else 0)].strip()
        if "\n" in body:
            raise TemplateError(f"{where}: an action spanning lines: {{{{{inner}}}}}")
        items.append(["action", body, left, right])
        pos = m.end()
    items.append(["text", source[pos:]])
    for i, item in enumerate(items):
        if item[0] != "action":
            if "{{" in item[1] or "}}" in item[1]:
                raise TemplateError(f"{where}: unbalanced braces in {item[1].strip()[:60]!r}")
            continue
        if item[2]:
            items[i - 1][1] = items[i - 1][1].rstrip(" \t\r\n")
        if item[3]:
            items[i + 1][1] = items[i + 1][1].lstrip(" \t\r\n")
    return items


def parse(items, where):
    """A tree: ("text", s) | ("print", pipeline) | ("if", pipeline, then, else) | ("range", pipeline, body)."""
    stack = [("root", [])]
    for item in items:
        if item[0] == "text":
            if item[1]:
                stack[-1][1].append(("text", item[1]))
            continue
        body = item[1]
        keyword = body.split(" ", 1)[0]
        if keyword in ("if", "range"):
            node = [keyword, parse_pipeline(body[len(keyword):], where), [], []]
            stack[-1][1].append(node)
            stack.append((keyword, node[2], node))
        elif body == "else":
            if stack[-1][0] != "if" or stack[-1][1] is stack[-1][2][3]:
                raise TemplateError(f"{where}: `else` outside an if")
            stack[-1] = ("if", stack[-1][2][3], stack[-1][2])
        elif body == "end":
            if len(stack) == 1:
                raise TemplateError(f"{where}: `end` without if/range")
            stack.pop()
        else:
            stack[-1][1].append(("print", parse_pipeline(body, where)))
    if len(stack) != 1:
        raise TemplateError(f"{where}: `{stack[-1][0]}` without `end`")
    return stack[0][1]


def parse_pipeline(text, where):
    """[[operand-or-function, args...], ...] from `a | f x | g`; anything outside the subset raises."""
    tokens, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise TemplateError(f"{where}: not in the supported subset: {{{{ {text} }}}}")
        kind = m.lastgroup
        value = m.group(kind)
        tokens.append((kind, json.loads(value) if kind == "str" else int(value) if kind == "int" else value))
        pos = m.end()
    commands, current = [], []
    for token in tokens + [("pipe", "|")]:
        if token[0] != "pipe":
            current.append(token)
            continue
        if not current:
            raise TemplateError(f"{where}: empty command in {{{{ {text} }}}}")
        head = current[0]
        if head[0] == "ident":
            if head[1] not in FUNCTIONS:
                raise TemplateError(f"{where}: function `{head[1]}` is not in the supported subset")
            given = len(current) - 1 + (1 if commands else 0)
            if given != FUNCTIONS[head[1]]:
                raise TemplateError(f"{where}: `{head[1]}` takes {FUNCTIONS[head[1]]} arguments in {{{{ {text} }}}}")
        elif len(current) != 1 or commands:
            raise TemplateError(f"{where}: not in the supported subset: {{{{ {text} }}}}")
        commands.append(current)
        current = []
    return commands


class Renderer:
    def __init__(self, root, where):
        self.root = root
        self.where = where

    def lookup(self, ref, dot):
        if ref.startswith("$."):
            if ref == "$.":
                raise TemplateError(f"{self.where}: `$` alone is not in the supported subset")
            return self.lookup(ref[1:], self.root)
        if ref == ".":
            if dot is self.root:
                raise TemplateError(f"{self.where}: `.` outside a range")
            return dot
        if dot is not self.root:  # inside a range: `.field` is a field of the element, a map
            value = dot
            for part in ref[1:].split("."):
                if not isinstance(value, dict) or part not in value:
                    raise TemplateError(f"{self.where}: {ref} is not a field of the range's element")
                value = value[part]
            return value
        path = ref[1:]
        if not any(path == r or path.startswith("Values.") and r == "Values" for r in ROOT_REFS):
            raise TemplateError(f"{self.where}: {ref} is not in the supported subset")
        value = self.root
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                raise TemplateError(f"{self.where}: {ref} is not defined (add it to values.yaml)")
            value = value[part]
        return value

    def operand(self, token, dot):
        kind, value = token
        if kind == "ref":
            return self.lookup(value, dot)
        if kind in ("str", "int"):
            return value
        raise TemplateError(f"{self.where}: unexpected {value!r}")

    def pipeline(self, commands, dot):
        result, piped = None, False
        for command in commands:
            if command[0][0] != "ident":
                result, piped = self.operand(command[0], dot), True
                continue
            args = [self.operand(t, dot) for t in command[1:]] + ([result] if piped else [])
            result, piped = self.call(command[0][1], args), True
        return result

    def call(self, name, args):
        if name == "quote":
            return '"' + scalar_text(args[0], self.where).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if name == "toYaml":
            if args[0] is None:
                return "null"
            return yaml.safe_dump(args[0], sort_keys=True, default_flow_style=False).rstrip("\n")
        if name == "nindent":
            count, text = args
            if not isinstance(count, int) or not isinstance(text, str):
                raise TemplateError(f"{self.where}: nindent takes a count and a string")
            return "\n" + " " * count + text.replace("\n", "\n" + " " * count)
        if name == "join":
            sep, items = args
            if not isinstance(sep, str) or not isinstance(items, list):
                raise TemplateError(f"{self.where}: join takes a separator and a list")
            return sep.join(scalar_text(i, self.where) for i in items)
        raise TemplateError(f"{self.where}: function {name}")

    def render(self, nodes, dot):
        out = []
        for node in nodes:
            if node[0] == "text":
                out.append(node[1])
            elif node[0] == "print":
                out.append(scalar_text(self.pipeline(node[1], dot), self.where))
            elif node[0] == "if":
                out.append(self.render(node[2] if truthy(self.pipeline(node[1], dot)) else node[3], dot))
            elif node[0] == "range":
                items = self.pipeline(node[1], dot)
                if node[3]:
                    raise TemplateError(f"{self.where}: range with else")
                if not isinstance(items, list):
                    raise TemplateError(f"{self.where}: range over a {type(items).__name__} (only lists)")
                out.extend(self.render(node[2], item) for item in items)
        return "".join(out)


def truthy(value):
    return not (value is None or value is False or value == 0 and not isinstance(value, bool) or
                isinstance(value, (str, list, dict)) and len(value) == 0)


def scalar_text(value, where):
    """What Go prints for a scalar; a map, list, float or null is refused (use toYaml)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return str(value)
    raise TemplateError(f"{where}: printing a {type(value).__name__} needs toYaml")


def merge(base, override):
    """Helm's values merge: maps merge key by key, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def render_template(source, root, where):
    return Renderer(root, where).render(parse(tokenize(source, where), where), root)


def render_chart(chart_dir, values_files=(), release_name="kactor", namespace="kactor-system"):
    """[(file name, rendered text)] for every template, in file order; empty renders left out."""
    with open(os.path.join(chart_dir, "Chart.yaml"), encoding="utf-8") as f:
        chart = yaml.safe_load(f)
    with open(os.path.join(chart_dir, "values.yaml"), encoding="utf-8") as f:
        values = yaml.safe_load(f) or {}
    for path in values_files:
        with open(path, encoding="utf-8") as f:
            values = merge(values, yaml.safe_load(f))
    root = {"Values": values, "Release": {"Name": release_name, "Namespace": namespace},
            "Chart": {"Name": chart["name"], "AppVersion": chart.get("appVersion", "")}}
    out = []
    templates = os.path.join(chart_dir, "templates")
    for name in sorted(os.listdir(templates)):
        if not name.endswith(".yaml"):
            raise TemplateError(f"templates/{name}: only .yaml templates are supported (no helpers, no NOTES)")
        with open(os.path.join(templates, name), encoding="utf-8") as f:
            text = render_template(f.read(), root, f"templates/{name}")
        if text.strip():
            out.append((name, text))
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chart")
    parser.add_argument("-f", "--values", action="append", default=[])
    parser.add_argument("--name", default="kactor")
    parser.add_argument("--namespace", default="kactor-system")
    parser.add_argument("--include-crds", action="store_true")
    args = parser.parse_args(argv)
    chart_name = os.path.basename(os.path.normpath(args.chart))
    try:
        rendered = render_chart(args.chart, args.values, args.name, args.namespace)
    except TemplateError as e:
        print(f"render_chart: {e}", file=sys.stderr)
        return 1
    if args.include_crds:
        crds = os.path.join(args.chart, "crds")
        for name in sorted(os.listdir(crds)) if os.path.isdir(crds) else []:
            with open(os.path.join(crds, name), encoding="utf-8") as f:
                print(f"---\n# Source: {chart_name}/crds/{name}\n{f.read().rstrip()}")
    for name, text in rendered:
        print(f"---\n# Source: {chart_name}/templates/{name}\n{text.strip(chr(10))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
