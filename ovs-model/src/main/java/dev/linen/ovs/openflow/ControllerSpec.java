package dev.linen.ovs.openflow;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Where and how the controller listens.
 *
 * @param address     a specific local address (loopback for flaxd), never the wildcard address
 * @param idleTimeout after this long without a message from a switch, it is sent an echo request
 *                    and disconnected if it does not answer
 * @param maxInFlight flow mods sent but not yet covered by an answered barrier, per switch
 */
public record ControllerSpec(InetSocketAddress address, Duration idleTimeout, int maxInFlight) {
    public ControllerSpec {
        if (address.isUnresolved() || address.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("controller must listen on a specific address: " + address);
        }
        if (idleTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("idle timeout too short: " + idleTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
    }

    public static ControllerSpec on(InetSocketAddress address) {
        return new ControllerSpec(address, Duration.ofSeconds(15), 1024);
    }
}
