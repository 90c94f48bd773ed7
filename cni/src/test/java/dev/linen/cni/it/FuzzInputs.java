package dev.linen.cni.it;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JBool;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Generated CNI calls for the fuzz test: a linen config as a runtime passes it (with
 * {@code prevResult}), mostly well-formed and aimed at this node's OVS, with values drawn from
 * valid, odd and invalid ones, some keys moved, dropped or replaced by random JSON, some stdin
 * bytes broken; and a CNI environment, mostly right. Pure: case {@code i} of seed {@code s} is
 * always the same.
 *
 * @param socket     the node's OVSDB socket
 * @param stateDir   the node's state directory
 * @param badStates  state directories linen must refuse (a file, a 0777 directory, a symbolic link)
 */
record FuzzInputs(Path socket, Path stateDir, List<Path> badStates) {
    static final List<String> VERSIONS = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    /** Linux bridges the fuzz node has (made by the test), and OVS bridges the configs name. */
    static final List<String> LINUX_BRIDGES = List.of("fzk0", "fzk1");
    static final List<String> OVS_BRIDGES = List.of("fzb0", "fzb1");

    /** One CNI call: its environment and stdin; {@code command} is CNI_COMMAND (empty when unset). */
    record Case(long seed, int index, Map<String, String> env, byte[] stdin, String command, boolean utf8) {
        String stdinText() {
            return new String(stdin, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "case " + index + " of seed " + seed + ": env " + env + " stdin " + stdinText();
        }
    }

    Case generate(long seed, int index) {
        Random r = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
        String command = pick(r, List.of("ADD", "ADD", "ADD", "ADD", "ADD", "ADD", "ADD", "ADD", "ADD", "ADD",
                "ADD", "ADD", "ADD", "ADD", "CHECK", "CHECK", "DEL", "VERSION", "STATUS", "GC", "", "add", "BOGUS"));
        String version = r.nextInt(20) == 0 ? pick(r, List.of("0.5.0", "2.0.0", "1.0", "", "v1.0.0")) : pick(r, VERSIONS);
        JObject conf = mutate(r, config(r, version));
        byte[] stdin = Json.write(conf).getBytes(StandardCharsets.UTF_8);
        boolean utf8 = true;
        if (r.nextInt(12) == 0) {
            stdin = breakBytes(r, stdin);
            utf8 = false;
        }
        return new Case(seed, index, env(r, command, index), stdin, command, utf8);
    }

    private JObject config(Random r, String version) {
        Map<String, JsonValue> top = new LinkedHashMap<>();
        Map<String, JsonValue> ovs = new LinkedHashMap<>();
        top.put("cniVersion", r.nextInt(40) == 0 ? JsonValue.of(1) : JsonValue.of(version));
        top.put("name", JsonValue.of("fuzz"));
        top.put("type", JsonValue.of(r.nextInt(30) == 0 ? "other" : "linen"));
        String bridge = r.nextInt(25) == 0 ? pick(r, List.of("", "br/0", "bridge-name-too-long", "fz b", "..", "fzb\u00e9"))
                : pick(r, OVS_BRIDGES);
        put(r, top, ovs, "ovsBridge", JsonValue.of(bridge));
        datapathType(r, bridge).ifPresent(v -> put(r, top, ovs, "datapathType", v));
        if (r.nextInt(2) == 0) {
            // each bridge its own peers (a port name is unique in OVS); now and then the other's
            int pool = OVS_BRIDGES.indexOf(bridge) == 1 ^ r.nextInt(6) == 0 ? 1 : 0;
            put(r, top, ovs, "vtepIPs", vteps(r, pool));
        }
        nodeKeys(r, top, ovs, version);
        if (!ovs.isEmpty()) {
            top.put("runtimeConfig", new JObject(Map.of("ovs", new JObject(ovs))));
        }
        if (r.nextInt(20) != 0) {
            top.put("prevResult", prevResult(r, version));
        }
        return new JObject(top);
    }

    /** The keys that are not about the bridge's identity: controller, MTU, flag, where things are. */
    private void nodeKeys(Random r, Map<String, JsonValue> top, Map<String, JsonValue> ovs, String version) {
        if (r.nextInt(6) == 0) {
            put(r, top, ovs, "controller", JsonValue.of(pick(r, List.of("127.0.0.1:6653", "tcp:127.0.0.1:6654",
                    "[::1]:6653", "x:y", "127.0.0.1:0", "127.0.0.1", "ssl:127.0.0.1:6655"))));
        }
        if (r.nextInt(6) == 0) {
            put(r, top, ovs, "mtu", pick(r, List.of(JsonValue.of(1400), JsonValue.of(1500), JsonValue.of(9000),
                    JsonValue.of(1450), JsonValue.of(65535), JsonValue.of(575), JsonValue.of(0), new JNumber("-5"),
                    new JNumber("1400.5"), JsonValue.of("1400"))));
        }
        if (r.nextInt(3) == 0) {
            put(r, top, ovs, "isMaster", pick(r, List.of(new JBool(true), new JBool(false), new JBool(true),
                    new JBool(false), new JBool(true), JsonValue.of("true"))));
        }
        put(r, top, ovs, "ovsdb", JsonValue.of(r.nextInt(30) != 0 ? socket.toString()
                : pick(r, List.of("/nonexistent/db.sock", "tcp:127.0.0.1:1", "garbage", "unix:" + socket))));
        put(r, top, ovs, "stateDir", JsonValue.of(r.nextInt(30) != 0 ? stateDir.toString()
                : pick(r, List.of("relative/state", badStates.get(0).toString(), badStates.get(1).toString(),
                        badStates.get(2).toString()))));
        boolean legacy = version.startsWith("0.1") || version.startsWith("0.2");
        if (legacy && r.nextInt(8) != 0) {
            put(r, top, ovs, "linuxBridge", JsonValue.of(pick(r, LINUX_BRIDGES)));
        } else if (r.nextInt(10) == 0) {
            put(r, top, ovs, "linuxBridge", JsonValue.of(pick(r, List.of("fzk0", "fzk1", "nosuch0", "bad/name", ""))));
        }
    }

    /** A bridge the plugin would create defaults to system, which fails here: kept rare to keep the run short. */
    private static Optional<JsonValue> datapathType(Random r, String bridge) {
        int roll = r.nextInt(100);
        if (roll < 2) {
            return Optional.of(JsonValue.of("system"));
        }
        if (roll < 4) {
            return Optional.of(pick(r, List.of(JsonValue.of("dpdk"), JsonValue.of(""), JsonValue.of(7))));
        }
        boolean mayBeNew = !bridge.equals("fzb0");
        return roll < 50 && !mayBeNew ? Optional.empty() : Optional.of(JsonValue.of("netdev"));
    }

    private static JsonValue vteps(Random r, int pool) {
        if (r.nextInt(10) == 0) {
            return pick(r, List.of(JsonValue.of("10.98.0.1"), JsonValue.of(5), new JObject(Map.of())));
        }
        List<JsonValue> ips = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            ips.add(JsonValue.of(r.nextInt(15) == 0
                    ? pick(r, List.of("10.98.0.300", "node-2", "", "fd00::98:1", "010.98.0.1", "1.2.3"))
                    : "10.98." + pool + "." + (1 + r.nextInt(6))));
        }
        return new JArray(ips);
    }

    private static JsonValue prevResult(Random r, String version) {
        String bridge = r.nextInt(12) == 0 ? "nosuch0" : pick(r, LINUX_BRIDGES);
        if (r.nextInt(15) == 0) {
            return pick(r, List.of(new JObject(Map.of()), JsonValue.of("x"), new JArray(List.of()), JsonValue.JNull.NULL));
        }
        if (version.startsWith("0.1") || version.startsWith("0.2")) {
            return new JObject(Map.of("cniVersion", JsonValue.of(version),
                    "ip4", new JObject(Map.of("ip", JsonValue.of("10.244.0.5/24"), "gateway", JsonValue.of("10.244.0.1")))));
        }
        Map<String, JsonValue> ip = new LinkedHashMap<>();
        ip.put("address", JsonValue.of("10.244.0.5/24"));
        ip.put("gateway", JsonValue.of("10.244.0.1"));
        ip.put("interface", JsonValue.of(1));
        if (!version.startsWith("1.")) {
            ip.put("version", JsonValue.of("4"));
        }
        return new JObject(Map.of("cniVersion", JsonValue.of(version),
                "interfaces", new JArray(List.of(new JObject(Map.of("name", JsonValue.of(bridge))),
                        new JObject(Map.of("name", JsonValue.of("eth0"), "sandbox", JsonValue.of("/var/run/netns/fz"))))),
                "ips", new JArray(List.of(new JObject(ip)))));
    }

    /** Linen reads each key at the top level or under runtimeConfig.ovs: either place. */
    private static void put(Random r, Map<String, JsonValue> top, Map<String, JsonValue> ovs, String key, JsonValue v) {
        (r.nextBoolean() ? top : ovs).put(key, v);
    }

    /** Up to two of: drop a key, replace a value by random JSON, add a random key. */
    private static JObject mutate(Random r, JObject conf) {
        int n = r.nextInt(6) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < n; i++) {
            List<String> keys = new ArrayList<>(conf.members().keySet());
            String key = keys.get(r.nextInt(keys.size()));
            conf = switch (r.nextInt(3)) {
                case 0 -> conf.without(key);
                case 1 -> conf.with(key, randomJson(r, 2));
                default -> conf.with(pick(r, List.of("ovsBridge", "vtepIPs", "mtu", "extra", "args", "dns")), randomJson(r, 2));
            };
        }
        return conf;
    }

    private static JsonValue randomJson(Random r, int depth) {
        return switch (r.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> JsonValue.JNull.NULL;
            case 1 -> new JBool(r.nextBoolean());
            case 2 -> new JNumber(pick(r, List.of("0", "-1", "1e999", "12345678901234567890", "0.5")));
            case 3 -> JsonValue.of(pick(r, List.of("", "fzb0", "\u0000", "\u00e9\u4e2d", "a".repeat(300), "10.98.0.1")));
            case 4 -> JsonValue.of(r.nextInt(100_000));
            case 5 -> new JArray(List.of(randomJson(r, depth - 1), randomJson(r, depth - 1)));
            default -> new JObject(Map.of("k", randomJson(r, depth - 1)));
        };
    }

    /** Truncates, overwrites or inserts bytes (some that are not UTF-8). */
    private static byte[] breakBytes(Random r, byte[] in) {
        int at = r.nextInt(in.length);
        byte[] junk = {(byte) 0xFF, (byte) 0xC3, '{', '"', 0, (byte) 0xE2, (byte) 0x82};
        return switch (r.nextInt(3)) {
            case 0 -> java.util.Arrays.copyOf(in, at);
            case 1 -> {
                byte[] out = in.clone();
                out[at] = junk[r.nextInt(junk.length)];
                yield out;
            }
            default -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = junk[r.nextInt(junk.length)];
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
        };
    }

    private static Map<String, String> env(Random r, String command, int index) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!command.isEmpty()) {
            env.put("CNI_COMMAND", command);
        }
        maybe(r, env, "CNI_CONTAINERID", "fz-" + index, List.of("", "bad id", "x".repeat(300)));
        maybe(r, env, "CNI_NETNS", "/var/run/netns/fz-none", List.of("", "relative/ns"));
        maybe(r, env, "CNI_IFNAME", "eth0", List.of("", "ifname-too-long-x", "a/b"));
        maybe(r, env, "CNI_PATH", "/usr/lib/cni", List.of(""));
        if (r.nextInt(10) == 0) {
            env.put("CNI_ARGS", pick(r, List.of("IgnoreUnknown=1;K8S_POD_NAME=p", "garbage", "")));
        }
        return env;
    }

    /** Mostly {@code good}; now and then absent or one of {@code odd}. */
    private static void maybe(Random r, Map<String, String> env, String key, String good, List<String> odd) {
        int roll = r.nextInt(40);
        if (roll == 0) {
            return;
        }
        env.put(key, roll == 1 ? pick(r, odd) : good);
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
