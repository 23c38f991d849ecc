#!/usr/bin/python3
"""Debian's python3-kubernetes against `kactor sim --serve`: list and watch pods, resume a watch after a
forced 410 Gone, and 20 concurrent writers on one object (every 200 visible, every stale write a 409)."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

kactor = sys.argv[1]
work = tempfile.mkdtemp()
kubeconfig = os.path.join(work, "kubeconfig")
server = subprocess.Popen([kactor, "sim", "--serve", "--port", "0", "--kubeconfig-out", kubeconfig],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


try:
    for _ in range(100):
        if os.path.exists(kubeconfig) and os.path.getsize(kubeconfig) > 0:
            break
        time.sleep(0.1)
    else:
        fail("server did not start")
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    base = v1.api_client.configuration.host

    def pod(name):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "kafka"}},
                "spec": {"containers": [{"name": "kafka", "image": "kafka"}]}}

    v1.create_namespaced_pod("default", pod("a"))
    listed = v1.list_namespaced_pod("default", label_selector="app=kafka")
    if [p.metadata.name for p in listed.items] != ["a"]:
        fail("list")
    rv = listed.metadata.resource_version

    # A watch from the list's version sees a later creation.
    seen = []
    def watch_from(version, sink):
        w = watch.Watch()
        for event in w.stream(v1.list_namespaced_pod, "default", resource_version=version, timeout_seconds=5):
            sink.append((event["type"], event["object"].metadata.name))
            if event["object"].metadata.name == "b":
                w.stop()
    t = threading.Thread(target=watch_from, args=(rv, seen))
    t.start()
    time.sleep(0.5)
    v1.create_namespaced_pod("default", pod("b"))
    t.join(10)
    if ("ADDED", "b") not in seen:
        fail("watch did not see pod b: %s" % seen)

    # Force 410 Gone: compaction makes the old version too old; the client relists and resumes.
    urllib.request.urlopen(urllib.request.Request(base + "/sim/faults/compact", method="POST"), timeout=5)
    try:
        for event in watch.Watch().stream(v1.list_namespaced_pod, "default", resource_version=rv, timeout_seconds=3):
            if event["type"] == "ERROR" or event["raw_object"].get("code") == 410:
                raise ApiException(status=410)
        fail("expected 410 Gone for an expired resourceVersion")
    except ApiException as e:
        if e.status != 410:
            fail("expected 410, got %s" % e.status)
    relisted = v1.list_namespaced_pod("default")
    resumed = []
    w2 = watch.Watch()
    def resume():
        for event in w2.stream(v1.list_namespaced_pod, "default", resource_version=relisted.metadata.resource_version,
                               timeout_seconds=5):
            resumed.append((event["type"], event["object"].metadata.name))
            if event["object"].metadata.name == "c":
                w2.stop()
    t = threading.Thread(target=resume)
    t.start()
    time.sleep(0.5)
    v1.create_namespaced_pod("default", pod("c"))
    t.join(10)
    added = [name for kind, name in resumed if kind == "ADDED"]
    # Pods a and b were in the relist: resuming from its version must not add them again.
    if added != ["c"]:
        fail("resumed watch should add exactly the new pod, saw %s" % resumed)

    # 20 concurrent read-modify-write clients on one ConfigMap.
    v1.create_namespaced_config_map("default", {"metadata": {"name": "counter"}, "data": {"n": "0"}})
    ok, conflicts, lock = [0], [0], threading.Lock()
    def writer():
        api = client.CoreV1Api()
        for _ in range(10):
            cm = api.read_namespaced_config_map("counter", "default")
            cm.data["n"] = str(int(cm.data["n"]) + 1)
            try:
                api.replace_namespaced_config_map("counter", "default", cm)
                with lock:
                    ok[0] += 1
            except ApiException as e:
                if e.status != 409:
                    raise
                with lock:
                    conflicts[0] += 1
    threads = [threading.Thread(target=writer) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    final = int(v1.read_namespaced_config_map("counter", "default").data["n"])
    if ok[0] + conflicts[0] != 200:
        fail("every write must answer 200 or 409: %d + %d" % (ok[0], conflicts[0]))
    if final != ok[0]:
        fail("lost update: %d successful writes but counter is %d" % (ok[0], final))
    print("python client e2e: ok (%d writes accepted, %d conflicts)" % (ok[0], conflicts[0]))
finally:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
