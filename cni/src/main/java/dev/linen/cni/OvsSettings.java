package dev.linen.cni;

import dev.linen.ovs.db.Names;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Linen's settings for one node, from the plugin config (Linen's original keys under
 * {@code runtimeConfig.ovs}, overridden by the same keys at the top level).
 *
 * @param isMaster     Linen's master flag (kept for compatibility; recorded on the bridge)
 * @param ovsBridge    OVS bridge whose internal port joins the Linux bridge
 * @param vtepIPs      peers (canonical address text); one VXLAN port each
 * @param controller   OpenFlow controller as an OVS target ({@code tcp:ip:port})
 * @param datapathType {@code system} or {@code netdev} when the config sets it; empty leaves an
 *                     existing bridge's type as it is (a bridge the plugin creates gets
 *                     {@link #DEFAULT_DATAPATH_TYPE})
 * @param ovsdb        where OVSDB listens
 * @param mtu          MTU for the OVS internal port, if set
 * @param stateDir     where the plugin keeps its lock and its record of the last setup
 * @param linuxBridge  the Linux bridge to join, when given; else the one {@code prevResult} names
 *                     (results of cniVersion 0.1.0 and 0.2.0 name no interfaces)
 */
public record OvsSettings(boolean isMaster, String ovsBridge, List<String> vtepIPs,
                          Optional<String> controller, Optional<String> datapathType, OvsdbEndpoint ovsdb,
                          OptionalInt mtu, Path stateDir, Optional<String> linuxBridge) {
    public static final String DEFAULT_BRIDGE = "br0";
    public static final Path DEFAULT_STATE_DIR = Path.of("/run/linen");
    public static final String DEFAULT_DATAPATH_TYPE = "system";

    public OvsSettings {
        Names.requireInterfaceName(ovsBridge);
        vtepIPs = List.copyOf(vtepIPs);
        if (controller.isPresent()) {
            Names.requireControllerTarget(controller.get());
        }
        if (datapathType.isPresent() && !datapathType.get().equals("system") && !datapathType.get().equals("netdev")) {
            throw new IllegalArgumentException("datapathType must be system or netdev: " + datapathType.get());
        }
        if (mtu.isPresent() && (mtu.getAsInt() < 576 || mtu.getAsInt() > 65535)) {
            throw new IllegalArgumentException("mtu out of range 576..65535: " + mtu.getAsInt());
        }
        if (!stateDir.isAbsolute()) {
            throw new IllegalArgumentException("stateDir must be absolute: " + stateDir);
        }
        if (linuxBridge.isPresent()) {
            Names.requireInterfaceName(linuxBridge.get());
        }
    }
}
