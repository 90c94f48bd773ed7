package dev.linen.cni;

import dev.linen.ovs.db.VxlanPorts;
import dev.linen.cni.node.IpLink;
import dev.linen.cni.node.SysNet;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbConflictException;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.db.OvsdbException;
import dev.linen.ovs.db.OvsdbUnavailableException;
import dev.linen.ovs.db.PortInfo;
import dev.linen.ovs.db.VxlanPortSpec;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/** The slow path of ADD: one OVSDB session that sets the node up, with rollback on failure. */
final class OvsSetup {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(10);
    static final String MASTER_KEY = "linen-master";

    private final SysNet sys;

    OvsSetup(SysNet sys) {
        this.sys = sys;
    }

    /**
     * Makes the bridge, its VXLAN ports (with vtepIPs, exactly one per peer: ports of peers no
     * longer listed go; without, tunnels are flaxd's and left alone)
     * and the kernel attachment exist. Idempotent. On failure
     * it removes what this call created (a bridge that did not exist, ports that did not exist).
     * Not thread-safe across processes by itself: callers hold the node's setup lock.
     */
    void apply(OvsSettings s, String linuxBridge) throws CniException {
        try (OvsDatabase db = connect(s.ovsdb())) {
            boolean existed = db.bridge(s.ovsBridge()).isPresent();
            Set<String> before = existed ? portNames(db.listPorts(s.ovsBridge())) : Set.of();
            List<String> created = new ArrayList<>();
            try {
                db.ensureBridge(bridgeSpec(s));
                List<VxlanPortSpec> wanted = vxlanPorts(s.vtepIPs());
                for (VxlanPortSpec port : wanted) {
                    if (!before.contains(port.name())) {
                        created.add(port.name());
                    }
                    db.ensureVxlanPort(s.ovsBridge(), port);
                }
                if (!wanted.isEmpty()) {
                    // static peers: the conflist owns the tunnels. Without vtepIPs flaxd owns them.
                    pruneStalePeers(db, s.ovsBridge(), wanted);
                }
                awaitLink(s.ovsBridge());
                IpLink.attach(s.ovsBridge(), linuxBridge, s.mtu());
            } catch (CniException | OvsdbException | IllegalArgumentException e) {
                rollback(db, s.ovsBridge(), existed, created);
                throw e instanceof OvsdbException oe ? translate(oe) : e instanceof CniException ce ? ce
                        : new CniException(CniException.INVALID_CONFIG, e.getMessage());
            }
        } catch (OvsdbException e) {
            throw translate(e);
        }
    }

    static OvsDatabase connect(OvsdbEndpoint endpoint) throws CniException {
        if (endpoint instanceof OvsdbEndpoint.UnixSocket(var path) && !Files.exists(path)) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVSDB is not running",
                    "no OVSDB socket at " + path);
        }
        return OvsDatabases.connect(endpoint, CONNECT_TIMEOUT);
    }

    static BridgeSpec bridgeSpec(OvsSettings s) {
        return new BridgeSpec(s.ovsBridge(), s.datapathType(), Optional.empty(), Set.of(),
                Map.of(MASTER_KEY, Boolean.toString(s.isMaster())), s.controller());
    }

    static List<VxlanPortSpec> vxlanPorts(List<String> peers) {
        List<VxlanPortSpec> out = new ArrayList<>();
        for (String ip : peers) {
            out.add(new VxlanPortSpec(VxlanPorts.name(ip), Map.of("remote_ip", ip, "key", "flow")));
        }
        return out;
    }

    static CniException translate(OvsdbException e) {
        return switch (e) {
            case OvsdbUnavailableException u -> new CniException(CniException.TRY_AGAIN_LATER,
                    "OVSDB is not reachable", u.getMessage());
            case OvsdbConflictException c -> new CniException(CniException.TRY_AGAIN_LATER,
                    "OVSDB changed under us", c.getMessage());
            default -> new CniException(CniException.OVS_SETUP_FAILED, "OVSDB rejected the setup", e.getMessage());
        };
    }

    /** Waits (polling, bounded) for ovs-vswitchd to create the bridge's kernel interface. */
    private void awaitLink(String ifname) throws CniException {
        long deadline = System.nanoTime() + LINK_TIMEOUT.toNanos();
        while (!sys.exists(ifname)) {
            if (System.nanoTime() > deadline) {
                throw new CniException(CniException.OVS_SETUP_FAILED, "OVS bridge interface did not appear",
                        ifname + " missing after " + LINK_TIMEOUT.toSeconds() + " s; is ovs-vswitchd running?");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** Removes Linen's VXLAN ports ({@code vxif…}) for peers no longer in {@code vtepIPs}. */
    private static void pruneStalePeers(OvsDatabase db, String bridge, List<VxlanPortSpec> wanted) {
        Set<String> keep = wanted.stream().map(VxlanPortSpec::name).collect(Collectors.toSet());
        for (PortInfo p : db.listPorts(bridge)) {
            if (p.name().startsWith(VxlanPorts.PREFIX) && p.type().equals("vxlan") && !keep.contains(p.name())) {
                db.deletePort(bridge, p.name());
            }
        }
    }

    private static void rollback(OvsDatabase db, String bridge, boolean existed, List<String> created) {
        try {
            if (!existed) {
                db.deleteBridge(bridge);
            } else {
                for (String port : created) {
                    db.deletePort(bridge, port);
                }
            }
        } catch (OvsdbException e) {
            // the original failure is what the runtime needs to see; a retry converges
        }
    }

    private static Set<String> portNames(List<PortInfo> ports) {
        return ports.stream().map(PortInfo::name).collect(Collectors.toSet());
    }
}
