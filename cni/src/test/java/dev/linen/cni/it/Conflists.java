package dev.linen.cni.it;

import java.nio.file.Path;

/** Conflists for tests: the reference bridge (+ host-local) followed by linen, Linen-style. */
final class Conflists {
    private Conflists() {
    }

    /**
     * @param linenTop extra top-level keys for linen (JSON members, may be empty)
     * @param ovs      members of {@code runtimeConfig.ovs}
     */
    record Spec(String version, String linuxBridge, int nodeOctet, String linenTop, String ovs) {
    }

    static String bridgeAndLinen(CniNode node, Spec s) {
        return """
            {"cniVersion":"%s","name":"linen-test","plugins":[
              {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,"mtu":1450,
               "ipam":{"type":"host-local","subnet":"10.244.0.0/16","rangeStart":"10.244.%d.10",
                       "rangeEnd":"10.244.%d.150","gateway":"10.244.%d.1","dataDir":"%s",
                       "routes":[{"dst":"0.0.0.0/0"}]}},
              {"type":"linen","ovsdb":"%s","datapathType":"netdev","stateDir":"%s"%s,
               "runtimeConfig":{"ovs":{%s}}}]}
            """.formatted(s.version(), s.linuxBridge(), s.nodeOctet(), s.nodeOctet(), s.nodeOctet(),
                node.ipamData(), node.socket, node.state(), s.linenTop().isEmpty() ? "" : "," + s.linenTop(),
                s.ovs());
    }

    /** A single linen plugin config (for running the plugin directly), with a prevResult. */
    static String linenOnly(String version, Path socket, Path state, String extra, String prevResult) {
        return """
            {"cniVersion":"%s","name":"linen-test","type":"linen","ovsdb":"%s","datapathType":"netdev",
             "stateDir":"%s"%s%s}
            """.formatted(version, socket, state, extra.isEmpty() ? "" : "," + extra,
                prevResult.isEmpty() ? "" : ",\"prevResult\":" + prevResult);
    }
}
