package dev.linen.ovs.openflow;

import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Test fixture of the OpenFlow ITs: our controller on loopback (admitting the bridge's datapath
 * id as OVSDB shows it) and a netdev bridge of a private OVS, secure, OpenFlow 1.3, pointed at it.
 * {@link #close} stops the controller and the OVSDB session; the bridge is the test's to remove.
 */
record ControlledBridge(PrivateOvsExtension ovs, String bridge, OvsDatabase db, OpenFlowController controller)
        implements AutoCloseable {

    static ControlledBridge start(PrivateOvsExtension ovs, String bridge, Duration handshake, int maxInFlight,
                                  SwitchListener listener) {
        OvsDatabase db = OvsDatabases.connect(new OvsdbEndpoint.UnixSocket(ovs.socket()), Duration.ofSeconds(10));
        OpenFlowController controller = OpenFlowControllers.listen(
                new ControllerSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        () -> db.datapathId(bridge), Duration.ofSeconds(15), handshake, maxInFlight), listener);
        ControlledBridge b = new ControlledBridge(ovs, bridge, db, controller);
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "protocols=OpenFlow13",
                "fail_mode=secure");
        b.pointAtController();
        return b;
    }

    /** Makes our controller the bridge's (again), out of band, reconnecting within a second. */
    void pointAtController() {
        ovs.vsctl("set-controller", bridge, "tcp:127.0.0.1:" + controller.address().getPort(),
                "--", "set", "controller", bridge, "connection_mode=out-of-band", "max_backoff=1000");
    }

    @Override
    public void close() {
        controller.close();
        db.close();
    }
}
