package dev.linen.ovs.openflow;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Where and how the controller listens, and which switch it serves.
 *
 * <p>Admission: the controller serves one switch at a time, the bridge whose datapath id
 * {@code expectedDatapathId} names (flaxd reads it from OVSDB's {@code Bridge.datapath_id}). After
 * the handshake, a connection with another datapath id, or one arriving while the admitted switch
 * is still connected, is closed and never reaches the {@link SwitchListener}. While the supplier
 * is empty (the bridge has no datapath id yet) or throws, nothing is admitted. The supplier is
 * asked again until the handshake deadline, so a bridge that connects a moment before OVSDB
 * shows its datapath id is still admitted; it is called from the controller's own thread and may
 * block briefly (an OVSDB read).
 *
 * <p>The switch's process is checked too: the peer socket must belong to {@code switchUid} (the
 * user ovs-vswitchd runs as), read from the kernel's socket tables ({@code /proc/net/tcp},
 * {@code tcp6}) of the controller's network namespace. A connection from another user, or one
 * the tables do not show (ended, or from another namespace), is not admitted whatever datapath
 * id it claims, so no local process can pose as the bridge while the bridge is disconnected.
 *
 * @param address            a specific local address (loopback for flaxd), never the wildcard address
 * @param expectedDatapathId the datapath id of the one bridge this controller serves
 * @param idleTimeout        after this long without a message from a switch, it is sent an echo
 *                           request and disconnected if it does not answer
 * @param handshakeTimeout   a connection not admitted within this long after it was accepted (no
 *                           hello, no features reply, a foreign datapath id, the slot taken) is closed
 * @param maxInFlight        flow mods sent but not yet covered by an answered barrier, per switch
 * @param switchUid          the uid the switch's socket must belong to (0, root, unless
 *                           ovs-vswitchd runs as another user), asked at each admission like the
 *                           datapath id; while it is empty nothing is admitted
 */
public record ControllerSpec(InetSocketAddress address, Supplier<OptionalLong> expectedDatapathId,
                             Duration idleTimeout, Duration handshakeTimeout, int maxInFlight,
                             Supplier<OptionalInt> switchUid) {
    public ControllerSpec {
        if (address.isUnresolved() || address.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("controller must listen on a specific address: " + address);
        }
        Objects.requireNonNull(expectedDatapathId, "expectedDatapathId");
        if (idleTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("idle timeout too short: " + idleTimeout);
        }
        if (handshakeTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("handshake timeout too short: " + handshakeTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        Objects.requireNonNull(switchUid, "switchUid");
    }

    private static final Supplier<OptionalInt> ROOT = () -> OptionalInt.of(0);

    /** A switch that runs as root (uid 0). */
    public ControllerSpec(InetSocketAddress address, Supplier<OptionalLong> expectedDatapathId,
                          Duration idleTimeout, Duration handshakeTimeout, int maxInFlight) {
        this(address, expectedDatapathId, idleTimeout, handshakeTimeout, maxInFlight, ROOT);
    }

    /** flaxd's settings: 15 s idle probe, 5 s handshake, 1024 mods in flight; a switch running as root. */
    public static ControllerSpec on(InetSocketAddress address, Supplier<OptionalLong> expectedDatapathId) {
        return on(address, expectedDatapathId, ROOT);
    }

    /** flaxd's settings (see {@link #on(InetSocketAddress, Supplier)}) for a switch running as {@code switchUid}. */
    public static ControllerSpec on(InetSocketAddress address, Supplier<OptionalLong> expectedDatapathId,
                                    Supplier<OptionalInt> switchUid) {
        return new ControllerSpec(address, expectedDatapathId, Duration.ofSeconds(15), Duration.ofSeconds(5), 1024,
                switchUid);
    }
}
