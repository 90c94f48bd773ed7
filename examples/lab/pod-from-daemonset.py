#!/usr/bin/env python3
"""Turns the DaemonSet of examples/kubernetes/linen.yaml into what `podman kube play` runs on one lab
node: a Pod with the DaemonSet's own pod template (init container, container, securityContext,
volumes) and a ConfigMap with the manifest's data, so the lab runs the manifest, not a copy of it.
What a kubelet would do and podman does not is done here, and only that:
  - NODE_NAME (the downward API's spec.nodeName) is set to the node's name;
  - each hostPath is the lab node's directory (--map HOST=LAB, mounted at LAB too; others under
    --host-root, except --keep);
  - restartPolicy OnFailure instead of Always (see below);
  - probes are dropped (podman runs them from systemd timers, which this machine has not); the lab
    asks /healthz and /readyz itself, as the kubelet would;
  - ConfigMap keys given with --set are added or replaced (the node's API address, datapath type).
With --uninstall the pod is the documented uninstall: the flaxd container alone with args
["uninstall"], same env and mounts, restartPolicy Never.
Usage: pod-from-daemonset.py MANIFEST NODE OUT_POD OUT_CONFIGMAP [--host-root DIR] [--map H=L]...
       [--keep H]... [--set K=V]... [--image IMAGE] [--uninstall]"""
import argparse
import copy
import sys

import yaml


def main():
    p = argparse.ArgumentParser()
    for a in ("manifest", "node", "out_pod", "out_configmap"):
        p.add_argument(a)
    p.add_argument("--host-root", required=True)
    p.add_argument("--map", action="append", default=[])
    p.add_argument("--keep", action="append", default=[])
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--image")
    p.add_argument("--uninstall", action="store_true")
    a = p.parse_args()
    docs = [d for d in yaml.safe_load_all(open(a.manifest)) if d]
    ds = one(docs, "DaemonSet")
    cm = copy.deepcopy(one(docs, "ConfigMap"))
    for kv in a.set:
        k, v = kv.split("=", 1)
        cm["data"][k] = v
    cm["metadata"].pop("namespace", None)
    spec = copy.deepcopy(ds["spec"]["template"]["spec"])
    for key in ("serviceAccountName", "priorityClassName", "tolerations"):
        spec.pop(key, None)  # Kubernetes scheduling and API identity: nothing for podman to do
    mapping = dict(m.split("=", 1) for m in a.map)
    same_path = {}  # volume -> path: a --map volume is mounted where it is on the node, as on a
    for v in spec.get("volumes", []):  # real node (the OVSDB socket's path goes into the conflist)
        hp = v["hostPath"]
        if hp["path"] in mapping:
            hp["path"] = same_path[v["name"]] = mapping[hp["path"]]
        elif hp["path"] not in a.keep:
            hp["path"] = a.host_root.rstrip("/") + hp["path"]
    containers = spec.get("initContainers", []) + spec["containers"]
    for c in containers:
        for m in c.get("volumeMounts", []):
            m["mountPath"] = same_path.get(m["name"], m["mountPath"])
        c.pop("livenessProbe", None)
        c.pop("readinessProbe", None)
        if a.image:
            c["image"] = a.image
        for e in c.get("env", []):
            if e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
                e.pop("valueFrom")
                e["value"] = a.node
    name = ds["metadata"]["name"] + "-" + a.node
    if a.uninstall:
        flaxd = spec["containers"][0]
        flaxd["args"] = ["uninstall"]
        mounted = {m["name"] for m in flaxd.get("volumeMounts", [])}
        for init in spec.get("initContainers", []):  # uninstall also needs the CNI bin dir
            flaxd["volumeMounts"] += [m for m in init.get("volumeMounts", []) if m["name"] not in mounted]
        flaxd.pop("resources", None)
        spec["containers"] = [flaxd]
        spec.pop("initContainers", None)
        spec["restartPolicy"] = "Never"
        name += "-uninstall"
    else:
        # A DaemonSet's Always; podman 4.3 applies a pod's Always to its init container too (runs
        # it again and again), so OnFailure: a crashed flaxd is still started again
        spec["restartPolicy"] = "OnFailure"
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": ds["spec"]["template"]["metadata"]["labels"]}, "spec": spec}
    yaml.safe_dump(pod, open(a.out_pod, "w"), sort_keys=False)
    yaml.safe_dump(cm, open(a.out_configmap, "w"), sort_keys=False)


def one(docs, kind):
    found = [d for d in docs if d.get("kind") == kind]
    if len(found) != 1:
        sys.exit(f"pod-from-daemonset: expected one {kind} in the manifest, found {len(found)}")
    return found[0]


if __name__ == "__main__":
    main()
