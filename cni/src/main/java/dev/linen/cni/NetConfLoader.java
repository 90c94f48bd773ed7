package dev.linen.cni;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JBool;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.json.JsonValue.JString;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Parses and validates the plugin config (the {@code loadNetConf} of the reference plugins). */
public final class NetConfLoader {
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private NetConfLoader() {
    }

    /** Decodes stdin; code 6 when it is not JSON, 1 for a foreign version, 7 for bad values. */
    public static NetConf load(String stdin) throws CniException {
        JObject conf = decode(stdin);
        String version = conf.string("cniVersion").orElseThrow(
                () -> new CniException(CniException.INVALID_CONFIG, "cniVersion is missing"));
        CniVersions.requireSupported(version);
        String name = conf.string("name").orElse("");
        String type = conf.string("type").orElse("linen");
        Optional<JObject> prev = optionalObject(conf, "prevResult");
        return new NetConf(version, name, type, settings(conf), prev, conf);
    }

    /** Parses stdin into an object, or fails with code 6. */
    public static JObject decode(String stdin) throws CniException {
        try {
            if (Json.parse(stdin) instanceof JObject o) {
                return o;
            }
            throw new CniException(CniException.DECODE_FAILURE, "network configuration is not a JSON object");
        } catch (JsonException e) {
            throw new CniException(CniException.DECODE_FAILURE,
                    "failed to decode network configuration", e.getMessage());
        }
    }

    private static OvsSettings settings(JObject conf) throws CniException {
        Lookup in = new Lookup(conf, conf.object("runtimeConfig").flatMap(r -> r.object("ovs")));
        try {
            return new OvsSettings(
                    in.bool("isMaster").orElse(false),
                    in.string("ovsBridge").orElse(OvsSettings.DEFAULT_BRIDGE),
                    vteps(in.strings("vtepIPs")),
                    in.string("controller").map(NetConfLoader::controllerTarget),
                    in.string("datapathType").orElse("system"),
                    in.string("ovsdb").map(OvsdbEndpoint::parse)
                            .orElse(new OvsdbEndpoint.UnixSocket(OvsdbEndpoint.DEFAULT_SOCKET)),
                    in.integer("mtu"),
                    in.string("stateDir").map(Path::of).orElse(OvsSettings.DEFAULT_STATE_DIR));
        } catch (IllegalArgumentException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid linen configuration", e.getMessage());
        }
    }

    private static List<InetAddress> vteps(List<String> texts) {
        List<InetAddress> out = new ArrayList<>();
        for (String t : texts) {
            out.add(ipLiteral(t, "vtepIPs"));
        }
        return out;
    }

    /** Linen's {@code ip:port} becomes {@code tcp:ip:port}; OVS targets pass as they are. */
    static String controllerTarget(String text) {
        if (text.startsWith("tcp:") || text.startsWith("ssl:") || text.startsWith("unix:")) {
            return text;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("controller must be ip:port: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress ip = ipLiteral(host, "controller");
        int port = port(text.substring(colon + 1));
        String h = ip instanceof Inet6Address ? "[" + host + "]" : host;
        return "tcp:" + h + ":" + port;
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("controller port must be 1..65535: " + s);
    }

    /** An IPv4 dotted quad or an IPv6 literal; never a name lookup, no legacy short forms. */
    static InetAddress ipLiteral(String text, String key) {
        try {
            if (text.contains(":")) {
                return Inet6Address.ofLiteral(text);
            }
            if (!IPV4.matcher(text).matches()) {
                throw new IllegalArgumentException(text);
            }
            return java.net.Inet4Address.ofLiteral(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + ": not an IP address: " + text);
        }
    }

    private static Optional<JObject> optionalObject(JObject conf, String key) throws CniException {
        Optional<JsonValue> v = conf.get(key);
        if (v.isEmpty() || v.get() == JsonValue.JNull.NULL) {
            return Optional.empty();
        }
        if (v.get() instanceof JObject o) {
            return Optional.of(o);
        }
        throw new CniException(CniException.INVALID_CONFIG, key + " must be an object");
    }

    /** Reads a key from the top level first, then from {@code runtimeConfig.ovs}. */
    private record Lookup(JObject top, Optional<JObject> ovs) {
        Optional<JsonValue> get(String key) {
            return top.get(key).or(() -> ovs.flatMap(o -> o.get(key)))
                    .filter(v -> v != JsonValue.JNull.NULL);
        }

        Optional<String> string(String key) {
            return get(key).map(v -> v instanceof JString s ? s.value() : fail(key, "a string"));
        }

        Optional<Boolean> bool(String key) {
            return get(key).map(v -> v instanceof JBool b ? b.value() : fail(key, "true or false"));
        }

        OptionalInt integer(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return OptionalInt.empty();
            }
            if (v.get() instanceof JNumber n && n.text().matches("[0-9]{1,9}")) {
                return OptionalInt.of(Integer.parseInt(n.text()));
            }
            return fail(key, "a whole number");
        }

        List<String> strings(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return List.of();
            }
            if (!(v.get() instanceof JArray a)) {
                return fail(key, "a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonValue item : a.items()) {
                out.add(item instanceof JString s ? s.value() : fail(key, "a list of strings"));
            }
            return out;
        }

        private static <T> T fail(String key, String what) {
            throw new IllegalArgumentException(key + " must be " + what);
        }
    }
}
