package dev.linen.flaxd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.linen.flaxd.cluster.NodeRules.Verdict;
import dev.linen.flaxd.cluster.Rejection.Reason;
import dev.linen.ovs.flow.Ipv4Prefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeRulesTest {
    private static final Ipv4Prefix CLUSTER = Ipv4Prefix.parse("10.244.0.0/16");

    static Node node(String name, List<String> cidrs, List<String> ips) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDRs(cidrs).endSpec();
        var status = b.withNewStatus();
        for (String ip : ips) {
            status = status.addNewAddress().withType("InternalIP").withAddress(ip).endAddress();
        }
        return status.addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus().build();
    }

    @Test
    void aGoodNodeIsAPeer() {
        Verdict v = NodeRules.check(node("n2", List.of("10.244.2.0/24", "fd00:2::/64"), List.of("fd00::12", "10.99.0.12")),
                CLUSTER);
        assertEquals(new Verdict.Usable(new Peer("n2", List.of("10.244.2.0/24", "fd00:2::/64"), "10.99.0.12")), v);
    }

    @Test
    void aNodeWithoutPodCidrOrAddressIsWaitedFor() {
        assertEquals(new Verdict.Waiting("n2"), NodeRules.check(node("n2", List.of(), List.of("10.99.0.12")), CLUSTER));
        assertEquals(new Verdict.Waiting("n2"), NodeRules.check(node("n2", List.of("10.244.2.0/24"), List.of()), CLUSTER));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "10.244.50.0/33; 10.99.0.50; MALFORMED_POD_CIDR",
        "abc; 10.99.0.50; MALFORMED_POD_CIDR",
        "10.244.50.7/24; 10.99.0.50; MALFORMED_POD_CIDR",
        "10.244.50.0; 10.99.0.50; MALFORMED_POD_CIDR",
        "fd00:zz::/64; 10.99.0.50; MALFORMED_POD_CIDR",
        "fd00:50::/64; 10.99.0.50; NO_IPV4_POD_CIDR",
        "10.245.50.0/24; 10.99.0.50; OUTSIDE_CLUSTER_CIDR",
        "10.244.0.0/16; 10.99.0.50; OUTSIDE_CLUSTER_CIDR",
        "10.0.0.0/8; 10.99.0.50; OUTSIDE_CLUSTER_CIDR",
        "10.244.50.0/24; fd00::50; NO_IPV4_INTERNAL_IP",
        "10.244.50.0/24; 10.99.0.300; MALFORMED_INTERNAL_IP",
        "10.244.50.0/24; node-50.example; MALFORMED_INTERNAL_IP",
    })
    void badFieldsAreRejectedWithTheirReason(String cidr, String ip, Reason reason) {
        Verdict v = NodeRules.check(node("n50", List.of(cidr), List.of(ip)), CLUSTER);
        Verdict.Rejected r = assertInstanceOf(Verdict.Rejected.class, v);
        assertEquals("n50", r.rejection().node());
        assertEquals(reason, r.rejection().reason());
    }

    @Test
    void theOldSinglePodCidrFieldIsRead() {
        Node n = new NodeBuilder().withNewMetadata().withName("n3").endMetadata().withNewSpec()
                .withPodCIDR("10.244.3.0/24").endSpec().withNewStatus().addNewAddress().withType("InternalIP")
                .withAddress("10.99.0.13").endAddress().endStatus().build();
        assertEquals(new Verdict.Usable(new Peer("n3", List.of("10.244.3.0/24"), "10.99.0.13")),
                NodeRules.check(n, CLUSTER));
    }
}
