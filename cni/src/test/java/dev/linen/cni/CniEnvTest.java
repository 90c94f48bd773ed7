package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CNI_* variables as read from an environ block, and the fingerprint's peer order. */
class CniEnvTest {
    @Test
    void onlyCniVariablesTheFirstOfANameWinsAndValuesAreUtf8() {
        byte[] environ = ("PATH=/bin\0CNI_COMMAND=ADD\0CNI_COMMAND=DEL\0CNI_ARGS=K8S_POD_NAME=caf\u00e9\0"
                + "CNI_NOVALUE\0CNIX=1\0CNI_=x\0CNI_IFNAME=\0LANG=C\0CNI_PATH=/opt/cni/bin").getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("CNI_COMMAND", "ADD", "CNI_ARGS", "K8S_POD_NAME=caf\u00e9", "CNI_IFNAME", "",
                "CNI_PATH", "/opt/cni/bin", "CNI_", "x"), CniEnv.cniVariables(environ));
    }

    @Test
    void anEmptyEnvironmentHasNoVariables() {
        assertEquals(Map.of(), CniEnv.cniVariables(new byte[0]));
        assertEquals(Map.of(), CniEnv.cniVariables("\0\0".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void peersAreKeptSortedWithoutDuplicates() {
        List<String> peers = new ArrayList<>();
        for (String p : List.of("vx_10_0_0_3=10.0.0.3", "vx_10_0_0_1=10.0.0.1", "vx_10_0_0_3=10.0.0.3", "vx_10_0_0_2=10.0.0.2")) {
            AddCommand.insertSorted(peers, p);
        }
        assertEquals(List.of("vx_10_0_0_1=10.0.0.1", "vx_10_0_0_2=10.0.0.2", "vx_10_0_0_3=10.0.0.3"), peers);
    }
}
