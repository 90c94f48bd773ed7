package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.bridges;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static dev.linen.cni.it.NodeFixture.ports;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 20 pods added at once on a fresh node: one bridge, one attachment, no errors. */
class ParallelAddIT {
    private static final int PODS = 20;

    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private CniNode node;

    @AfterEach
    void cleanUp() {
        node.close();
    }

    @Test
    void twentyParallelAddsOnAFreshNode() throws Exception {
        node = NodeFixture.node(OVS);
        Path conf = node.write("par.conflist", Conflists.bridgeAndLinen(node, new Conflists.Spec("1.0.0", "kpar", 60, "",
                "\"ovsBridge\":\"brpar\",\"vtepIPs\":[\"10.99.0.12\"],\"controller\":\"127.0.0.1:6653\",\"mtu\":1400")));
        List<String> pods = IntStream.range(0, PODS).mapToObj(i -> node.pod("p" + i)).toList();
        List<Proc> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(PODS)) {
            List<Future<Proc>> futures = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                String pod = pods.get(i);
                String id = "par-" + i;
                futures.add(pool.submit(() -> node.cnicall("add", conf, pod, id)));
            }
            for (Future<Proc> f : futures) {
                results.add(f.get());
            }
        }
        for (Proc p : results) {
            assertEquals(0, p.exit(), p.describe());
        }
        assertEquals(List.of("brpar"), bridges(node));
        assertEquals(List.of("vxif10_99_0_12"), ports(node, "brpar"));
        assertEquals("kpar", masterOf(node, "brpar"));
        assertEquals("1400", node.exec("cat", "/sys/class/net/brpar/mtu").stdout().trim(), "mtu applied to the OVS port");
        assertEquals(1, NodeFixture.vsctl(node, "--columns=target", "list", "controller").lines()
                .filter(l -> l.startsWith("target")).count(), "exactly one controller row");
        long veths = node.exec("ls", "/sys/class/net/kpar/brif").stdout().lines().count();
        assertEquals(PODS + 1, veths, "20 pod veths and the OVS port in the Linux bridge");
    }
}
