package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CNI_* variables as read from an environ block. */
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
}
