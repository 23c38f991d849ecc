"""deploy/prometheus (promtool, amtool) and deploy/Dockerfile."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

import deploy_common as common
from deploy_common import deploy_docs, find, load_yaml_file


class PrometheusTest(unittest.TestCase):
    def rules(self):
        return find(deploy_docs(os.path.join("prometheus", "prometheusrule.yaml")), "PrometheusRule")

    def test_alerts_carry_koperators_commands(self):
        alerts = {r["alert"]: r for g in self.rules()["spec"]["groups"] for r in g["rules"]}
        disk = alerts["KafkaLogDirSpaceLow"]
        self.assertEqual(disk["annotations"]["command"], "addPvc")
        self.assertIn("mountPathPrefix", disk["annotations"])
        self.assertIn("diskSize", disk["annotations"])
        self.assertIn("kafka_server_replicamanager_underreplicatedpartitions", alerts["KafkaBrokerUnderReplicated"]["expr"])
        for alert in alerts.values():
            self.assertEqual(alert["labels"]["alertGroup"], "kafka")

    def test_broker_pod_monitor_scrapes_the_port_kactor_renders_with_the_labels_the_rules_read(self):
        monitor = find(deploy_docs(os.path.join("prometheus", "podmonitor.yaml")), "PodMonitor")
        (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
        # The port as kactor renders it on a broker with monitoringConfig (the golden render of the sample).
        golden = os.path.join(common.REPO, "tests", "model", "data", "golden", "simplekafkacluster.yaml")
        pods = [d for d in load_yaml_file(golden) if d and d["kind"] == "Pod"]
        self.assertTrue(pods)
        for pod in pods:
            ports = {p["name"]: p["containerPort"] for c in pod["spec"]["containers"] for p in c.get("ports", [])}
            self.assertEqual(ports.get(endpoint["port"]), 9020)
            for key, value in monitor["spec"]["selector"]["matchLabels"].items():
                self.assertEqual(pod["metadata"]["labels"][key], value)
            for label in monitor["spec"]["podTargetLabels"]:
                self.assertIn(label, pod["metadata"]["labels"])
        # The labels the alert actions read off a broker's alert (model/alerts/alert_action.hpp: brokerId,
        # kafka_cr, namespace) and the simulation puts on its JMX series (sim/world/kafka/
        # sim_kafka_admin.cpp, labels()) are what this scrape gives: copied from the pod, or added by the
        # prometheus-operator (namespace, pod).
        scraped = set(monitor["spec"]["podTargetLabels"]) | {"namespace", "pod"}
        self.assertEqual(scraped, {"kafka_cr", "namespace", "brokerId", "pod"})

    def test_rules_read_only_series_a_real_cluster_exports(self):
        path = os.path.join(common.REPO, "deploy", "prometheus", "series.txt")
        with open(path, encoding="utf-8") as f:
            real = {line.strip() for line in f if line.strip() and not line.startswith("#")}
        for group in self.rules()["spec"]["groups"]:
            for rule in group["rules"]:
                expr = re.sub(r'"[^"]*"', "", rule["expr"])  # strings, then label matchers, then groupings
                expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)
                expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
                names = set(re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr))
                names -= {"and", "or", "unless", "bool", "offset"}
                self.assertTrue(names, rule["alert"])
                self.assertLessEqual(names, real, f"{rule['alert']} reads series no real cluster exports "
                                                  "(deploy/prometheus/series.txt lists those that exist)")

    def test_promtool_fires_the_alerts_with_their_labels(self):
        promtool = shutil.which("promtool")
        if not promtool:
            self.skipTest("promtool not installed (scripts/setup.sh installs prometheus)")
        # The kubelet's labels per PVC (plus the scrape's own, here none).
        full = {"namespace": "kafka", "persistentvolumeclaim": "kafka-2-kafka-logs"}
        half = dict(full, persistentvolumeclaim="kafka-1-kafka-logs")
        other = dict(full, persistentvolumeclaim="postgres-data")
        broker = {"kafka_cr": "kafka", "namespace": "kafka", "brokerId": "1", "pod": "kafka-1"}

        def series(metric, labels, values):
            inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
            return {"series": f"{metric}{{{inner}}}", "values": values}

        alerts = {r["alert"]: r for g in self.rules()["spec"]["groups"] for r in g["rules"]}
        disk_annotations = dict(alerts["KafkaLogDirSpaceLow"]["annotations"], description=(
            "PVC kafka/kafka-2-kafka-logs: 10% free"))
        urp_annotations = dict(alerts["KafkaBrokerUnderReplicated"]["annotations"], description=(
            "broker 1 of kafka/kafka leads 3 under-replicated partitions"))
        tests = {"rule_files": ["rules.yaml"], "evaluation_interval": "1m", "tests": [{
            "interval": "1m",
            "input_series": [series("kubelet_volume_stats_available_bytes", full, "10x10"),
                             series("kubelet_volume_stats_capacity_bytes", full, "100x10"),
                             series("kubelet_volume_stats_available_bytes", half, "50x10"),
                             series("kubelet_volume_stats_capacity_bytes", half, "100x10"),
                             series("kubelet_volume_stats_available_bytes", other, "1x10"),
                             series("kubelet_volume_stats_capacity_bytes", other, "100x10"),
                             series("kafka_server_replicamanager_underreplicatedpartitions", broker, "3x10")],
            "alert_rule_test": [
                {"eval_time": "4m", "alertname": "KafkaLogDirSpaceLow", "exp_alerts": []},
                {"eval_time": "6m", "alertname": "KafkaLogDirSpaceLow", "exp_alerts": [{
                    "exp_labels": dict(full, severity="warning", alertGroup="kafka"),
                    "exp_annotations": disk_annotations}]},
                {"eval_time": "6m", "alertname": "KafkaBrokerUnderReplicated", "exp_alerts": [{
                    "exp_labels": dict(broker, severity="warning", alertGroup="kafka"),
                    "exp_annotations": urp_annotations}]},
            ]}]}
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "rules.yaml"), "w", encoding="utf-8") as f:
                yaml.safe_dump({"groups": self.rules()["spec"]["groups"]}, f)
            with open(os.path.join(tmp, "test.yaml"), "w", encoding="utf-8") as f:
                yaml.safe_dump(tests, f)
            for command in (["check", "rules", "rules.yaml"], ["test", "rules", "test.yaml"]):
                done = subprocess.run([promtool] + command, cwd=tmp, capture_output=True, text=True, timeout=60)
                self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_alertmanager_routes_kafka_alerts_to_the_kactor_service(self):
        path = os.path.join(common.REPO, "deploy", "prometheus", "alertmanager-route.yaml")
        (config,) = load_yaml_file(path)
        (receiver,) = [r for r in config["receivers"] if r["name"] == "kactor"]
        service = find(deploy_docs("operator.yaml"), "Service", "kactor-alerts")
        url = f"http://{service['metadata']['name']}.{service['metadata']['namespace']}.svc:" \
              f"{service['spec']['ports'][0]['port']}/"
        self.assertEqual(receiver["webhook_configs"][0]["url"], url)
        amtool = shutil.which("amtool")
        if not amtool:
            self.skipTest("amtool not installed (scripts/setup.sh installs prometheus-alertmanager)")
        done = subprocess.run([amtool, "check-config", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        for labels, expected in ((["alertGroup=kafka", "alertname=KafkaLogDirSpaceLow"], "kactor"),
                                 (["alertname=Watchdog"], "default")):
            done = subprocess.run([amtool, "config", "routes", "test", f"--config.file={path}"] + labels,
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(done.stdout.strip(), expected, done.stderr)


class DockerfileTest(unittest.TestCase):
    RUNTIME_PACKAGES = {"libcaf-core0.17", "libyaml-cpp0.7", "libspdlog1.10", "libfmt9", "librdkafka1", "libssl3", "zlib1g",
                        "ca-certificates"}
    BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}  # in debian:bookworm-slim already

    def stages(self):
        with open(os.path.join(common.REPO, "deploy", "Dockerfile"), encoding="utf-8") as f:
            text = re.sub(r"\\\n", " ", f.read())
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
        stages = []
        for line in lines:
            if line.startswith("FROM "):
                stages.append([])
            stages[-1].append(line)
        return stages

    def apt_packages(self, stage):
        (install,) = [line for line in stage if "apt-get install" in line]
        words = install.split("apt-get install", 1)[1].split("&&")[0].split()
        return {w for w in words if not w.startswith("-")}

    def test_stages(self):
        build, runtime = self.stages()
        self.assertEqual(build[0], "FROM debian:bookworm AS build")
        self.assertEqual(runtime[0], "FROM debian:bookworm-slim")
        self.assertTrue(any("-DKACTOR_BUILD_TESTS=OFF" in line for line in build))
        self.assertEqual(self.apt_packages(runtime), self.RUNTIME_PACKAGES)
        self.assertIn("USER 65532:65532", runtime)
        self.assertIn('ENTRYPOINT ["/usr/local/bin/kactor"]', runtime)
        self.assertIn('CMD ["run"]', runtime)
        self.assertIn("EXPOSE 8080 8081 9001", runtime)

    def test_build_stage_uses_setup_packages_and_copies_every_source_dir(self):
        build, _ = self.stages()
        with open(os.path.join(common.REPO, "scripts", "setup.sh"), encoding="utf-8") as f:
            setup = set(re.search(r"packages=\((.*?)\n\)", f.read(), re.S).group(1).split())
        self.assertLessEqual(self.apt_packages(build), setup)
        copied = {line.split()[1].rstrip("/") for line in build if line.startswith("COPY ")}
        for path in copied:
            self.assertTrue(os.path.exists(os.path.join(common.REPO, path)), path)
        with open(os.path.join(common.REPO, "CMakeLists.txt"), encoding="utf-8") as f:
            subdirs = set(re.findall(r"add_subdirectory\((\w+)\)", f.read())) - {"tests"}
        self.assertLessEqual(subdirs, copied)
        self.assertIn("messages", copied)  # headers only, included by actors/
        self.assertIn("deploy/samples", copied)  # read by runtime/CMakeLists.txt

    @staticmethod
    def owner(path):
        """The Debian package of a library file; with merged /usr, dpkg knows it by one of its names."""
        real = os.path.realpath(path)
        for candidate in (path, real, real[len("/usr"):] if real.startswith("/usr/") else real):
            found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, timeout=60).stdout
            if found:
                return found.split(":")[0]
        raise AssertionError(f"no Debian package owns {path}")

    def test_runtime_packages_cover_a_built_binary(self):
        binary = os.path.join(common.REPO, "build", "kactor")
        if not os.path.exists(binary) or not shutil.which("readelf") or not shutil.which("dpkg"):
            self.skipTest("no build/kactor to inspect")
        dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, timeout=60).stdout
        needed = re.findall(r"\(NEEDED\).*\[(.+?)\]", dynamic)
        if any(re.match(r"lib(a|t|ub)san", lib) for lib in needed):
            self.skipTest("build/kactor is a sanitizer build")
        cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=60).stdout
        packages = set()
        for lib in needed:
            match = re.search(rf"^\s*{re.escape(lib)} .*=> (\S+)$", cache, re.M)
            self.assertIsNotNone(match, f"{lib} not in the linker cache")
            packages.add(self.owner(match.group(1)))
        self.assertLessEqual(packages, self.RUNTIME_PACKAGES | self.BASE_PACKAGES, needed)
