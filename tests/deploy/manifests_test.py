"""deploy/rbac.yaml, deploy/operator.yaml and the Helm chart (rendered by render_chart.py)."""
import glob
import os
import tempfile
import unittest

import yaml

import deploy_common as common
import render_chart
from deploy_common import GROUP, deploy_docs, find, load_yaml_file, overrides, permissions, project_version, render

# kactor's permissions, from what it calls (least privilege: any change here is a decision).
EXPECTED_CLUSTER_PERMISSIONS = {
    (GROUP, "kafkaclusters"): {"list", "watch", "update"},
    (GROUP, "kafkaclusters/status"): {"update"},
    ("", "pods"): {"list", "watch", "create", "delete"},
    ("", "configmaps"): {"list", "watch", "create", "update", "delete"},
    ("", "services"): {"list", "watch", "create", "update", "delete"},
    ("", "persistentvolumeclaims"): {"list", "watch", "create", "patch", "delete"},
    (GROUP, "cruisecontroloperations"): {"list", "watch", "create", "delete"},
    (GROUP, "cruisecontroloperations/status"): {"update"},
    ("", "events"): {"create", "patch"},
    ("policy", "poddisruptionbudgets"): {"list", "watch", "create", "update", "delete"},
    ("apps", "deployments"): {"list", "watch", "create", "update", "delete"},
}
LEASE_PERMISSIONS = {("coordination.k8s.io", "leases"): {"get", "create", "update"}}
# Cluster-scoped resources: kactor touches none, so no rule may name one (a RoleBinding could not grant it
# anyway, and a ClusterRoleBinding would grant it in every namespace's name).
CLUSTER_SCOPED = {("", "nodes"), ("", "namespaces"), ("", "persistentvolumes"),
                  ("apiextensions.k8s.io", "customresourcedefinitions"), ("storage.k8s.io", "storageclasses")}


class RbacTest(unittest.TestCase):
    def test_cluster_role_grants_exactly_what_kactor_calls(self):
        role = find(deploy_docs("rbac.yaml"), "ClusterRole")
        self.assertEqual(permissions(role["rules"]), EXPECTED_CLUSTER_PERMISSIONS)

    def test_leases_only_in_the_operator_namespace(self):
        docs = deploy_docs("rbac.yaml")
        role = find(docs, "Role")
        self.assertEqual(role["metadata"]["namespace"], "kactor-system")
        self.assertEqual(permissions(role["rules"]), LEASE_PERMISSIONS)
        binding = find(docs, "RoleBinding")
        self.assertEqual(binding["roleRef"]["name"], role["metadata"]["name"])
        cluster_binding = find(docs, "ClusterRoleBinding")
        self.assertEqual(cluster_binding["roleRef"], {"apiGroup": "rbac.authorization.k8s.io",
                                                      "kind": "ClusterRole", "name": "kactor"})
        account = find(docs, "ServiceAccount")
        for b in (binding, cluster_binding):
            self.assertEqual(b["subjects"], [{"kind": "ServiceAccount", "name": account["metadata"]["name"],
                                              "namespace": account["metadata"]["namespace"]}])

    def test_nothing_cluster_scoped_is_granted(self):
        for docs in (deploy_docs("rbac.yaml"), render(), render([overrides()])):
            for role in (d for d in docs if d["kind"] in ("ClusterRole", "Role")):
                if role["metadata"]["name"].endswith("-node-reader"):
                    continue  # test_node_reader_gets_single_nodes_only
                self.assertEqual(set(permissions(role["rules"])) & CLUSTER_SCOPED, set(), role["metadata"]["name"])

    def test_node_reader_gets_single_nodes_only(self):
        # Opt-in (racks read off nodes): rbac-nodes.yaml, and the chart's readNodes; off by default.
        self.assertEqual([d for d in render() if "nodes" in str(d.get("rules", ""))], [])
        for docs, name in ((deploy_docs("rbac-nodes.yaml"), "kactor-node-reader"),
                           (render([overrides()]), "kactor-node-reader")):
            role = find(docs, "ClusterRole", name)
            self.assertEqual(permissions(role["rules"]), {("", "nodes"): {"get"}})
            binding = find(docs, "ClusterRoleBinding", name)
            self.assertEqual(binding["roleRef"], {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                                  "name": name})
            self.assertEqual(binding["subjects"], [{"kind": "ServiceAccount", "name": "kactor",
                                                    "namespace": "kactor-system"}])

    def test_chart_grants_the_same(self):
        docs = render()
        self.assertEqual(find(docs, "ClusterRole")["rules"], find(deploy_docs("rbac.yaml"), "ClusterRole")["rules"])
        self.assertEqual(permissions(find(docs, "Role")["rules"]), LEASE_PERMISSIONS)
        self.assertEqual(find(docs, "Role")["metadata"]["namespace"], "kactor-system")
        binding = find(docs, "ClusterRoleBinding")
        self.assertEqual(binding["subjects"][0]["name"], find(docs, "ServiceAccount")["metadata"]["name"])
        self.assertEqual(binding["roleRef"], find(deploy_docs("rbac.yaml"), "ClusterRoleBinding")["roleRef"])
        # Without leader election there is no Lease to grant.
        self.assertEqual([d for d in render([overrides()]) if d["kind"] == "Role" and "leases" in str(d["rules"])], [])

    def test_watch_namespaces_bind_the_rules_in_each_namespace_only(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as values:
            yaml.safe_dump({"watchNamespaces": ["kafka", "kafka-2"]}, values)
            values.flush()
            docs = render([values.name])
        self.assertEqual([d for d in docs if d["kind"] == "ClusterRoleBinding"], [])
        role = find(docs, "ClusterRole")
        self.assertEqual(permissions(role["rules"]), EXPECTED_CLUSTER_PERMISSIONS)
        bindings = [d for d in docs if d["kind"] == "RoleBinding" and d["roleRef"]["kind"] == "ClusterRole"]
        self.assertEqual(sorted(b["metadata"]["namespace"] for b in bindings), ["kafka", "kafka-2"])
        for b in bindings:
            self.assertEqual(b["roleRef"], {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                            "name": role["metadata"]["name"]})
            self.assertEqual(b["subjects"], [{"kind": "ServiceAccount", "name": "kactor", "namespace": "kactor-system"}])
            self.assertEqual(b["metadata"]["labels"]["app.kubernetes.io/instance"], "kactor")
        args = find(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]
        self.assertIn("--namespaces=kafka,kafka-2", args)
        # The Lease stays in the release namespace.
        self.assertEqual(find(docs, "Role")["metadata"]["namespace"], "kactor-system")


    def test_cruise_control_credentials_secrets_are_readable_by_name_only(self):
        docs = render([overrides()])
        roles = [d for d in docs if d["kind"] == "Role" and d["metadata"]["name"] == "kactor-cc-cc-admin"]
        self.assertEqual(len(roles), 1)
        self.assertEqual(roles[0]["metadata"]["namespace"], "kafka")
        self.assertEqual(roles[0]["rules"], [{"apiGroups": [""], "resources": ["secrets"],
                                              "resourceNames": ["cc-admin"], "verbs": ["get"]}])
        binding = find(docs, "RoleBinding", "kactor-cc-cc-admin")
        self.assertEqual(binding["roleRef"], {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                              "name": "kactor-cc-cc-admin"})
        self.assertEqual(binding["subjects"], [{"kind": "ServiceAccount", "name": "kactor", "namespace": "kactor-system"}])
        # By default no Secret at all.
        self.assertEqual([d for d in render() if "secrets" in str(d.get("rules", ""))], [])


class OperatorTest(unittest.TestCase):
    def assert_hardened(self, deployment):
        pod = deployment["spec"]["template"]["spec"]
        self.assertEqual(deployment["spec"]["replicas"], 1)
        self.assertTrue(pod["securityContext"]["runAsNonRoot"])
        self.assertEqual(pod["securityContext"]["runAsUser"], 65532)
        self.assertEqual(pod["securityContext"]["seccompProfile"], {"type": "RuntimeDefault"})
        self.assertNotIn("hostNetwork", pod)
        (container,) = pod["containers"]
        sc = container["securityContext"]
        self.assertTrue(sc["runAsNonRoot"])
        self.assertEqual(sc["runAsUser"], 65532)
        self.assertTrue(sc["readOnlyRootFilesystem"])
        self.assertFalse(sc["allowPrivilegeEscalation"])
        self.assertEqual(sc["capabilities"], {"drop": ["ALL"]})
        self.assertEqual(sc["seccompProfile"], {"type": "RuntimeDefault"})
        self.assertNotIn("privileged", sc)
        self.assertEqual(container["livenessProbe"]["httpGet"], {"path": "/healthz", "port": "health"})
        self.assertEqual(container["readinessProbe"]["httpGet"], {"path": "/readyz", "port": "health"})
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        self.assertEqual(ports["health"], 8081)
        self.assertEqual(container["args"][0], "run")
        return container, ports

    def test_deployment(self):
        docs = deploy_docs("operator.yaml")
        self.assertEqual(find(docs, "Namespace")["metadata"]["name"], "kactor-system")
        deployment = find(docs, "Deployment")
        container, ports = self.assert_hardened(deployment)
        self.assertEqual(ports, {"http-metrics": 8080, "health": 8081, "http-alerts": 9001})
        self.assertEqual(container["resources"], {"requests": {"cpu": "50m", "memory": "64Mi"},
                                                  "limits": {"memory": "256Mi"}})
        self.assertEqual(container["image"], f"kactor:{project_version()}")
        args = container["args"]
        self.assertIn("--enable-leader-election", args)
        role = find(deploy_docs("rbac.yaml"), "Role")
        self.assertIn(f"--leader-election-namespace={role['metadata']['namespace']}", args)
        for flag, port in (("--metrics-addr", 8080), ("--health-addr", 8081), ("--alerts-addr", 9001)):
            self.assertIn(f"{flag}=:{port}", args)
        account = find(deploy_docs("rbac.yaml"), "ServiceAccount")["metadata"]
        self.assertEqual(deployment["spec"]["template"]["spec"]["serviceAccountName"], account["name"])
        for doc in docs:
            if doc["kind"] != "Namespace":
                self.assertEqual(doc["metadata"]["namespace"], "kactor-system", doc["metadata"]["name"])

    def test_services_reach_the_pod(self):
        docs = deploy_docs("operator.yaml")
        deployment = find(docs, "Deployment")
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        self.assertEqual(deployment["spec"]["selector"]["matchLabels"], labels)
        ports = {p["name"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
        for name, port in (("kactor-metrics", 8080), ("kactor-alerts", 9001)):
            service = find(docs, "Service", name)
            self.assertLessEqual(service["spec"]["selector"].items(), labels.items(), name)
            (service_port,) = service["spec"]["ports"]
            self.assertEqual(service_port["port"], port)
            self.assertIn(service_port["targetPort"], ports)

    def test_chart_defaults_render_the_same_pod(self):
        docs = render()
        deployment = find(docs, "Deployment")
        self.assert_hardened(deployment)
        expected = find(deploy_docs("operator.yaml"), "Deployment")
        self.assertEqual(deployment["spec"]["template"]["spec"], expected["spec"]["template"]["spec"])
        self.assertEqual(deployment["spec"]["strategy"], expected["spec"]["strategy"])
        self.assertEqual(deployment["spec"]["selector"]["matchLabels"], deployment["spec"]["template"]["metadata"]["labels"])
        self.assertEqual({find(docs, "Service", n)["spec"]["ports"][0]["port"] for n in ("kactor-metrics", "kactor-alerts")},
                         {8080, 9001})
        self.assertEqual([d for d in docs if d["kind"] == "ServiceMonitor"], [])

    def test_chart_overrides(self):
        docs = render([overrides()])
        deployment = find(docs, "Deployment")
        container, ports = self.assert_hardened(deployment)
        self.assertEqual(container["args"], ["run", "--namespaces=kafka", "--metrics-addr=:8080", "--health-addr=:8081",
                                             "--alerts-addr=0",
                                             "--cruise-control-endpoint=https://cruise-control.kafka.svc:8090",
                                             "--kube-api-max-in-flight=16", "--kube-api-qps=50", "--kube-api-burst=100",
                                             "--log-format=text", "--verbose"])
        self.assertEqual(ports, {"http-metrics": 8080, "health": 8081})
        self.assertEqual(container["image"], "kactor:9.9.9")
        self.assertEqual(container["resources"]["limits"], {"cpu": "1", "memory": "512Mi"})
        self.assertEqual(deployment["spec"]["strategy"], {"type": "Recreate"})
        self.assertEqual([d["metadata"]["name"] for d in docs if d["kind"] == "Service"], ["kactor-metrics"])
        brokers = find(docs, "PodMonitor")
        self.assertEqual(brokers["metadata"]["labels"]["release"], "prometheus-operator")
        expected = find(deploy_docs(os.path.join("prometheus", "podmonitor.yaml")), "PodMonitor")["spec"]
        expected["podMetricsEndpoints"][0]["interval"] = "20s"
        self.assertEqual(brokers["spec"], expected)
        self.assertEqual([d for d in render() if d["kind"] == "PodMonitor"], [])
        monitor = find(docs, "ServiceMonitor")
        self.assertEqual(monitor["metadata"]["labels"]["release"], "prometheus-operator")
        self.assertEqual(monitor["spec"]["endpoints"][0]["interval"], "15s")
        self.assertEqual(monitor["spec"]["endpoints"][0]["port"], "http-metrics")

    def test_alert_receiver_is_authenticated_and_fenced(self):
        docs = deploy_docs("operator.yaml")
        spec = find(docs, "Deployment")["spec"]["template"]["spec"]
        args = spec["containers"][0]["args"]
        self.assertIn("--alerts-bearer-token-file=/var/run/secrets/kactor/alerts/token", args)
        mounts = {m["name"]: m for m in spec["containers"][0]["volumeMounts"]}
        self.assertEqual(mounts["alerts-token"]["mountPath"], "/var/run/secrets/kactor/alerts")
        self.assertTrue(mounts["alerts-token"]["readOnly"])
        volumes = {v["name"]: v for v in spec["volumes"]}
        self.assertEqual(volumes["alerts-token"]["secret"]["secretName"], "kactor-alerts-token")
        policy = find(docs, "NetworkPolicy")
        labels = find(docs, "Deployment")["spec"]["template"]["metadata"]["labels"]
        self.assertLessEqual(policy["spec"]["podSelector"]["matchLabels"].items(), labels.items())
        alerts_rule, open_rule = policy["spec"]["ingress"]
        self.assertEqual(alerts_rule["ports"], [{"port": 9001}])
        self.assertEqual(alerts_rule["from"], [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}])
        self.assertNotIn("from", open_rule)
        self.assertNotIn({"port": 9001}, open_rule["ports"])
        chart = render()
        self.assertEqual(find(chart, "NetworkPolicy")["spec"], policy["spec"])
        # The chart's TLS option: HTTPS with client certificates from one Secret.
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
            yaml.safe_dump({"alerts": {"tls": {"secretName": "kactor-alerts-tls"}}}, f)
            f.flush()
            tls = render([f.name])
        container = find(tls, "Deployment")["spec"]["template"]["spec"]["containers"][0]
        for flag in ("--alerts-tls-cert=/var/run/secrets/kactor/alerts-tls/tls.crt",
                     "--alerts-tls-key=/var/run/secrets/kactor/alerts-tls/tls.key",
                     "--alerts-tls-client-ca=/var/run/secrets/kactor/alerts-tls/ca.crt"):
            self.assertIn(flag, container["args"])
        self.assertIn({"name": "alerts-tls", "secret": {"secretName": "kactor-alerts-tls"}},
                      find(tls, "Deployment")["spec"]["template"]["spec"]["volumes"])
        self.assertEqual([d for d in render([overrides()]) if d["kind"] == "NetworkPolicy"], [])

    def test_versions_agree(self):
        version = project_version()
        with open(os.path.join(common.REPO, "deploy", "helm", "kactor", "Chart.yaml"), encoding="utf-8") as f:
            chart = yaml.safe_load(f)
        with open(os.path.join(common.REPO, "deploy", "helm", "kactor", "values.yaml"), encoding="utf-8") as f:
            values = yaml.safe_load(f)
        self.assertEqual(chart["apiVersion"], "v2")
        self.assertEqual({chart["version"], chart["appVersion"], values["image"]["tag"]}, {version})

    def test_every_deploy_yaml_parses(self):
        count = 0
        for path in glob.glob(os.path.join(common.REPO, "deploy", "**", "*.yaml"), recursive=True):
            if os.sep + "templates" + os.sep in path:
                continue  # templates are YAML only once rendered (rendered in the chart tests)
            docs = load_yaml_file(path)
            self.assertTrue(docs, path)
            count += len(docs)
        self.assertGreater(count, 15)
        for values in ([], [overrides()]):
            for doc in render(values):
                self.assertIn("apiVersion", doc)
                self.assertIn("kind", doc)


class RendererTest(unittest.TestCase):
    ROOT = {"Values": {"a": {"b": "x"}, "list": ["p", "q"], "empty": [], "map": {"k": 1, "j": [1]}, "zero": 0,
                       "s": 'say "hi"'},
            "Release": {"Name": "rel", "Namespace": "ns"}, "Chart": {"Name": "c", "AppVersion": "1"}}

    def r(self, text):
        return render_chart.render_template(text, self.ROOT, "t")

    def test_subset(self):
        self.assertEqual(self.r("{{ .Values.a.b }}/{{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Chart.Name }}"),
                         "x/rel/ns/c")
        self.assertEqual(self.r("a:\n  {{- if .Values.zero }} yes {{- else }} no {{- end }}\nb"), "a: no\nb")
        self.assertEqual(self.r("{{- range .Values.list }}\n- {{ . }}\n{{- end }}"), "\n- p\n- q")
        self.assertEqual(self.r("{{ range .Values.empty }}x{{ end }}"), "")
        self.assertEqual(self.r("m:\n  {{- toYaml .Values.map | nindent 2 }}"), "m:\n  j:\n  - 1\n  k: 1")
        self.assertEqual(self.r("{{ .Values.s | quote }}"), '"say \\"hi\\""')
        self.assertEqual(self.r('{{ join "," .Values.list }}'), "p,q")
        self.assertEqual(self.r("{{- range .Values.list }}{{ . }}@{{ $.Release.Name }}/{{ $.Values.a.b }} {{ end }}"),
                         "p@rel/x q@rel/x ")
        self.assertEqual(self.r("{{ if .Values.list }}{{ if .Values.empty }}1{{ else }}2{{ end }}{{ end }}"), "2")

    def test_anything_else_fails_loudly(self):
        for text in ['{{ include "x" . }}', '{{ .Values.a.b | default "y" }}', "{{/* comment */}}",
                     "{{ $x := 1 }}", "{{ if .Values.zero }}{{ else if .Values.a }}{{ end }}",
                     "{{ with .Values.a }}{{ end }}", "{{ .Values.missing }}", "{{ .Values.map }}",
                     "{{ range .Values.map }}{{ end }}", "{{ range .Values.list }}{{ .Values.a.b }}{{ end }}",
                     "{{ .Release.Service }}", "{{ if .Values.zero }}", "{{ end }}", "{{ .Values.a.b", "{{-3}}",
                     "{{ .Values.a.b | upper }}", "{{ toYaml .Values.map | indent 2 }}", "{{ quote }}",
                     "{{ tpl .Values.a.b . }}", "{{ . }}", "{{ .Values.list | .Values.a }}", "{{ $ }}", "{{ $.Values.missing }}",
                     "{{ $.Release.Service }}"]:
            with self.assertRaises(render_chart.TemplateError, msg=text):
                self.r(text)
