package dev.linen.cni;

import dev.linen.cni.node.SetupRecord;
import dev.linen.cni.node.SysNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Build-time only: runs the plugin's steady-state paths in-process so the JVM can record them in
 * the AOT cache ({@code -XX:AOTCacheOutput}). It works in a scratch directory that stands in for
 * sysfs and the state dir, touches nothing on the machine, and prints what each step returned.
 */
public final class Training {
    private static final int ROUNDS = 30;

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        // not Files.createTempDirectory: its SecureRandom would be recorded and loaded on every ADD
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "linen-aot-" + System.nanoTime());
        Files.createDirectories(scratch); // 0700: make-launcher runs this under umask 077
        try {
            Path sys = scratch.resolve("sys");
            Files.createDirectories(sys.resolve("kbr0/bridge"));
            Files.createDirectories(sys.resolve("br0"));
            write(sys.resolve("br0/flags"), "0x1003\n");
            Files.createSymbolicLink(sys.resolve("br0/master"), Path.of("../kbr0"));
            Path socket = write(scratch.resolve("db.sock"), "");
            System.getenv().size(); // the launcher reads the real environment: record those classes
            Linen linen = new Linen(new SysNet(sys));
            String conf = conf(socket, scratch.resolve("state"));
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
        } finally {
            delete(scratch);
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
            Files.createDirectories(c.ovs().stateDir());
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
        int rc = linen.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out);
        String line = command + " -> " + rc + " " + out.toString(StandardCharsets.UTF_8);
        System.out.println(line);
        return line;
    }

    /** java.io, like the plugin: NIO channels used here would be recorded and loaded on every ADD. */
    private static Path write(Path p, String text) throws IOException {
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(p.toString())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.newDirectoryStream(p)) {
                for (Path e : entries) {
                    delete(e);
                }
            }
        }
        Files.deleteIfExists(p);
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
