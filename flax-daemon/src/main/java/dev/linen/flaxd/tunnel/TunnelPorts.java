package dev.linen.flaxd.tunnel;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.PortInfo;
import dev.linen.ovs.db.VxlanPortSpec;
import dev.linen.ovs.db.VxlanPorts;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The VXLAN ports a node needs for its peers, and the sync of OVSDB to them. */
public final class TunnelPorts {
    private final TunnelSpec spec;

    public TunnelPorts(TunnelSpec spec) {
        this.spec = spec;
    }

    /** Desired ports by name: {@code vxlan0} in flow mode, one {@code vxif…} per peer otherwise. */
    public Map<String, VxlanPortSpec> desired(Collection<Peer> peers) {
        Map<String, VxlanPortSpec> out = new LinkedHashMap<>();
        if (spec.mode() == TunnelMode.FLOW) {
            out.put(TunnelSpec.FLOW_PORT, new VxlanPortSpec(TunnelSpec.FLOW_PORT, options("flow")));
            return out;
        }
        for (Peer p : peers) {
            String name = VxlanPorts.name(p.internalIp());
            out.put(name, new VxlanPortSpec(name, options(p.internalIp())));
        }
        return out;
    }

    private Map<String, String> options(String remote) {
        Map<String, String> o = new HashMap<>();
        o.put("remote_ip", remote);
        o.put("key", spec.key());
        if (spec.udpPort() != 4789) {
            o.put("dst_port", Integer.toString(spec.udpPort()));
        }
        return o;
    }

    /**
     * Makes the bridge's tunnel ports exactly the desired ones: creates or corrects missing and
     * changed ports, removes flaxd/Linen tunnel ports ({@code vxlan0}, {@code vxif…}) nobody needs.
     * Idempotent; one read, then at most one transaction for the additions and one for the
     * removals, however many peers changed. Returns the number of ports changed.
     */
    public int sync(OvsDatabase db, Collection<Peer> peers) {
        Map<String, VxlanPortSpec> want = desired(peers);
        List<PortInfo> have = db.listPorts(spec.bridge());
        Map<String, PortInfo> ours = new HashMap<>();
        for (PortInfo p : have) {
            if (p.type().equals("vxlan") && (p.name().equals(TunnelSpec.FLOW_PORT) || p.name().startsWith(VxlanPorts.PREFIX))) {
                ours.put(p.name(), p);
            }
        }
        List<VxlanPortSpec> toEnsure = new java.util.ArrayList<>();
        for (VxlanPortSpec w : want.values()) {
            PortInfo current = ours.get(w.name());
            if (current == null || !current.options().equals(w.options())) {
                toEnsure.add(w);
            }
        }
        List<String> toDelete = new java.util.ArrayList<>();
        for (String name : ours.keySet()) {
            if (!want.containsKey(name)) {
                toDelete.add(name);
            }
        }
        if (!toEnsure.isEmpty()) {
            db.ensureVxlanPorts(spec.bridge(), toEnsure);
        }
        if (!toDelete.isEmpty()) {
            db.deletePorts(spec.bridge(), toDelete);
        }
        int changes = toEnsure.size() + toDelete.size();
        return changes;
    }

    /**
     * Per-node mode, a change of peers alone: ensures the added peers' ports (one transaction; the
     * ODL adapter reads only to skip what already matches) and deletes the removed peers' ports that
     * no remaining peer needs (one transaction). Flow mode needs nothing. Idempotent. Returns the
     * number of ports touched.
     */
    public int applyPeers(OvsDatabase db, Collection<Peer> removed, Collection<Peer> added) {
        if (spec.mode() == TunnelMode.FLOW) {
            return 0;
        }
        Map<String, VxlanPortSpec> want = desired(added);
        List<String> toDelete = new java.util.ArrayList<>();
        for (String name : desired(removed).keySet()) {
            if (!want.containsKey(name)) {
                toDelete.add(name);
            }
        }
        if (!want.isEmpty()) {
            db.ensureVxlanPorts(spec.bridge(), List.copyOf(want.values()));
        }
        if (!toDelete.isEmpty()) {
            db.deletePorts(spec.bridge(), toDelete);
        }
        return want.size() + toDelete.size();
    }
}
