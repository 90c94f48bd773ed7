package dev.linen.ovs.db.odl;

import static org.opendaylight.ovsdb.lib.operations.Operations.op;

import java.util.Map;
import java.util.Set;
import org.opendaylight.ovsdb.lib.notation.UUID;
import org.opendaylight.ovsdb.lib.operations.Select;
import org.opendaylight.ovsdb.lib.schema.ColumnSchema;
import org.opendaylight.ovsdb.lib.schema.DatabaseSchema;
import org.opendaylight.ovsdb.lib.schema.GenericTableSchema;

/** The tables and columns of the Open_vSwitch schema that Linen reads and writes, looked up once. */
final class Tables {
    final GenericTableSchema ovs;
    final ColumnSchema<GenericTableSchema, Set<UUID>> ovsBridges;
    final ColumnSchema<GenericTableSchema, Long> ovsNextCfg;
    final ColumnSchema<GenericTableSchema, Long> ovsCurCfg;

    final GenericTableSchema bridge;
    final ColumnSchema<GenericTableSchema, UUID> bridgeUuid;
    final ColumnSchema<GenericTableSchema, String> bridgeName;
    final ColumnSchema<GenericTableSchema, String> bridgeDatapathType;
    final ColumnSchema<GenericTableSchema, Set<String>> bridgeFailMode;
    final ColumnSchema<GenericTableSchema, Set<String>> bridgeProtocols;
    final ColumnSchema<GenericTableSchema, Map<String, String>> bridgeExternalIds;
    final ColumnSchema<GenericTableSchema, Set<UUID>> bridgeController;
    final ColumnSchema<GenericTableSchema, Set<UUID>> bridgePorts;
    final ColumnSchema<GenericTableSchema, Set<String>> bridgeDatapathId;

    final GenericTableSchema port;
    final ColumnSchema<GenericTableSchema, UUID> portUuid;
    final ColumnSchema<GenericTableSchema, String> portName;
    final ColumnSchema<GenericTableSchema, Set<UUID>> portInterfaces;
    final ColumnSchema<GenericTableSchema, Boolean> portProtected;

    final GenericTableSchema iface;
    final ColumnSchema<GenericTableSchema, UUID> ifaceUuid;
    final ColumnSchema<GenericTableSchema, String> ifaceName;
    final ColumnSchema<GenericTableSchema, String> ifaceType;
    final ColumnSchema<GenericTableSchema, Map<String, String>> ifaceOptions;
    final ColumnSchema<GenericTableSchema, Set<Long>> ifaceOfport;
    final ColumnSchema<GenericTableSchema, Set<String>> ifaceError;

    final GenericTableSchema controller;
    final ColumnSchema<GenericTableSchema, UUID> controllerUuid;
    final ColumnSchema<GenericTableSchema, String> controllerTarget;
    final ColumnSchema<GenericTableSchema, Set<String>> controllerConnectionMode;
    final ColumnSchema<GenericTableSchema, Set<Long>> controllerMaxBackoff;

    Tables(DatabaseSchema db) {
        DatabaseSchema s = db.withInternallyGeneratedColumns();
        ovs = s.table("Open_vSwitch", GenericTableSchema.class);
        ovsBridges = ovs.multiValuedColumn("bridges", UUID.class);
        ovsNextCfg = ovs.column("next_cfg", Long.class);
        ovsCurCfg = ovs.column("cur_cfg", Long.class);
        bridge = s.table("Bridge", GenericTableSchema.class);
        bridgeUuid = bridge.column("_uuid", UUID.class);
        bridgeName = bridge.column("name", String.class);
        bridgeDatapathType = bridge.column("datapath_type", String.class);
        bridgeFailMode = bridge.multiValuedColumn("fail_mode", String.class);
        bridgeProtocols = bridge.multiValuedColumn("protocols", String.class);
        bridgeExternalIds = bridge.multiValuedColumn("external_ids", String.class, String.class);
        bridgeController = bridge.multiValuedColumn("controller", UUID.class);
        bridgePorts = bridge.multiValuedColumn("ports", UUID.class);
        bridgeDatapathId = bridge.multiValuedColumn("datapath_id", String.class);
        port = s.table("Port", GenericTableSchema.class);
        portUuid = port.column("_uuid", UUID.class);
        portName = port.column("name", String.class);
        portInterfaces = port.multiValuedColumn("interfaces", UUID.class);
        portProtected = port.column("protected", Boolean.class);
        iface = s.table("Interface", GenericTableSchema.class);
        ifaceUuid = iface.column("_uuid", UUID.class);
        ifaceName = iface.column("name", String.class);
        ifaceType = iface.column("type", String.class);
        ifaceOptions = iface.multiValuedColumn("options", String.class, String.class);
        ifaceOfport = iface.multiValuedColumn("ofport", Long.class);
        ifaceError = iface.multiValuedColumn("error", String.class);
        controller = s.table("Controller", GenericTableSchema.class);
        controllerUuid = controller.column("_uuid", UUID.class);
        controllerTarget = controller.column("target", String.class);
        controllerConnectionMode = controller.multiValuedColumn("connection_mode", String.class);
        controllerMaxBackoff = controller.multiValuedColumn("max_backoff", Long.class);
    }

    // Selects name their columns: OVSDB returns only the columns asked for (the library asks for
    // none unless told). A select without conditions reads every row of its table.

    Select<GenericTableSchema> selectBridges() {
        return op.select(bridge).column(bridgeUuid).column(bridgeName).column(bridgeDatapathType)
                .column(bridgeFailMode).column(bridgeProtocols).column(bridgeExternalIds)
                .column(bridgeController).column(bridgePorts);
    }

    Select<GenericTableSchema> selectPorts() {
        return op.select(port).column(portUuid).column(portName).column(portInterfaces).column(portProtected);
    }

    Select<GenericTableSchema> selectInterfaces() {
        return op.select(iface).column(ifaceUuid).column(ifaceName).column(ifaceType).column(ifaceOptions)
                .column(ifaceOfport);
    }

    Select<GenericTableSchema> selectControllers() {
        return op.select(controller).column(controllerUuid).column(controllerTarget);
    }
}
