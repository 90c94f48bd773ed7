package dev.linen.cni.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test node: a network namespace with its private OVS (from the ovs-model test extension), a
 * CNI_PATH holding the built linen (as a symlink) in front of Debian's plugins, and pods as
 * network namespaces. The runtime is the libcni caller; the plugin can also be run directly.
 * Every namespace it makes carries the node's prefix and is removed by {@link #close()}.
 */
final class CniNode implements AutoCloseable {
    static final String DEBIAN_PLUGINS = "/usr/lib/cni";

    final String netns;
    final Path socket;
    final Path work;
    final Path bin;
    private final List<String> pods = new ArrayList<>();

    CniNode(String netns, Path socket, Path work) {
        this.netns = netns;
        this.socket = socket;
        this.work = work;
        this.bin = work.resolve("bin");
        try {
            Files.createDirectories(bin);
            Files.deleteIfExists(bin.resolve("linen"));
            Files.createSymbolicLink(bin.resolve("linen"), Repo.plugin());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path state() {
        return work.resolve("state");
    }

    Path ipamData() {
        return work.resolve("ipam");
    }

    /** Creates a pod namespace; returns its path. */
    String pod(String suffix) {
        String name = netns + "-" + suffix;
        Proc.ok("ip", "netns", "add", name);
        pods.add(name);
        return "/var/run/netns/" + name;
    }

    void removePod(String path) {
        String name = Path.of(path).getFileName().toString();
        Proc.run("ip", "netns", "del", name);
        pods.remove(name);
    }

    Path write(String fileName, String json) {
        try {
            return Files.writeString(work.resolve(fileName), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code cnicall add|check|del} in the node's namespace. */
    Proc cnicall(String command, Path conflist, String podNetns, String containerId) {
        List<String> argv = inNode(env());
        argv.addAll(List.of(Repo.cnicall().toString(), command, conflist.toString(), podNetns, containerId, "eth0"));
        return Proc.run(argv, Map.of(), "");
    }

    /** Runs the plugin itself (the CNI protocol without libcni), for inputs libcni would refuse. */
    Proc plugin(String command, String stdin, Map<String, String> cniEnv) {
        return plugin(command, stdin, cniEnv, Proc.TIMEOUT_SECONDS);
    }

    /** {@link #plugin(String, String, Map)} with a deadline of its own (killed and failed past it). */
    Proc plugin(String command, String stdin, Map<String, String> cniEnv, long timeoutSeconds) {
        return Proc.run(pluginArgv(command, cniEnv, false, List.of()), Map.of(), stdin, timeoutSeconds);
    }

    /**
     * Runs the plugin with nothing in its environment but the CNI variables ({@code env -i}: no
     * locale, no PATH), as a runtime may start plugins.
     */
    Proc pluginWithEmptyEnvironment(String command, String stdin, Map<String, String> cniEnv) {
        return Proc.run(pluginArgv(command, cniEnv, true, List.of()), Map.of(), stdin);
    }

    /** Runs the plugin under umask 000 (a fixed sh line sets it, then execs the plugin's argv). */
    Proc pluginUnderUmask000(String command, String stdin, Map<String, String> cniEnv) {
        return Proc.run(pluginArgv(command, cniEnv, false, List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh")),
                Map.of(), stdin);
    }

    private List<String> pluginArgv(String command, Map<String, String> cniEnv, boolean emptyEnv, List<String> wrapper) {
        Map<String, String> env = env();
        env.put("CNI_COMMAND", command);
        env.putAll(cniEnv);
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env"));
        if (emptyEnv) {
            argv.add("-i");
        }
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(wrapper);
        argv.add(bin.resolve("linen").toString());
        return argv;
    }

    /** Runs argv in the node's namespace. */
    Proc exec(String... argv) {
        List<String> all = inNode(Map.of());
        all.addAll(List.of(argv));
        return Proc.run(all, Map.of(), "");
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_PATH", bin + ":" + DEBIAN_PLUGINS);
        env.put("CNI_CACHE_DIR", work.resolve("cache").toString());
        return env;
    }

    private List<String> inNode(Map<String, String> env) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "env"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        return argv;
    }

    @Override
    public void close() {
        for (String name : List.copyOf(pods)) {
            Proc.run("ip", "netns", "del", name);
        }
        pods.clear();
    }
}
