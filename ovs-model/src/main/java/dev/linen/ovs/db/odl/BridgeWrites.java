package dev.linen.ovs.db.odl;

import static dev.linen.ovs.db.odl.Snapshot.get;
import static org.opendaylight.ovsdb.lib.operations.Operations.op;

import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsdbConflictException;
import dev.linen.ovs.db.OvsdbTransactionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.ovsdb.lib.notation.Mutator;
import org.opendaylight.ovsdb.lib.notation.Row;
import org.opendaylight.ovsdb.lib.notation.UUID;
import org.opendaylight.ovsdb.lib.operations.Insert;
import org.opendaylight.ovsdb.lib.operations.Mutate;
import org.opendaylight.ovsdb.lib.operations.Operation;
import org.opendaylight.ovsdb.lib.operations.OperationResult;
import org.opendaylight.ovsdb.lib.operations.Update;
import org.opendaylight.ovsdb.lib.schema.GenericTableSchema;

/** Plans the operations that take a {@link Snapshot} to the desired state. Pure: no I/O. */
final class BridgeWrites {
    private static final UUID NEW_BRIDGE = new UUID("linen_bridge");
    private static final UUID NEW_PORT = new UUID("linen_port");
    private static final UUID NEW_IFACE = new UUID("linen_iface");
    private static final long CONTROLLER_MAX_BACKOFF_MS = 1000;
    private static final UUID NEW_CONTROLLER = new UUID("linen_controller");

    private final Tables t;

    BridgeWrites(Tables t) {
        this.t = t;
    }

    List<Operation> ensureBridge(Snapshot s, BridgeSpec spec) {
        if (s.bridge().isEmpty()) {
            return createBridge(spec);
        }
        Row<GenericTableSchema> b = s.bridge().get();
        List<Operation> ops = new ArrayList<>();
        Update<GenericTableSchema> update = op.update(t.bridge);
        boolean changed = false;
        if (!get(b, t.bridgeDatapathType).orElse("").equals(spec.datapathType())) {
            update.set(t.bridgeDatapathType, spec.datapathType());
            changed = true;
        }
        if (spec.failMode().isPresent() && !get(b, t.bridgeFailMode).orElse(Set.of()).equals(Set.of(spec.failMode().get()))) {
            update.set(t.bridgeFailMode, Set.of(spec.failMode().get()));
            changed = true;
        }
        if (!spec.protocols().isEmpty() && !get(b, t.bridgeProtocols).orElse(Set.of()).equals(spec.protocols())) {
            update.set(t.bridgeProtocols, spec.protocols());
            changed = true;
        }
        Map<String, String> ids = new HashMap<>(get(b, t.bridgeExternalIds).orElse(Map.of()));
        if (!ids.entrySet().containsAll(spec.externalIds().entrySet())) {
            ids.putAll(spec.externalIds());
            update.set(t.bridgeExternalIds, ids);
            changed = true;
        }
        if (spec.controller().isPresent() && !s.controllerTargets(t).equals(List.of(spec.controller().get()))) {
            ops.add(insertController(spec.controller().get(), NEW_CONTROLLER));
            update.set(t.bridgeController, Set.of(NEW_CONTROLLER));
            changed = true;
        }
        if (changed) {
            ops.add(update.where(t.bridgeUuid.opEqual(get(b, t.bridgeUuid).orElseThrow())).build());
        }
        return ops;
    }

    /** The columns of an existing bridge that differ from {@code want}, set to it (see OvsDatabase). */
    List<Operation> updateBridge(Snapshot s, BridgeInfo want) {
        Row<GenericTableSchema> b = s.bridge().orElseThrow(
                () -> new OvsdbTransactionException("no bridge " + want.name() + " to update"));
        List<Operation> ops = new ArrayList<>();
        Update<GenericTableSchema> update = op.update(t.bridge);
        boolean changed = false;
        if (!get(b, t.bridgeDatapathType).orElse("").equals(want.datapathType())) {
            update.set(t.bridgeDatapathType, want.datapathType());
            changed = true;
        }
        Set<String> failMode = want.failMode().map(Set::of).orElse(Set.of());
        if (!get(b, t.bridgeFailMode).orElse(Set.of()).equals(failMode)) {
            update.set(t.bridgeFailMode, failMode);
            changed = true;
        }
        if (!get(b, t.bridgeProtocols).orElse(Set.of()).equals(want.protocols())) {
            update.set(t.bridgeProtocols, want.protocols());
            changed = true;
        }
        if (!get(b, t.bridgeExternalIds).orElse(Map.of()).equals(want.externalIds())) {
            update.set(t.bridgeExternalIds, want.externalIds());
            changed = true;
        }
        List<String> targets = want.controllers().stream().sorted().toList();
        if (!s.controllerTargets(t).equals(targets)) {
            Set<UUID> ids = new java.util.HashSet<>();
            for (int i = 0; i < targets.size(); i++) {
                UUID id = new UUID(NEW_CONTROLLER + "_" + i);
                ops.add(insertController(targets.get(i), id));
                ids.add(id);
            }
            update.set(t.bridgeController, ids);
            changed = true;
        }
        if (changed) {
            ops.add(update.where(t.bridgeUuid.opEqual(get(b, t.bridgeUuid).orElseThrow())).build());
        }
        return ops;
    }

    private List<Operation> createBridge(BridgeSpec spec) {
        List<Operation> ops = new ArrayList<>();
        ops.add(insertInterface(spec.name(), "internal", Map.of(), NEW_IFACE));
        ops.add(insertPort(spec.name(), false, NEW_PORT, NEW_IFACE));
        Insert<GenericTableSchema> br = op.insert(t.bridge).withId(NEW_BRIDGE.toString())
                .value(t.bridgeName, spec.name())
                .value(t.bridgeDatapathType, spec.datapathType())
                .value(t.bridgePorts, Set.of(NEW_PORT));
        spec.failMode().ifPresent(m -> br.value(t.bridgeFailMode, Set.of(m)));
        if (!spec.protocols().isEmpty()) {
            br.value(t.bridgeProtocols, spec.protocols());
        }
        if (!spec.externalIds().isEmpty()) {
            br.value(t.bridgeExternalIds, spec.externalIds());
        }
        if (spec.controller().isPresent()) {
            ops.add(insertController(spec.controller().get(), NEW_CONTROLLER));
            br.value(t.bridgeController, Set.of(NEW_CONTROLLER));
        }
        ops.add(br);
        // no "where": the one Open_vSwitch row
        ops.add(op.mutate(t.ovs).addMutation(t.ovsBridges, Mutator.INSERT, Set.of(NEW_BRIDGE)));
        return ops;
    }

    /** A port with one interface of {@code type} with exactly {@code options}. */
    record PortSpec(String name, String type, Map<String, String> options, boolean splitHorizon) {
    }

    /**
     * Operations that make the port exist as specified (none if it already does). {@code n} makes
     * the rows' names unique when several ports go into one transaction.
     */
    List<Operation> ensurePort(Snapshot s, String bridge, PortSpec want, int n) {
        Row<GenericTableSchema> b = s.bridge().orElseThrow(
                () -> new OvsdbTransactionException("no bridge " + bridge + " for port " + want.name()));
        var existing = s.port(t, want.name());
        if (existing.isEmpty()) {
            if (s.portNameTaken(t, want.name())) {
                throw new OvsdbTransactionException("port " + want.name() + " exists on another bridge");
            }
            UUID iface = new UUID(NEW_IFACE + "_" + n);
            UUID port = new UUID(NEW_PORT + "_" + n);
            Mutate<GenericTableSchema> attach = op.mutate(t.bridge);
            attach.addMutation(t.bridgePorts, Mutator.INSERT, Set.of(port));
            return List.of(insertInterface(want.name(), want.type(), want.options(), iface),
                    insertPort(want.name(), want.splitHorizon(), port, iface),
                    attach.where(t.bridgeUuid.opEqual(get(b, t.bridgeUuid).orElseThrow())).build());
        }
        Row<GenericTableSchema> port = existing.get();
        Row<GenericTableSchema> iface = s.firstInterface(t, port).orElseThrow(
                () -> new OvsdbConflictException("port " + want.name() + " has no interface yet"));
        List<Operation> ops = new ArrayList<>();
        if (!get(iface, t.ifaceType).orElse("").equals(want.type())
                || !get(iface, t.ifaceOptions).orElse(Map.of()).equals(want.options())) {
            ops.add(op.update(t.iface).set(t.ifaceType, want.type()).set(t.ifaceOptions, want.options())
                    .where(t.ifaceUuid.opEqual(get(iface, t.ifaceUuid).orElseThrow())).build());
        }
        if (get(port, t.portProtected).orElse(false) != want.splitHorizon()) {
            ops.add(op.update(t.port).set(t.portProtected, want.splitHorizon())
                    .where(t.portUuid.opEqual(get(port, t.portUuid).orElseThrow())).build());
        }
        return ops;
    }

    private Operation insertInterface(String name, String type, Map<String, String> options, UUID id) {
        Insert<GenericTableSchema> i = op.insert(t.iface).withId(id.toString())
                .value(t.ifaceName, name).value(t.ifaceType, type);
        if (!options.isEmpty()) {
            i.value(t.ifaceOptions, options);
        }
        return i;
    }

    private Operation insertPort(String name, boolean splitHorizon, UUID id, UUID iface) {
        return op.insert(t.port).withId(id.toString()).value(t.portName, name)
                .value(t.portInterfaces, Set.of(iface)).value(t.portProtected, splitHorizon);
    }

    /**
     * A controller row. Out-of-band, because the controller is on this host (in-band control would
     * add hidden flows for it); reconnect backoff at most 1 s, so a restarted controller is found fast.
     */
    private Operation insertController(String target, UUID id) {
        return op.insert(t.controller).withId(id.toString()).value(t.controllerTarget, target)
                .value(t.controllerConnectionMode, Set.of("out-of-band"))
                .value(t.controllerMaxBackoff, Set.of(CONTROLLER_MAX_BACKOFF_MS));
    }

    /** An update or mutate that matched no row planned against a row that changed meanwhile. */
    void checkCounts(List<OperationResult> results, List<Operation> ops) {
        for (int i = 0; i < ops.size(); i++) {
            String kind = ops.get(i).getOp();
            if ((kind.equals("update") || kind.equals("mutate")) && results.get(i).getCount() == 0) {
                throw new OvsdbConflictException(kind + " on " + ops.get(i).getTable() + " matched no row");
            }
        }
    }
}
