package dev.linen.cni;

import dev.linen.cni.json.Json;
import dev.linen.cni.node.SetupRecord;
import dev.linen.cni.node.SysNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Build-time only: runs the plugin's steady-state paths in-process so the JVM can record them in
 * the AOT cache ({@code -XX:AOTCacheOutput}). It works in a scratch directory that make-launcher
 * prepares and removes (a stand-in sysfs with {@code kbr0} and {@code br0}, an empty {@code db.sock},
 * a 0700 {@code state} dir): every class loaded here is in the cache and loaded at each start of
 * the plugin, so this class itself touches the file system only as the plugin does. Prints what
 * each step returned.
 */
public final class Training {
    private static final int ROUNDS = 30;

    private Training() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Training SCRATCH_DIR (see make-launcher)");
        }
        Path scratch = Path.of(args[0]);
        CniEnv.ofProcess(); // the launcher reads the real environment: record those classes
        Linen linen = new Linen(new SysNet(scratch.resolve("sys")));
        String conf = conf(scratch.resolve("db.sock"), scratch.resolve("state"));
        prime(conf);
        for (int i = 0; i < ROUNDS; i++) {
            run(linen, "VERSION", "{\"cniVersion\":\"1.0.0\"}");
            String add = run(linen, "ADD", conf);
            if (!add.startsWith("ADD -> 0 ")) {
                // trained on an error path, the cache would not serve the steady state
                throw new IllegalStateException("the steady-state ADD failed in training: " + add);
            }
            run(linen, "DEL", conf);
            run(linen, "ADD", "{not json");
            run(linen, "ADD", conf.replace("\"prevResult\"", "\"other\""));
        }
    }

    /**
     * Records the scratch node as set up, so ADD takes the steady-state path. With java.io, not
     * through SetupRecord.write: what the full path loads (NIO channels, permission sets) would be
     * recorded in the cache and loaded on every ADD. The umask (077) makes the state dir 0700 and
     * the record 0600, which the steady path requires before it trusts a record.
     */
    private static void prime(String conf) {
        try {
            NetConf c = NetConfLoader.load(conf);
            SetupRecord record = SetupRecord.of(c.ovs().stateDir(), c.ovs().ovsdb(), c.ovs().ovsBridge());
            write(record.file(), record.content(AddCommand.fingerprint(c.ovs(), "kbr0")));
        } catch (CniException e) {
            throw new IllegalStateException(e.getMessage() + ": " + e.details(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prime the scratch node: " + e, e);
        }
    }

    private static String run(Linen linen, String command, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "aot-training",
                "CNI_NETNS", "/proc/self/ns/net", "CNI_IFNAME", "eth0", "CNI_PATH", "/nonexistent");
        int rc = linen.run(env, new ByteArrayInputStream(stdin.getBytes(Json.UTF_8)), out);
        String line = command + " -> " + rc + " " + out.toString(Json.UTF_8);
        System.out.println(line);
        return line;
    }

    /** java.io, like the plugin: NIO channels used here would be recorded and loaded on every ADD. */
    private static Path write(Path p, String text) throws IOException {
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(p.toString())) {
            out.write(text.getBytes(Json.UTF_8));
        }
        return p;
    }

    private static String conf(Path socket, Path state) {
        return """
            {"cniVersion":"1.0.0","name":"train","type":"linen","ovsdb":"SOCKET","stateDir":"STATE",
             "runtimeConfig":{"ovs":{"isMaster":true,"ovsBridge":"br0","vtepIPs":["10.245.2.2","10.245.2.3"]}},
             "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"kbr0","mac":"0a:58:0a:f4:01:01"},
               {"name":"veth1234","mac":"0a:58:0a:f4:01:02"},{"name":"eth0","mac":"0a:58:0a:f4:01:03",
               "sandbox":"/var/run/netns/x"}],"ips":[{"interface":2,"address":"10.244.1.10/16",
               "gateway":"10.244.1.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}}
            """.replace("SOCKET", socket.toString()).replace("STATE", state.toString());
    }
}
