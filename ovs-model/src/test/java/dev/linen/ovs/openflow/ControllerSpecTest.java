package dev.linen.ovs.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ControllerSpecTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6653);
    private static final Supplier<OptionalLong> DPID = () -> OptionalLong.of(1);

    @Test
    void theSwitchIsRootUnlessNamed() {
        assertEquals(0, ControllerSpec.on(LOOPBACK, DPID).switchUid());
        assertEquals(0, new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofSeconds(5), 10).switchUid());
        assertEquals(997, ControllerSpec.on(LOOPBACK, DPID, 997).switchUid());
        ControllerSpec s = ControllerSpec.on(LOOPBACK, DPID, 997);
        assertEquals(Duration.ofSeconds(5), s.handshakeTimeout());
        assertEquals(1024, s.maxInFlight());
    }

    @Test
    void aNegativeUidIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ControllerSpec.on(LOOPBACK, DPID, -1));
        assertEquals("switch uid must not be negative: -1", e.getMessage());
    }

    @Test
    void theOtherComponentsAreStillChecked() {
        assertThrows(IllegalArgumentException.class, () -> ControllerSpec.on(new InetSocketAddress(6653), DPID, 0));
        assertThrows(NullPointerException.class, () -> ControllerSpec.on(LOOPBACK, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofMillis(10), 10, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofSeconds(5), 0, 0));
    }
}
