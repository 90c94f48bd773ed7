package dev.linen.ovs.db.odl;

import static org.opendaylight.ovsdb.lib.operations.Operations.op;

import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.Names;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsdbConflictException;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.db.PortInfo;
import dev.linen.ovs.db.VxlanPortSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.opendaylight.ovsdb.lib.notation.Row;
import org.opendaylight.ovsdb.lib.notation.UUID;
import org.opendaylight.ovsdb.lib.operations.Operation;
import org.opendaylight.ovsdb.lib.schema.GenericTableSchema;

/**
 * {@link OvsDatabase} on the OpenDaylight ovsdb library. Each mutating call reads a consistent
 * snapshot, computes the operations that close the gap (none when there is none), and commits them
 * as one transaction. OVSDB's unique name indexes turn a lost race into a constraint violation,
 * which is retried from a fresh snapshot a bounded number of times.
 */
public final class OdlOvsDatabase implements OvsDatabase {
    private static final int ATTEMPTS = 5;

    private final OdlSession session;
    private final Tables t;
    private final BridgeWrites writes;

    private OdlOvsDatabase(OdlSession session) {
        this.session = session;
        this.t = new Tables(session.schema());
        this.writes = new BridgeWrites(t);
    }

    /** Opens a session; {@link dev.linen.ovs.db.OvsdbUnavailableException} when the server can't be reached. */
    public static OvsDatabase connect(OvsdbEndpoint endpoint, Duration timeout) {
        return new OdlOvsDatabase(OdlSession.open(endpoint, timeout));
    }

    /** Idempotent; one transaction (none if nothing differs); race-safe by retry. */
    @Override
    public void ensureBridge(BridgeSpec spec) {
        converge(spec.name(), s -> writes.ensureBridge(s, spec));
    }

    /** Idempotent; one transaction (none if nothing differs); race-safe by retry. */
    @Override
    public void updateBridge(BridgeInfo want) {
        converge(want.name(), s -> writes.updateBridge(s, want));
    }

    /** One transaction: the increment and a read of the value it made. */
    @Override
    public long requestConfig() {
        List<org.opendaylight.ovsdb.lib.operations.OperationResult> r = session.transact(List.of(
                op.mutate(t.ovs).addMutation(t.ovsNextCfg, org.opendaylight.ovsdb.lib.notation.Mutator.SUM, 1L),
                op.select(t.ovs).column(t.ovsNextCfg)));
        return Snapshot.rows(r.get(1)).stream().findFirst().flatMap(row -> Snapshot.get(row, t.ovsNextCfg))
                .orElseThrow(() -> new dev.linen.ovs.db.OvsdbTransactionException("no Open_vSwitch row"));
    }

    @Override
    public boolean configApplied(long cfg) {
        List<Row<GenericTableSchema>> rows = Snapshot.rows(session.transact(List.of(
                op.select(t.ovs).column(t.ovsCurCfg))).get(0));
        return rows.stream().findFirst().flatMap(r -> Snapshot.get(r, t.ovsCurCfg)).orElse(0L) >= cfg;
    }

    @Override
    public Optional<String> interfaceError(String iface) {
        List<Row<GenericTableSchema>> rows = Snapshot.rows(session.transact(List.of(
                op.select(t.iface).column(t.ifaceError).where(t.ifaceName.opEqual(iface)).build())).get(0));
        return rows.stream().findFirst().flatMap(r -> Snapshot.get(r, t.ifaceError))
                .flatMap(errors -> errors.stream().findFirst());
    }

    /** Idempotent; one transaction; race-safe by retry. Fails if the bridge does not exist. */
    @Override
    public void ensureInternalPort(String bridge, String port) {
        Names.requireInterfaceName(port);
        converge(bridge, s -> writes.ensurePort(s, bridge, new BridgeWrites.PortSpec(port, "internal", Map.of(), false), 0));
    }

    /** Idempotent; one transaction; race-safe by retry. Fails if the bridge does not exist. */
    @Override
    public void ensureVxlanPort(String bridge, VxlanPortSpec spec) {
        converge(bridge, s -> writes.ensurePort(s, bridge,
                new BridgeWrites.PortSpec(spec.name(), "vxlan", spec.options(), spec.splitHorizon()), 0));
    }

    /** Idempotent; one transaction for all; race-safe by retry. Fails if the bridge does not exist. */
    @Override
    public void ensureVxlanPorts(String bridge, List<VxlanPortSpec> specs) {
        converge(bridge, s -> {
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                VxlanPortSpec v = specs.get(i);
                ops.addAll(writes.ensurePort(s, bridge,
                        new BridgeWrites.PortSpec(v.name(), "vxlan", v.options(), v.splitHorizon()), i));
            }
            return ops;
        });
    }

    /** Idempotent (a missing port or bridge is success); one transaction. */
    @Override
    public void deletePort(String bridge, String port) {
        deletePorts(bridge, List.of(port));
    }

    /** Idempotent (missing ports or bridge are success); one transaction for all. */
    @Override
    public void deletePorts(String bridge, java.util.Collection<String> ports) {
        converge(bridge, s -> {
            Set<org.opendaylight.ovsdb.lib.notation.UUID> uuids = new java.util.HashSet<>();
            for (String port : ports) {
                s.port(t, port).ifPresent(p -> uuids.add(Snapshot.get(p, t.portUuid).orElseThrow()));
            }
            return uuids.isEmpty() ? List.<Operation>of() : List.<Operation>of(op.mutate(t.bridge)
                    .addMutation(t.bridgePorts, org.opendaylight.ovsdb.lib.notation.Mutator.DELETE, uuids)
                    .where(t.bridgeName.opEqual(bridge)).build());
        });
    }

    /** Idempotent (a missing bridge is success); one transaction; ports and interfaces go with it. */
    @Override
    public void deleteBridge(String bridge) {
        converge(bridge, s -> s.bridge().map(b -> List.<Operation>of(op.mutate(t.ovs)
                .addMutation(t.ovsBridges, org.opendaylight.ovsdb.lib.notation.Mutator.DELETE,
                        Set.of(Snapshot.get(b, t.bridgeUuid).orElseThrow()))))
                .orElse(List.of()));
    }

    @Override
    public Optional<BridgeInfo> bridge(String name) {
        return Snapshot.read(session, t, name).bridgeInfo(t);
    }

    @Override
    public OptionalLong datapathId(String bridge) {
        List<Row<GenericTableSchema>> rows = Snapshot.rows(session.transact(List.of(
                op.select(t.bridge).column(t.bridgeDatapathId).where(t.bridgeName.opEqual(bridge)).build())).get(0));
        Optional<String> hex = rows.stream().findFirst()
                .flatMap(r -> Snapshot.get(r, t.bridgeDatapathId)).flatMap(s -> s.stream().findFirst());
        return hex.map(h -> OptionalLong.of(parseDatapathId(h))).orElse(OptionalLong.empty());
    }

    /** 16 hex digits, as ovs-vswitchd writes them; anything else means OVSDB holds what OVS never writes. */
    static long parseDatapathId(String hex) {
        if (!hex.matches("[0-9a-fA-F]{16}")) {
            throw new dev.linen.ovs.db.OvsdbTransactionException("Bridge.datapath_id is not 16 hex digits: " + hex);
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    @Override
    public List<PortInfo> listPorts(String bridge) {
        return Snapshot.read(session, t, bridge).portInfos(t);
    }

    @Override
    public Optional<Integer> ofport(String port) {
        List<Row<GenericTableSchema>> rows = Snapshot.rows(session.transact(List.of(
                t.selectInterfaces().where(t.ifaceName.opEqual(port)).build())).get(0));
        return rows.stream().findFirst().flatMap(r -> Snapshot.ofport(t, r));
    }

    @Override
    public long transactions() {
        return session.transactions();
    }

    @Override
    public void close() {
        session.close();
    }

    /** Reads, computes the missing operations, commits; on a lost race, reads again. */
    private void converge(String bridge, Function<Snapshot, List<Operation>> plan) {
        OvsdbConflictException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<Operation> ops = new ArrayList<>(plan.apply(Snapshot.read(session, t, bridge)));
            if (ops.isEmpty()) {
                return;
            }
            try {
                writes.checkCounts(session.transact(ops), ops);
                return;
            } catch (OvsdbConflictException e) {
                last = e;
            }
        }
        throw last;
    }

    static UUID named(String name) {
        return new UUID(name);
    }
}
