package dev.linen.ovs.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"br0", "kbr0", "vxif10_245_2_3", "a", "br-int", "eth0.100", "x23456789012345"})
    void validInterfaceNames(String name) {
        assertTrue(Names.isInterfaceName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "br 0", "br/0", "br:0", "x234567890123456", "-br", "br0;", "br\u00e9"})
    void invalidInterfaceNames(String name) {
        assertFalse(Names.isInterfaceName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:127.0.0.1:6653", "ssl:10.0.0.1:6653", "tcp:[::1]:6653", "unix:/run/flaxd/of.sock",
        "punix:/var/run/x.sock"})
    void validTargets(String t) {
        assertEquals(t, Names.requireControllerTarget(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:6653", "tcp:127.0.0.1", "tcp:127.0.0.1:70000", "tcp:1.2.3.4:66a", "unix:rel/x",
        "tcp:a b:1", "unix:/x;rm"})
    void invalidTargets(String t) {
        assertThrows(IllegalArgumentException.class, () -> Names.requireControllerTarget(t));
    }
}
