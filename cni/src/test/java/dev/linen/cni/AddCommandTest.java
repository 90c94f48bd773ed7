package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The setup fingerprint: the string a setup record holds, so its format must not drift. */
class AddCommandTest {
    @Test
    void peersAreKeptSortedWithoutDuplicates() {
        List<String> peers = new ArrayList<>();
        for (String p : List.of("vxif10_0_0_3=10.0.0.3", "vxif10_0_0_1=10.0.0.1", "vxif10_0_0_3=10.0.0.3",
                "vxif10_0_0_2=10.0.0.2")) {
            AddCommand.insertSorted(peers, p);
        }
        assertEquals(List.of("vxif10_0_0_1=10.0.0.1", "vxif10_0_0_2=10.0.0.2", "vxif10_0_0_3=10.0.0.3"), peers);
    }

    @Test
    void theFingerprintOfUnsortedRepeatedPeersIsTheOneRecordsHold() throws CniException {
        NetConf conf = NetConfLoader.load("""
                {"cniVersion":"1.0.0","name":"n","type":"linen","datapathType":"netdev","mtu":1450,
                 "runtimeConfig":{"ovs":{"isMaster":true,"ovsBridge":"br0",
                   "vtepIPs":["10.0.0.3","10.0.0.1","10.0.0.3","10.0.0.2"]}}}
                """);
        assertEquals("v1|br0|netdev|true|-|1450|kbr0|vxif10_0_0_1=10.0.0.1,vxif10_0_0_2=10.0.0.2,vxif10_0_0_3=10.0.0.3",
                AddCommand.fingerprint(conf.ovs(), "kbr0"));
    }
}
