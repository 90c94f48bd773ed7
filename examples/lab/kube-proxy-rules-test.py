#!/usr/bin/env python3
"""Tests of kube-proxy-rules.py against expectations written by hand: chain names kube-proxy is
known to give (default/kubernetes:https is KUBE-SVC-NPX46M4PTMTKRN6Y in every cluster, kube-dns's
dns/udp KUBE-SVC-TCOU7JCQXEZGVUNU), the statistic rules for three endpoints, bad input refused.
Prints "N passed, N failed"; exits 1 on a failure."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "kube-proxy-rules.py")


def run(doc):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    try:
        return subprocess.run([sys.executable, TOOL, f.name], capture_output=True, text=True, timeout=20)
    finally:
        os.unlink(f.name)


def service(**over):
    svc = {"namespace": "default", "name": "kubernetes", "clusterIP": "10.96.0.1",
           "ports": [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": 6443}],
           "endpoints": [{"ip": "10.99.0.250", "node": "n1"}]}
    svc.update(over)
    return {"clusterCidr": "10.244.0.0/16", "services": [svc]}


class Rules(unittest.TestCase):
    def test_the_kubernetes_service_has_kube_proxys_chain_names(self):
        r = run(service())
        self.assertEqual(0, r.returncode, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn('-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp'
                      ' -d 10.96.0.1/32 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y', lines)
        self.assertIn('-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https cluster IP"'
                      ' -m tcp -p tcp -d 10.96.0.1/32 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ', lines)
        self.assertIn("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000", lines)
        self.assertIn("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN", lines)
        # one endpoint: no statistic match
        sep = [l for l in lines if l.startswith("-A KUBE-SVC-NPX46M4PTMTKRN6Y") and "-j KUBE-SEP-" in l]
        self.assertEqual(1, len(sep), lines)
        self.assertNotIn("statistic", sep[0])
        self.assertEqual("COMMIT", lines[-1])

    def test_kube_dns_udp_and_three_endpoints_share_the_traffic(self):
        doc = service(namespace="kube-system", name="kube-dns", clusterIP="10.96.0.10",
                      ports=[{"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 53, "nodePort": 30053}],
                      endpoints=[{"ip": "10.244.1.2", "node": "n1"}, {"ip": "10.244.2.2", "node": "n2"},
                                 {"ip": "10.244.3.2", "node": "n3"}])
        r = run(doc)
        self.assertEqual(0, r.returncode, r.stderr)
        lines = r.stdout.splitlines()
        jumps = [l for l in lines if l.startswith("-A KUBE-SVC-TCOU7JCQXEZGVUNU") and "-j KUBE-SEP-" in l]
        self.assertEqual(3, len(jumps), lines)
        self.assertIn("--probability 0.3333333333 -j KUBE-SEP-", jumps[0])
        self.assertIn("--probability 0.5000000000 -j KUBE-SEP-", jumps[1])
        self.assertNotIn("statistic", jumps[2])
        self.assertIn('-A KUBE-NODEPORTS -m comment --comment kube-system/kube-dns:dns -m udp -p udp --dport 30053'
                      ' -j KUBE-EXT-TCOU7JCQXEZGVUNU', lines)
        self.assertIn("-A KUBE-EXT-TCOU7JCQXEZGVUNU -j KUBE-SVC-TCOU7JCQXEZGVUNU", lines)
        self.assertIn("-m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination"
                      " 10.244.3.2:53", lines[lines.index(jumps[2]) + 2])
        # the node-ports jump stays the last rule of KUBE-SERVICES
        services = [l for l in lines if l.startswith("-A KUBE-SERVICES")]
        self.assertTrue(services[-1].endswith("-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"), services)

    def test_bad_input_is_refused_with_nothing_written(self):
        for doc, says in [
            (service(clusterIP="10.96.0.1; -j DROP"), "clusterIP must be an IPv4 address"),
            (service(ports=[{"protocol": "SCTP", "port": 1, "targetPort": 1}]), "protocol must be TCP or UDP"),
            (service(ports=[{"protocol": "TCP", "port": 80, "targetPort": 80, "nodePort": 80}]), "nodePort must be"),
            (service(endpoints=[]), "endpoints must be a non-empty list"),
            (service(sessionAffinity="ClientIP"), "not supported here: sessionAffinity"),
            (service(endpoints=[{"ip": "10.244.1.2", "node": "n1"}, {"ip": "10.244.1.2", "node": "n1"}]),
             "endpoint given twice"),
        ]:
            r = run(doc)
            self.assertEqual(2, r.returncode, says)
            self.assertEqual("", r.stdout, says)
            self.assertIn(says, r.stderr)


if __name__ == "__main__":
    result = unittest.TextTestRunner(verbosity=0).run(unittest.defaultTestLoader.loadTestsFromTestCase(Rules))
    bad = len(result.failures) + len(result.errors)
    print("kube-proxy-rules: %d passed, %d failed" % (result.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
