package dev.linen.flaxd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What flaxd's API client keeps of a Node as the kubelet reports it, and what it skips. */
class NodeSerializationTest {
    private static final String NODE = """
            {"apiVersion":"v1","kind":"Node",
             "metadata":{"name":"node-7","creationTimestamp":"2026-11-30T10:00:00Z","resourceVersion":"42",
                         "labels":{"kubernetes.io/os":"linux"},
                         "managedFields":[{"manager":"kubelet","operation":"Update","fieldsType":"FieldsV1"}]},
             "spec":{"podCIDR":"10.244.7.0/24","podCIDRs":["10.244.7.0/24","fd00:7::/64"]},
             "status":{"addresses":[{"type":"InternalIP","address":"192.168.5.7"},{"type":"Hostname","address":"node-7"}],
                       "images":[{"names":["registry.k8s.io/pause:3.9"],"sizeBytes":321520}],
                       "conditions":[{"type":"Ready","status":"True"}],
                       "capacity":{"cpu":"2","memory":"4Gi"},"allocatable":{"cpu":"2"},
                       "nodeInfo":{"kubeletVersion":"v1.31.0"},"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
                       "volumesInUse":["v1"],"phase":"Running"}}
            """;

    @Test
    void keepsWhatFlaxdReads() {
        Node n = NodeSerialization.readOnly().unmarshal(NODE, Node.class);
        assertEquals("node-7", n.getMetadata().getName());
        assertEquals("2026-11-30T10:00:00Z", n.getMetadata().getCreationTimestamp());
        assertEquals("42", n.getMetadata().getResourceVersion());
        assertEquals("10.244.7.0/24", n.getSpec().getPodCIDR());
        assertEquals(List.of("10.244.7.0/24", "fd00:7::/64"), n.getSpec().getPodCIDRs());
        assertEquals(2, n.getStatus().getAddresses().size());
        assertEquals("192.168.5.7", n.getStatus().getAddresses().get(0).getAddress());
        assertEquals("InternalIP", n.getStatus().getAddresses().get(0).getType());
    }

    @Test
    void skipsTheBulk() {
        Node n = NodeSerialization.readOnly().unmarshal(NODE, Node.class);
        assertTrue(n.getStatus().getImages().isEmpty(), "images");
        assertTrue(n.getStatus().getConditions().isEmpty(), "conditions");
        assertTrue(n.getStatus().getCapacity().isEmpty(), "capacity");
        assertEquals(null, n.getStatus().getNodeInfo(), "nodeInfo");
        assertTrue(n.getMetadata().getManagedFields().isEmpty(), "managedFields");
        assertTrue(n.getStatus().getAdditionalProperties().isEmpty(), "nothing skipped lands in additionalProperties");
    }
}
