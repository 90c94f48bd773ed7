package dev.linen.flaxd.install;

import dev.linen.flaxd.FlaxdConfig;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.cluster.NodeRules;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.db.OvsdbEndpoint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code flaxd install}: waits for this node's pod CIDR and InternalIP, then installs the linen
 * plugin and writes the node's conflist. Idempotent; writes only what changed.
 *
 * @param binDir     CNI bin directory ({@code FLAXD_CNI_BIN_DIR}, default /opt/cni/bin)
 * @param confDir    CNI conf directory ({@code FLAXD_CNI_CONF_DIR}, default /etc/cni/net.d)
 * @param pluginDir  where the image keeps linen and linen-runtime ({@code FLAXD_PLUGIN_DIR}, /opt/linen)
 * @param stateDir   host-local's and linen's state directory ({@code FLAXD_CNI_STATE_DIR}; their defaults if unset)
 */
public record InstallCommand(Path binDir, Path confDir, Path pluginDir, java.util.Optional<String> stateDir) {
    private static final Logger LOG = Logger.getLogger(InstallCommand.class.getName());

    public static InstallCommand fromEnv(Map<String, String> env) {
        return new InstallCommand(Path.of(env.getOrDefault("FLAXD_CNI_BIN_DIR", "/opt/cni/bin")),
                Path.of(env.getOrDefault("FLAXD_CNI_CONF_DIR", "/etc/cni/net.d")),
                Path.of(env.getOrDefault("FLAXD_PLUGIN_DIR", "/opt/linen")),
                java.util.Optional.ofNullable(env.get("FLAXD_CNI_STATE_DIR")));
    }

    public void run(FlaxdConfig config, KubernetesClient client, Duration wait) throws IOException {
        Ipv4Prefix cluster = Ipv4Prefix.parse(config.clusterCidr());
        Node node = client.nodes().withName(config.nodeName()).waitUntilCondition(
                n -> n != null && NodeRules.check(n, cluster) instanceof NodeRules.Verdict.Usable,
                wait.toMillis(), TimeUnit.MILLISECONDS);
        Peer self = ((NodeRules.Verdict.Usable) NodeRules.check(node, cluster)).peer();
        String podCidr = self.ipv4PodCidrs().get(0).toString();
        int mtu = Uplink.podMtu(InetAddress.ofLiteral(self.internalIp()));
        String socket = config.ovsdb() instanceof OvsdbEndpoint.UnixSocket u ? u.path().toString() : config.ovsdb().toString();
        String text = CniInstaller.conflist(new CniInstaller.NodeNetwork(podCidr, mtu,
                config.tunnels().bridge(), config.datapathType(), socket, stateDir));
        boolean wroteConf = CniInstaller.writeIfChanged(confDir, CniInstaller.CONFLIST, text);
        boolean copied = PluginInstaller.install(pluginDir, binDir);
        LOG.info("install: conflist " + (wroteConf ? "written" : "unchanged") + ", plugin "
                + (copied ? "installed" : "unchanged") + " (pod CIDR " + podCidr + ", MTU " + mtu + ")");
    }
}
