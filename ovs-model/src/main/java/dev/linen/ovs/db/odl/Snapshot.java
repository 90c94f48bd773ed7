package dev.linen.ovs.db.odl;

import static org.opendaylight.ovsdb.lib.operations.Operations.op;
import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.PortInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opendaylight.ovsdb.lib.notation.Column;
import org.opendaylight.ovsdb.lib.notation.Row;
import org.opendaylight.ovsdb.lib.notation.UUID;
import org.opendaylight.ovsdb.lib.operations.OperationResult;
import org.opendaylight.ovsdb.lib.schema.ColumnSchema;
import org.opendaylight.ovsdb.lib.schema.GenericTableSchema;

/**
 * What OVSDB holds about one bridge, its ports, their interfaces and the controllers, read in one
 * transaction (so it is consistent). Immutable.
 */
record Snapshot(Optional<Row<GenericTableSchema>> bridge, Map<UUID, Row<GenericTableSchema>> ports,
                Map<UUID, Row<GenericTableSchema>> interfaces, Map<UUID, String> controllers) {

    static Snapshot read(OdlSession session, Tables t, String bridgeName) {
        List<OperationResult> r = session.transact(List.of(
                t.selectBridges().where(t.bridgeName.opEqual(bridgeName)).build(),
                t.selectPorts(), t.selectInterfaces(), t.selectControllers()));
        List<Row<GenericTableSchema>> bridges = rows(r.get(0));
        Map<UUID, String> ctl = new HashMap<>();
        for (Row<GenericTableSchema> row : rows(r.get(3))) {
            ctl.put(get(row, t.controllerUuid).orElseThrow(), get(row, t.controllerTarget).orElse(""));
        }
        return new Snapshot(bridges.stream().findFirst(), byUuid(rows(r.get(1)), t.portUuid),
                byUuid(rows(r.get(2)), t.ifaceUuid), ctl);
    }

    /** The port of this bridge with the given name, if the bridge has one. */
    Optional<Row<GenericTableSchema>> port(Tables t, String name) {
        Set<UUID> mine = bridge.flatMap(b -> get(b, t.bridgePorts)).orElse(Set.of());
        return mine.stream().map(ports::get).filter(p -> p != null && get(p, t.portName).orElse("").equals(name))
                .findFirst();
    }

    /** Whether any bridge has a port with this name (port names are unique in OVSDB). */
    boolean portNameTaken(Tables t, String name) {
        return ports.values().stream().anyMatch(p -> get(p, t.portName).orElse("").equals(name));
    }

    Optional<Row<GenericTableSchema>> firstInterface(Tables t, Row<GenericTableSchema> port) {
        return get(port, t.portInterfaces).orElse(Set.of()).stream().map(interfaces::get)
                .filter(i -> i != null).findFirst();
    }

    Optional<BridgeInfo> bridgeInfo(Tables t) {
        return bridge.map(b -> new BridgeInfo(get(b, t.bridgeName).orElse(""),
                get(b, t.bridgeDatapathType).orElse(""),
                get(b, t.bridgeFailMode).orElse(Set.of()).stream().findFirst(),
                get(b, t.bridgeProtocols).orElse(Set.of()),
                get(b, t.bridgeExternalIds).orElse(Map.of()),
                controllerTargets(t)));
    }

    List<String> controllerTargets(Tables t) {
        Set<UUID> ids = bridge.flatMap(b -> get(b, t.bridgeController)).orElse(Set.of());
        return ids.stream().map(controllers::get).filter(s -> s != null).sorted().toList();
    }

    List<PortInfo> portInfos(Tables t) {
        List<PortInfo> out = new ArrayList<>();
        for (UUID id : bridge.flatMap(b -> get(b, t.bridgePorts)).orElse(Set.of())) {
            Row<GenericTableSchema> p = ports.get(id);
            if (p == null) {
                continue;
            }
            Optional<Row<GenericTableSchema>> i = firstInterface(t, p);
            out.add(new PortInfo(get(p, t.portName).orElse(""),
                    i.flatMap(r -> get(r, t.ifaceType)).orElse(""),
                    i.flatMap(r -> get(r, t.ifaceOptions)).orElse(Map.of()),
                    i.flatMap(r -> ofport(t, r))));
        }
        out.sort(java.util.Comparator.comparing(PortInfo::name));
        return out;
    }

    static Optional<Integer> ofport(Tables t, Row<GenericTableSchema> iface) {
        return get(iface, t.ifaceOfport).orElse(Set.of()).stream().findFirst()
                .filter(n -> n > 0).map(Long::intValue);
    }

    static <D> Optional<D> get(Row<GenericTableSchema> row, ColumnSchema<GenericTableSchema, D> col) {
        Column<GenericTableSchema, D> c = row.getColumn(col);
        return c == null ? Optional.empty() : Optional.ofNullable(c.getData());
    }

    static List<Row<GenericTableSchema>> rows(OperationResult r) {
        return r.getRows() == null ? List.of() : r.getRows();
    }

    private static Map<UUID, Row<GenericTableSchema>> byUuid(List<Row<GenericTableSchema>> rows,
                                                           ColumnSchema<GenericTableSchema, UUID> uuid) {
        Map<UUID, Row<GenericTableSchema>> m = new HashMap<>();
        for (Row<GenericTableSchema> row : rows) {
            get(row, uuid).ifPresent(id -> m.put(id, row));
        }
        return m;
    }
}
