package dev.linen.ovs.db;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operations Linen needs from an OVSDB server (the Open_vSwitch database).
 *
 * <p>Contract for every mutating method: idempotent (calling it again with the same arguments
 * changes nothing and succeeds), all-or-nothing (one OVSDB transaction; on failure nothing is
 * changed), and safe to race with other processes doing the same (the transaction is guarded
 * so a concurrent writer makes it fail with {@link OvsdbConflictException}, never duplicate rows).
 * Implementations are thread-safe. Failures are typed {@link OvsdbException}s, never null/false.
 */
public interface OvsDatabase extends AutoCloseable {

    /**
     * Makes the bridge exist with the given settings. Columns the spec leaves empty are not
     * touched on an existing bridge. If {@code spec.controller()} is present the bridge ends with
     * exactly that one controller row.
     */
    void ensureBridge(BridgeSpec spec);

    /**
     * Makes an existing bridge's {@code datapath_type}, {@code fail_mode}, {@code protocols},
     * {@code external_ids} (exactly these keys) and controllers (exactly these targets, in any
     * order) what {@code want} says: how a caller puts back a {@link BridgeInfo} it read before
     * changing the bridge. Writes only the columns that differ (nothing when none does); replaced
     * controllers are new rows with Linen's connection settings (out-of-band, 1 s max backoff), so
     * other Controller columns of the old rows are not kept. Fails if the bridge does not exist.
     */
    void updateBridge(BridgeInfo want);

    /**
     * Asks ovs-vswitchd to confirm that it has applied the database as it is now: increments
     * {@code Open_vSwitch.next_cfg} and returns the new value, which ovs-vswitchd copies to
     * {@code cur_cfg} once it has reconfigured (see {@link #configApplied}). Not idempotent by
     * nature (each call asks again); harmless to repeat.
     */
    long requestConfig();

    /** Whether ovs-vswitchd has applied configuration {@code cfg} ({@code cur_cfg >= cfg}). Read-only. */
    boolean configApplied(long cfg);

    /**
     * What ovs-vswitchd wrote in the interface's {@code error} column (why it could not set the
     * interface up); empty when the column is empty or there is no such interface. Read-only.
     */
    Optional<String> interfaceError(String iface);

    /** Makes an internal port (port + interface of type internal) exist on the bridge. */
    void ensureInternalPort(String bridge, String port);

    /** Makes a VXLAN port exist on the bridge with exactly the spec's options. */
    void ensureVxlanPort(String bridge, VxlanPortSpec spec);

    /** Removes the bridge with its ports; succeeds if it is already gone. */
    void deleteBridge(String bridge);

    /**
     * Makes all these VXLAN ports exist as specified, in one transaction (none if nothing differs):
     * what a node with many peers needs at start.
     */
    void ensureVxlanPorts(String bridge, java.util.List<VxlanPortSpec> specs);

    /** Removes these ports from the bridge in one transaction; missing ones are fine. */
    void deletePorts(String bridge, java.util.Collection<String> ports);

    /** Removes the port from the bridge; succeeds if the port or the bridge is already gone. */
    void deletePort(String bridge, String port);

    /** The bridge as stored, or empty when there is no such bridge. Read-only. */
    Optional<BridgeInfo> bridge(String name);

    /**
     * The bridge's OpenFlow datapath id, as ovs-vswitchd reports it in {@code Bridge.datapath_id}
     * (16 hex digits, what a switch sends in its features reply). Empty when there is no such bridge
     * or ovs-vswitchd has not set it yet. Read-only: one transaction reading one column of one row.
     */
    OptionalLong datapathId(String bridge);

    /** The ports of the bridge with their interfaces' types and options; empty if no bridge. */
    List<PortInfo> listPorts(String bridge);

    /** The OpenFlow port number OVS assigned to the port's interface, once it has one. */
    Optional<Integer> ofport(String port);

    /** Transactions sent on this session so far (reads and writes), for metrics. */
    long transactions();

    /** Closes the session. Idempotent. */
    @Override
    void close();
}
