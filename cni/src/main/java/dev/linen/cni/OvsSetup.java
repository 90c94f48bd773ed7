package dev.linen.cni;

import dev.linen.cni.node.IpLink;
import dev.linen.cni.node.SysNet;
import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbConflictException;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.db.OvsdbException;
import dev.linen.ovs.db.OvsdbUnavailableException;
import dev.linen.ovs.db.PortInfo;
import dev.linen.ovs.db.VxlanPortSpec;
import dev.linen.ovs.db.VxlanPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The slow path of ADD: one OVSDB session that sets the node up, with rollback on failure.
 *
 * <p>A bridge the plugin creates gets the config's settings, {@code datapathType} defaulting to
 * {@code system}. A bridge that exists keeps its datapath type and controllers unless the config
 * sets them; its fail mode and protocols are never touched. Only Linen's own
 * {@code external_ids:linen-master} is added to it.
 */
final class OvsSetup {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long ovs-vswitchd gets to apply the change (OVSDB's {@code cur_cfg}). */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Once ovs-vswitchd has applied the change, how long the bridge's interface gets to show: a few
     * polls, each an OVSDB round trip made by an interpreted JVM (see cni/src/build/jvm-options).
     */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(3);
    /** How long a rollback waits for ovs-vswitchd to remake the bridge's interface. */
    static final Duration ROLLBACK_TIMEOUT = Duration.ofSeconds(3);
    static final String MASTER_KEY = "linen-master";
    private static final Path OVS_KERNEL_MODULE = Path.of("/sys/module/openvswitch");
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private final SysNet sys;

    OvsSetup(SysNet sys) {
        this.sys = sys;
    }

    /**
     * What the node was like before this setup and what the setup changed so far: what a rollback
     * needs. Mutable, one per {@link #apply} call, never shared.
     */
    private static final class Undo {
        final String bridge;
        final Optional<BridgeInfo> before;
        final Optional<String> masterBefore;
        final OptionalInt mtuBefore;
        final List<String> createdPorts = new ArrayList<>();
        final List<VxlanPortSpec> prunedPorts = new ArrayList<>();
        boolean bridgeChanged;
        /** What this setup wrote to an existing bridge (when {@link #bridgeChanged}). */
        Optional<BridgeInfo> wrote = Optional.empty();

        boolean changedOvs() {
            return bridgeChanged || !createdPorts.isEmpty() || !prunedPorts.isEmpty();
        }

        Undo(String bridge, Optional<BridgeInfo> before, SysNet sys) {
            this.bridge = bridge;
            this.before = before;
            this.masterBefore = sys.master(bridge);
            this.mtuBefore = sys.mtu(bridge);
        }
    }

    /**
     * Makes the bridge, its VXLAN ports (with vtepIPs, exactly one per peer: ports of peers no
     * longer listed go; without, tunnels are flaxd's and left alone) and the kernel attachment
     * exist. Idempotent. All-or-nothing as far as OVS allows: on failure a bridge this call created
     * is removed; on a bridge that existed, the ports it created go, the ports it pruned come back
     * (same names and options; OVS gives them new port numbers), the columns it changed get their
     * old values back and the bridge's interface is put back into the Linux bridge (and MTU) it
     * had. The attachment comes last, once ovs-vswitchd has applied every port change (it resets an
     * internal port's MTU when ports come and go). Not thread-safe across processes by itself:
     * callers hold the node's setup lock.
     */
    void apply(OvsSettings s, String linuxBridge) throws CniException {
        try (OvsDatabase db = connect(s.ovsdb())) {
            Undo undo = new Undo(s.ovsBridge(), db.bridge(s.ovsBridge()), sys);
            try {
                ensureBridge(db, s, undo);
                List<VxlanPortSpec> wanted = vxlanPorts(s.vtepIPs());
                ensurePorts(db, undo, wanted);
                if (!wanted.isEmpty()) {
                    // static peers: the conflist owns the tunnels. Without vtepIPs flaxd owns them.
                    pruneStalePeers(db, undo, wanted);
                }
                awaitBridge(db, s, undo, db.requestConfig());
                IpLink.attach(s.ovsBridge(), linuxBridge, s.mtu());
            } catch (CniException | OvsdbException | IllegalArgumentException e) {
                rollback(db, undo);
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
        silenceLibraryLogging();
        return OvsDatabases.connect(endpoint, CONNECT_TIMEOUT);
    }

    /**
     * Removes java.util.logging's console handler before the OVSDB libraries start. The ODL library
     * logs through slf4j-nop, but netty refuses a no-op slf4j binding and falls back to
     * java.util.logging, whose console handler would print its warnings (for one: no usable MAC
     * for its channel ids on a node where only loopback has an address) on the plugin's stderr,
     * which must stay empty when a command succeeds. Failures reach the runtime as CNI errors.
     * Only on the full path: the steady state never loads java.util.logging. Idempotent.
     */
    private static void silenceLibraryLogging() {
        java.util.logging.LogManager.getLogManager().reset();
    }

    /** Creates the bridge with the config's settings, or changes on the existing one only what the config sets. */
    private static void ensureBridge(OvsDatabase db, OvsSettings s, Undo undo) {
        Map<String, String> ids = Map.of(MASTER_KEY, Boolean.toString(s.isMaster()));
        if (undo.before.isEmpty()) {
            db.ensureBridge(new BridgeSpec(s.ovsBridge(), s.datapathType().orElse(OvsSettings.DEFAULT_DATAPATH_TYPE),
                    Optional.empty(), Set.of(), ids, s.controller()));
            return;
        }
        BridgeInfo b = undo.before.get();
        Map<String, String> merged = new HashMap<>(b.externalIds());
        merged.putAll(ids);
        BridgeInfo want = new BridgeInfo(b.name(), s.datapathType().orElse(b.datapathType()), b.failMode(),
                b.protocols(), merged, s.controller().map(List::of).orElse(b.controllers()));
        if (!want.equals(b)) {
            undo.bridgeChanged = true;
            undo.wrote = Optional.of(want);
            db.updateBridge(want);
        }
    }

    private static void ensurePorts(OvsDatabase db, Undo undo, List<VxlanPortSpec> wanted) {
        Set<String> before = undo.before.isPresent() ? portNames(db.listPorts(undo.bridge)) : Set.of();
        for (VxlanPortSpec port : wanted) {
            if (!before.contains(port.name())) {
                undo.createdPorts.add(port.name());
            }
            db.ensureVxlanPort(undo.bridge, port);
        }
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

    /**
     * Waits (polling, bounded) until ovs-vswitchd has applied configuration {@code cfg} and the
     * bridge's interface exists with an OpenFlow port; else fails naming what OVS says went wrong.
     */
    private void awaitBridge(OvsDatabase db, OvsSettings s, Undo undo, long cfg) throws CniException {
        String br = s.ovsBridge();
        long deadline = System.nanoTime() + LINK_TIMEOUT.toNanos();
        Optional<Long> appliedAt = Optional.empty();
        while (true) {
            if (appliedAt.isEmpty() && db.configApplied(cfg)) {
                appliedAt = Optional.of(System.nanoTime());
            }
            if (appliedAt.isPresent() && sys.exists(br) && db.ofport(br).isPresent()) {
                return;
            }
            long now = System.nanoTime();
            if (appliedAt.isPresent() && now - appliedAt.get() > SETTLE_TIMEOUT.toNanos()) {
                throw notSetUp(db, br, datapathType(s, undo));
            }
            if (appliedAt.isEmpty() && now - deadline > 0) {
                throw new CniException(CniException.OVS_SETUP_FAILED, "ovs-vswitchd did not apply the bridge setup",
                        "OVSDB cur_cfg stayed below " + cfg + " for " + LINK_TIMEOUT.toSeconds()
                                + " s; is ovs-vswitchd running?");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The datapath type the bridge has now: the config's, else the one it had ("" is OVS's default). */
    private static String datapathType(OvsSettings s, Undo undo) {
        String type = s.datapathType().orElse(undo.before.map(BridgeInfo::datapathType)
                .orElse(OvsSettings.DEFAULT_DATAPATH_TYPE));
        return type.isEmpty() ? OvsSettings.DEFAULT_DATAPATH_TYPE : type;
    }

    /**
     * Why ovs-vswitchd applied the change but the bridge has no interface: the interface's
     * {@code error} column when ovs-vswitchd wrote one; else, for {@code system}, whether the
     * kernel datapath exists at all (ovs-vswitchd writes no error when it cannot open it).
     */
    private CniException notSetUp(OvsDatabase db, String br, String type) {
        Optional<String> error = db.interfaceError(br);
        if (error.isPresent()) {
            return new CniException(CniException.OVS_SETUP_FAILED, "OVS could not set up bridge " + br + ": "
                    + error.get(), "from the error column of interface " + br + " (datapath_type " + type + ")");
        }
        if (type.equals("system") && !Files.exists(OVS_KERNEL_MODULE)) {
            return new CniException(CniException.OVS_SETUP_FAILED, "datapath type system not available on this node",
                    "ovs-vswitchd could not open the kernel datapath for bridge " + br + ": the openvswitch kernel"
                            + " module is not loaded (no " + OVS_KERNEL_MODULE + "); set \"datapathType\":\"netdev\""
                            + " or load the module");
        }
        return new CniException(CniException.OVS_SETUP_FAILED, "ovs-vswitchd did not set up bridge " + br,
                "it applied the change, but " + br + (sys.exists(br) ? " has no OpenFlow port" : " has no interface")
                        + " and its error column is empty (datapath_type " + type + "); see ovs-vswitchd's log");
    }

    /**
     * Removes Linen's VXLAN ports ({@code vxif…}) for peers no longer in {@code vtepIPs}, in one
     * transaction, remembering them (Linen's tunnels are split-horizon) for a rollback.
     */
    private static void pruneStalePeers(OvsDatabase db, Undo undo, List<VxlanPortSpec> wanted) {
        Set<String> keep = wanted.stream().map(VxlanPortSpec::name).collect(Collectors.toSet());
        List<VxlanPortSpec> stale = new ArrayList<>();
        for (PortInfo p : db.listPorts(undo.bridge)) {
            if (p.name().startsWith(VxlanPorts.PREFIX) && p.type().equals("vxlan") && !keep.contains(p.name())
                    && p.options().containsKey("remote_ip")) {
                stale.add(new VxlanPortSpec(p.name(), p.options()));
            }
        }
        if (!stale.isEmpty()) {
            db.deletePorts(undo.bridge, stale.stream().map(VxlanPortSpec::name).toList());
            undo.prunedPorts.addAll(stale);
        }
    }

    /** Undoes what {@code undo} recorded. Best effort: the original failure is what the runtime needs to see. */
    /**
     * Puts back only what this setup changed on an existing bridge, and only where the bridge
     * still holds what it wrote: columns (and external_ids keys) another writer such as flaxd
     * changed meanwhile are left as they are now. Idempotent.
     */
    private static void restoreBridge(OvsDatabase db, Undo undo) {
        Optional<BridgeInfo> now = db.bridge(undo.bridge);
        if (now.isEmpty() || undo.wrote.isEmpty()) {
            return;
        }
        BridgeInfo b = undo.before.get();
        BridgeInfo w = undo.wrote.get();
        BridgeInfo n = now.get();
        Map<String, String> ids = new HashMap<>(n.externalIds());
        if (java.util.Objects.equals(ids.get(MASTER_KEY), w.externalIds().get(MASTER_KEY))) {
            ids.remove(MASTER_KEY);
            Optional.ofNullable(b.externalIds().get(MASTER_KEY)).ifPresent(v -> ids.put(MASTER_KEY, v));
        }
        BridgeInfo restore = new BridgeInfo(n.name(),
                n.datapathType().equals(w.datapathType()) ? b.datapathType() : n.datapathType(), n.failMode(),
                n.protocols(), ids,
                Set.copyOf(n.controllers()).equals(Set.copyOf(w.controllers())) ? b.controllers() : n.controllers());
        if (!restore.equals(n)) {
            db.updateBridge(restore);
        }
    }

    private void rollback(OvsDatabase db, Undo undo) {
        try {
            if (undo.before.isEmpty()) {
                db.deleteBridge(undo.bridge);
                return;
            }
            if (!undo.createdPorts.isEmpty()) {
                db.deletePorts(undo.bridge, undo.createdPorts);
            }
            if (!undo.prunedPorts.isEmpty()) {
                db.ensureVxlanPorts(undo.bridge, undo.prunedPorts);
            }
            if (undo.bridgeChanged) {
                restoreBridge(db, undo);
            }
            if (undo.changedOvs()) {
                awaitInterfaceBack(db, undo.bridge, db.requestConfig());
            }
            restoreAttachment(undo);
        } catch (OvsdbException | CniException e) {
            // a retry converges; the node's state is what CHECK reports
        }
    }

    /** Waits (bounded, quietly) for ovs-vswitchd to apply the restored settings and remake the interface. */
    private void awaitInterfaceBack(OvsDatabase db, String br, long cfg) {
        long deadline = System.nanoTime() + ROLLBACK_TIMEOUT.toNanos();
        while (!(db.configApplied(cfg) && sys.exists(br)) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Puts the bridge's interface back into the Linux bridge (and MTU) it had, when that changed. */
    private void restoreAttachment(Undo undo) throws CniException {
        if (!sys.exists(undo.bridge) || (sys.master(undo.bridge).equals(undo.masterBefore)
                && sys.mtu(undo.bridge).equals(undo.mtuBefore))) {
            return;
        }
        if (undo.masterBefore.isPresent()) {
            IpLink.attach(undo.bridge, undo.masterBefore.get(), undo.mtuBefore);
        } else {
            IpLink.detach(undo.bridge);
        }
    }

    private static Set<String> portNames(List<PortInfo> ports) {
        return ports.stream().map(PortInfo::name).collect(Collectors.toSet());
    }
}
