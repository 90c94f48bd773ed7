package dev.linen.flaxd.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * This node's conflist (bridge + host-local with the node's pod CIDR and MTU, then linen with no
 * vtepIPs, flaxd owns the tunnels, then portmap for hostPorts), written by flaxd
 * ({@link ConflistWriter}). Named to sort before other CNIs' files: runtimes load only the first.
 */
public final class CniInstaller {
    public static final String CONFLIST = "00-linen.conflist";
    /** The name earlier releases wrote (from {@code flaxd install}); removed when found. */
    public static final String LEGACY_CONFLIST = "10-linen.conflist";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param podCidr      this node's pod CIDR (from its Node object)
     * @param mtu          pod MTU (uplink MTU less the VXLAN overhead)
     * @param ovsBridge    the OVS bridge linen attaches
     * @param datapathType the bridge's datapath type
     * @param ovsdb        OVSDB socket path for linen
     * @param stateDir     where host-local and linen keep their state, if not their defaults
     */
    public record NodeNetwork(String podCidr, int mtu, String ovsBridge, String datapathType, String ovsdb,
                              java.util.Optional<String> stateDir) {
    }

    private CniInstaller() {
    }

    /** The conflist text for the node. Pure. */
    public static String conflist(NodeNetwork n) {
        ObjectNode root = JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "linen");
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode bridge = plugins.addObject().put("type", "bridge").put("bridge", "kbr0")
                .put("isGateway", true).put("ipMasq", false).put("hairpinMode", true).put("mtu", n.mtu());
        ObjectNode ipam = bridge.putObject("ipam").put("type", "host-local");
        ipam.putArray("ranges").addArray().addObject().put("subnet", n.podCidr());
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        ObjectNode linen = plugins.addObject().put("type", "linen").put("ovsBridge", n.ovsBridge())
                .put("datapathType", n.datapathType()).put("ovsdb", n.ovsdb()).put("mtu", n.mtu());
        plugins.addObject().put("type", "portmap").putObject("capabilities").put("portMappings", true);
        if (n.stateDir().isPresent()) {
            ipam.put("dataDir", n.stateDir().get() + "/ipam");
            linen.put("stateDir", n.stateDir().get() + "/linen");
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Writes {@code text} to {@code dir/name} only if it differs, atomically (temp file in the same
     * directory, then rename), so a runtime never reads half a file. Idempotent; returns whether
     * it wrote.
     */
    public static boolean writeIfChanged(Path dir, String name, String text) throws IOException {
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target) && Files.readString(target).equals(text)) {
            return false;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }
}
