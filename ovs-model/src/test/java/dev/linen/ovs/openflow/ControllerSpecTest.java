package dev.linen.ovs.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ControllerSpecTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6653);
    private static final Supplier<OptionalLong> DPID = () -> OptionalLong.of(1);

    @Test
    void theSwitchIsRootUnlessNamed() {
        assertEquals(OptionalInt.of(0), ControllerSpec.on(LOOPBACK, DPID).switchUid().get());
        assertEquals(OptionalInt.of(0), new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofSeconds(5), 10)
                .switchUid().get());
        assertEquals(OptionalInt.of(997), ControllerSpec.on(LOOPBACK, DPID, () -> OptionalInt.of(997)).switchUid().get());
        ControllerSpec s = ControllerSpec.on(LOOPBACK, DPID, () -> OptionalInt.of(997));
        assertEquals(Duration.ofSeconds(5), s.handshakeTimeout());
        assertEquals(1024, s.maxInFlight());
    }

    @Test
    void aMissingUidSupplierIsRefused() {
        var e = assertThrows(NullPointerException.class, () -> ControllerSpec.on(LOOPBACK, DPID, null));
        assertEquals("switchUid", e.getMessage());
    }

    @Test
    void theOtherComponentsAreStillChecked() {
        assertThrows(IllegalArgumentException.class, () -> ControllerSpec.on(new InetSocketAddress(6653), DPID));
        assertThrows(NullPointerException.class, () -> ControllerSpec.on(LOOPBACK, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofMillis(10), 10));
        assertThrows(IllegalArgumentException.class,
                () -> new ControllerSpec(LOOPBACK, DPID, Duration.ofSeconds(15), Duration.ofSeconds(5), 0));
    }
}
