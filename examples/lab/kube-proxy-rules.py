#!/usr/bin/env python3
"""Writes the iptables rules kube-proxy's iptables mode would write for some Services.

kube-proxy itself cannot be installed here (Debian ships no kube-proxy package and nothing else
may be downloaded), so the labs cannot run it. This is the shape of the rules it writes, so that
Linen's Services checks exercise the same netfilter path a cluster does:

  nat:    PREROUTING, OUTPUT -> KUBE-SERVICES
          KUBE-SERVICES: per service port "-d CLUSTER_IP --dport P -j KUBE-SVC-<hash>", and last
                         "-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"
          KUBE-SVC-<hash>: "! -s CLUSTER_CIDR -j KUBE-MARK-MASQ", then one jump per endpoint to
                         KUBE-SEP-<hash>, each but the last with
                         "-m statistic --mode random --probability 1/(endpoints left)"
          KUBE-SEP-<hash>: "-s ENDPOINT -j KUBE-MARK-MASQ" (hairpin), "-j DNAT --to-destination"
          KUBE-NODEPORTS: "--dport NODE_PORT -j KUBE-EXT-<hash>"; KUBE-EXT-<hash> marks the packet
                         for masquerade and jumps to KUBE-SVC-<hash> (externalTrafficPolicy Cluster)
          KUBE-MARK-MASQ: "-j MARK --or-mark 0x4000"
          POSTROUTING -> KUBE-POSTROUTING: unmarked RETURN, clear the mark, MASQUERADE --random-fully
  filter: FORWARD -> KUBE-FORWARD: INVALID dropped, marked and ESTABLISHED/RELATED accepted

Chain names are kube-proxy's: "KUBE-SVC-"/"KUBE-EXT-" and the first 16 characters of base32(sha256(
"namespace/name:port" + protocol)), "KUBE-SEP-" the same over ... + protocol + "ip:port". What is
not written: session affinity, externalTrafficPolicy/internalTrafficPolicy Local, load balancers,
external IPs, REJECT for services without endpoints, IPv6. Input it cannot express is refused.

  kube-proxy-rules.py SERVICES.json     prints iptables-restore input (apply with --noflush, once:
                                        the jumps from the built-in chains are inserted, where
                                        kube-proxy checks each with -C first)

SERVICES.json: {"clusterCidr": "10.244.0.0/16", "services": [{"namespace": "default",
  "name": "web", "clusterIP": "10.96.0.10", "ports": [{"name": "http", "protocol": "TCP",
  "port": 80, "targetPort": 8080, "nodePort": 30080}], "endpoints": [{"ip": "10.244.1.5",
  "node": "node-1"}]}]}   (name and nodePort of a port are optional; an endpoint's node is where it
  runs: kube-proxy's rules for traffic policy Cluster do not depend on it, the lab reads it to say
  which path a check takes)

Bad input: a message on stderr, exit 2, nothing on stdout.
"""
import base64
import hashlib
import ipaddress
import json
import re
import sys

MASQ_MARK = "0x4000"
NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


class BadInput(Exception):
    pass


def chain_hash(text):
    """kube-proxy's hash: base32 of the SHA-256 of text, first 16 characters."""
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:16]


def service_port_name(svc, port):
    return "%s/%s%s" % (svc["namespace"], svc["name"], ":" + port["name"] if port.get("name") else "")


def ipv4(what, text):
    try:
        return str(ipaddress.IPv4Address(text))
    except (ipaddress.AddressValueError, ValueError, TypeError):
        raise BadInput("%s must be an IPv4 address: %r" % (what, text))


def port_number(what, value, low=1, high=65535):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadInput("%s must be a number from %d to %d: %r" % (what, low, high, value))
    return value


def name(what, text):
    if not isinstance(text, str) or not NAME.match(text):
        raise BadInput("%s must be a DNS label: %r" % (what, text))
    return text


def only_keys(what, obj, allowed):
    if not isinstance(obj, dict):
        raise BadInput("%s must be an object" % what)
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise BadInput("%s: not supported here: %s" % (what, ", ".join(unknown)))


def validate(doc):
    only_keys("input", doc, ["clusterCidr", "services"])
    try:
        cidr = str(ipaddress.IPv4Network(doc.get("clusterCidr")))
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError, TypeError):
        raise BadInput("clusterCidr must be an IPv4 network with no host bits: %r" % doc.get("clusterCidr"))
    if not isinstance(doc.get("services"), list) or not doc["services"]:
        raise BadInput("services must be a non-empty list")
    for svc in doc["services"]:
        validate_service(svc)
    unique("service", [(s["namespace"], s["name"]) for s in doc["services"]])
    unique("nodePort", [(p["protocol"], p["nodePort"]) for s in doc["services"] for p in s["ports"] if "nodePort" in p])
    return cidr


def validate_service(svc):
    only_keys("a service", svc, ["namespace", "name", "clusterIP", "ports", "endpoints"])
    name("namespace", svc.get("namespace"))
    name("service name", svc.get("name"))
    svc["clusterIP"] = ipv4("clusterIP", svc.get("clusterIP"))
    if not isinstance(svc.get("ports"), list) or not svc["ports"]:
        raise BadInput("%s: ports must be a non-empty list" % svc["name"])
    for p in svc["ports"]:
        only_keys("a port of " + svc["name"], p, ["name", "protocol", "port", "targetPort", "nodePort"])
        if "name" in p:
            name("port name", p["name"])
        if p.get("protocol") not in ("TCP", "UDP"):
            raise BadInput("%s: protocol must be TCP or UDP: %r" % (svc["name"], p.get("protocol")))
        port_number("port", p.get("port"))
        port_number("targetPort", p.get("targetPort"))
        if "nodePort" in p:
            port_number("nodePort", p["nodePort"], 30000, 32767)
    if not isinstance(svc.get("endpoints"), list) or not svc["endpoints"]:
        raise BadInput("%s: endpoints must be a non-empty list (REJECT rules are not written)" % svc["name"])
    for e in svc["endpoints"]:
        only_keys("an endpoint of " + svc["name"], e, ["ip", "node"])
        e["ip"] = ipv4("endpoint ip", e.get("ip"))
        if not isinstance(e.get("node"), str) or not re.match(r"^[a-z0-9][a-z0-9.-]{0,252}$", e["node"]):
            raise BadInput("endpoint node must be a node name: %r" % e.get("node"))
    unique(svc["name"] + ": port", [(p["protocol"], p["port"]) for p in svc["ports"]])
    unique(svc["name"] + ": port name", [p.get("name", "") for p in svc["ports"]])
    unique(svc["name"] + ": endpoint", [e["ip"] for e in svc["endpoints"]])


def unique(what, items):
    seen = set()
    for i in items:
        if i in seen:
            raise BadInput("%s given twice: %r" % (what, i))
        seen.add(i)


def quoted(text):
    """A comment as iptables-save writes it: bare when it has no space, else in double quotes."""
    return text if re.match(r"^[A-Za-z0-9_./:-]+$", text) else '"%s"' % text


def service_rules(svc, cidr, chains, nat, nodeports):
    for p in svc["ports"]:
        spn = service_port_name(svc, p)
        proto = p["protocol"].lower()
        svc_chain = "KUBE-SVC-" + chain_hash(spn + proto)
        match = "-m %s -p %s -d %s/32 --dport %d" % (proto, proto, svc["clusterIP"], p["port"])
        chains.append(svc_chain)
        nat.append("-A KUBE-SERVICES -m comment --comment %s %s -j %s"
                   % (quoted(spn + " cluster IP"), match, svc_chain))
        nat.append("-A %s -m comment --comment %s %s ! -s %s -j KUBE-MARK-MASQ"
                   % (svc_chain, quoted(spn + " cluster IP"), match, cidr))
        if "nodePort" in p:
            ext_chain = "KUBE-EXT-" + chain_hash(spn + proto)
            chains.append(ext_chain)
            nodeports.append("-A KUBE-NODEPORTS -m comment --comment %s -m %s -p %s --dport %d -j %s"
                             % (quoted(spn), proto, proto, p["nodePort"], ext_chain))
            nodeports.append("-A %s -m comment --comment %s -j KUBE-MARK-MASQ"
                             % (ext_chain, quoted("masquerade traffic for " + spn + " external destinations")))
            nodeports.append("-A %s -j %s" % (ext_chain, svc_chain))
        endpoints = svc["endpoints"]
        for i, e in enumerate(endpoints):
            target = "%s:%d" % (e["ip"], p["targetPort"])
            sep_chain = "KUBE-SEP-" + chain_hash(spn + proto + target)
            chains.append(sep_chain)
            left = len(endpoints) - i
            statistic = " -m statistic --mode random --probability %0.10f" % (1.0 / left) if left > 1 else ""
            nat.append("-A %s -m comment --comment %s%s -j %s"
                       % (svc_chain, quoted("%s -> %s" % (spn, target)), statistic, sep_chain))
            nat.append("-A %s -m comment --comment %s -s %s/32 -j KUBE-MARK-MASQ" % (sep_chain, quoted(spn), e["ip"]))
            nat.append("-A %s -m comment --comment %s -m %s -p %s -j DNAT --to-destination %s"
                       % (sep_chain, quoted(spn), proto, proto, target))


def rules(doc):
    cidr = validate(doc)
    chains = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]
    nat, nodeports = [], []
    for svc in doc["services"]:
        service_rules(svc, cidr, chains, nat, nodeports)
    out = ["*nat"] + [":%s - [0:0]" % c for c in chains]
    out += [
        '-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        "-A KUBE-POSTROUTING -m mark ! --mark %s/%s -j RETURN" % (MASQ_MARK, MASQ_MARK),
        "-A KUBE-POSTROUTING -j MARK --xor-mark %s" % MASQ_MARK,
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT"'
        " -j MASQUERADE --random-fully",
        "-A KUBE-MARK-MASQ -j MARK --or-mark %s" % MASQ_MARK,
    ]
    out += nat + nodeports
    out += ['-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last'
            ' rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', "COMMIT",
            "*filter", ":KUBE-FORWARD - [0:0]",
            '-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
            "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
            '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark %s/%s -j ACCEPT'
            % (MASQ_MARK, MASQ_MARK),
            '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule"'
            " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "COMMIT"]
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2:
        print("usage: kube-proxy-rules.py SERVICES.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            doc = json.load(f)
        text = rules(doc)
    except (OSError, ValueError, BadInput) as e:
        print("kube-proxy-rules: %s" % e, file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
