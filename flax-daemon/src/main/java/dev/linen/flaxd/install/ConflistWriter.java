package dev.linen.flaxd.install;

import dev.linen.flaxd.FlaxdConfig;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Writes this node's conflist into the host's CNI conf directory once flaxd is ready (first full
 * sync and, in flow mode, the first round of flows: the node can carry pod traffic), so the
 * runtime, and so the kubelet, sees a network only then and the node stays NotReady before. Until
 * then no pod ADD can fail on a missing plugin or leak a host-local address.
 *
 * @param confDir      the host's CNI conf directory ({@code FLAXD_CNI_CONF_DIR}, /etc/cni/net.d)
 * @param ovsBridge    the OVS bridge linen attaches
 * @param datapathType the bridge's datapath type
 * @param ovsdb        the OVSDB socket path linen uses
 * @param stateDir     host-local's and linen's state directory ({@code FLAXD_CNI_STATE_DIR}; their defaults if unset)
 */
public record ConflistWriter(Path confDir, String ovsBridge, String datapathType, String ovsdb,
                             Optional<String> stateDir) {
    private static final Logger LOG = Logger.getLogger(ConflistWriter.class.getName());

    public static ConflistWriter fromEnv(Map<String, String> env, FlaxdConfig config) {
        String socket = config.ovsdb() instanceof OvsdbEndpoint.UnixSocket u ? u.path().toString()
                : config.ovsdb().toString();
        return new ConflistWriter(Path.of(env.getOrDefault("FLAXD_CNI_CONF_DIR", "/etc/cni/net.d")),
                config.tunnels().bridge(), config.datapathType(), socket,
                Optional.ofNullable(env.get("FLAXD_CNI_STATE_DIR")));
    }

    /**
     * Makes the conflist say what {@code self} (this node's accepted Node) needs: pod CIDR, pod
     * MTU (the uplink's less VXLAN's 50 bytes). Atomic (temp file and rename), writes only when
     * the text differs, so calling it every second costs one file read. Idempotent; returns
     * whether it wrote. Removes the conflist of earlier releases ({@code 10-linen.conflist}).
     *
     * @throws IllegalStateException when no interface holds the node's InternalIP
     */
    public boolean ensure(Peer self) throws IOException {
        String podCidr = self.ipv4PodCidrs().get(0).toString();
        int mtu = Uplink.podMtu(InetAddress.ofLiteral(self.internalIp()));
        String text = CniInstaller.conflist(new CniInstaller.NodeNetwork(podCidr, mtu, ovsBridge, datapathType,
                ovsdb, stateDir));
        boolean wrote = CniInstaller.writeIfChanged(confDir, CniInstaller.CONFLIST, text);
        Files.deleteIfExists(confDir.resolve(CniInstaller.LEGACY_CONFLIST));
        if (wrote) {
            LOG.info("ready: wrote " + confDir.resolve(CniInstaller.CONFLIST) + " (pod CIDR " + podCidr + ", MTU " + mtu + ")");
        }
        return wrote;
    }

    /** Removes Linen's conflist (and an earlier release's). Idempotent; returns whether one was there. */
    public boolean remove() throws IOException {
        boolean any = Files.deleteIfExists(confDir.resolve(CniInstaller.CONFLIST));
        return Files.deleteIfExists(confDir.resolve(CniInstaller.LEGACY_CONFLIST)) || any;
    }
}
