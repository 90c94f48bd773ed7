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
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses and validates the plugin config (the {@code loadNetConf} of the reference plugins).
 * Runs on every ADD, so it is written without lambdas or regular expressions (each costs start-up).
 */
public final class NetConfLoader {
    private NetConfLoader() {
    }

    /** Decodes stdin; code 6 when it is not JSON, 1 for a foreign version, 7 for bad values. */
    public static NetConf load(String stdin) throws CniException {
        return load(decode(stdin));
    }

    /** Validates a decoded config: code 1 for a foreign version, 7 for bad values. */
    public static NetConf load(JObject conf) throws CniException {
        Optional<String> version = conf.string("cniVersion");
        if (version.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "cniVersion is missing");
        }
        CniVersions.requireSupported(version.get());
        String name = conf.string("name").orElse("");
        String type = conf.string("type").orElse("linen");
        Optional<JObject> prev = optionalObject(conf, "prevResult");
        return new NetConf(version.get(), name, type, settings(conf), prev, conf);
    }

    /** Stdin as an object, or empty when it is not one (see {@link #decode} for the error). */
    public static Optional<JObject> tryDecode(String stdin) {
        try {
            return Optional.of(decode(stdin));
        } catch (CniException e) {
            return Optional.empty();
        }
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
        Optional<JObject> runtime = conf.object("runtimeConfig");
        Lookup in = new Lookup(conf, runtime.isPresent() ? runtime.get().object("ovs") : Optional.empty());
        try {
            Optional<String> controller = in.string("controller");
            Optional<String> ovsdb = in.string("ovsdb");
            Optional<String> stateDir = in.string("stateDir");
            Optional<String> linuxBridge = in.string("linuxBridge");
            return new OvsSettings(
                    in.bool("isMaster"),
                    in.string("ovsBridge").orElse(OvsSettings.DEFAULT_BRIDGE),
                    vteps(in.strings("vtepIPs")),
                    controller.isPresent() ? Optional.of(controllerTarget(controller.get())) : Optional.empty(),
                    in.string("datapathType"),
                    ovsdb.isPresent() ? OvsdbEndpoint.parse(ovsdb.get())
                            : new OvsdbEndpoint.UnixSocket(OvsdbEndpoint.DEFAULT_SOCKET),
                    in.integer("mtu"),
                    stateDir.isPresent() ? Path.of(stateDir.get()) : OvsSettings.DEFAULT_STATE_DIR,
                    linuxBridge);
        } catch (IllegalArgumentException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid linen configuration", e.getMessage());
        }
    }

    /** Peers in canonical text. IPv4 is checked by hand: InetAddress would load the security properties. */
    private static List<String> vteps(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            out.add(t.indexOf(':') < 0 && isDottedQuad(t) ? t : Addresses.ipLiteral(t, "vtepIPs").getHostAddress());
        }
        return out;
    }

    /** Linen's {@code ip:port} becomes {@code tcp:ip:port}; OVS targets pass as they are. */
    static String controllerTarget(String text) {
        return Addresses.controllerTarget(text);
    }

    private static boolean isDottedQuad(String s) {
        int start = 0;
        for (int part = 0; part < 4; part++) {
            int end = part < 3 ? s.indexOf('.', start) : s.length();
            if (end < 0) {
                return false;
            }
            String octet = s.substring(start, end);
            if (!isDigits(octet, 3) || (octet.length() > 1 && octet.charAt(0) == '0')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
            Optional<JsonValue> v = top.get(key);
            if (v.isEmpty() && ovs.isPresent()) {
                v = ovs.get().get(key);
            }
            return v.isPresent() && v.get() == JsonValue.JNull.NULL ? Optional.empty() : v;
        }

        Optional<String> string(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (v.get() instanceof JString s) {
                return Optional.of(s.value());
            }
            throw fail(key, "a string");
        }

        boolean bool(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return false;
            }
            if (v.get() instanceof JBool b) {
                return b.value();
            }
            throw fail(key, "true or false");
        }

        OptionalInt integer(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return OptionalInt.empty();
            }
            if (v.get() instanceof JNumber n && isDigits(n.text(), 9)) {
                return OptionalInt.of(Integer.parseInt(n.text()));
            }
            throw fail(key, "a whole number");
        }

        List<String> strings(String key) {
            Optional<JsonValue> v = get(key);
            if (v.isEmpty()) {
                return List.of();
            }
            if (!(v.get() instanceof JArray a)) {
                throw fail(key, "a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonValue item : a.items()) {
                if (!(item instanceof JString s)) {
                    throw fail(key, "a list of strings");
                }
                out.add(s.value());
            }
            return out;
        }

        private static IllegalArgumentException fail(String key, String what) {
            return new IllegalArgumentException(key + " must be " + what);
        }
    }

    /**
     * Controller targets and IPv6 peers, through InetAddress. A class of its own: a config without
     * them (the usual one) never loads the InetAddress classes, which verifying a method that
     * returns them would.
     */
    private static final class Addresses {
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
            if (isDigits(s, 5)) {
                int p = Integer.parseInt(s);
                if (p >= 1 && p <= 65535) {
                    return p;
                }
            }
            throw new IllegalArgumentException("controller port must be 1..65535: " + s);
        }

        /** An IPv4 dotted quad or an IPv6 literal; never a name lookup, no legacy short forms. */
        static InetAddress ipLiteral(String text, String key) {
            try {
                if (text.indexOf(':') >= 0) {
                    return Inet6Address.ofLiteral(text);
                }
                if (isDottedQuad(text)) {
                    return Inet4Address.ofLiteral(text);
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + ": not an IP address: " + text);
        }
    }
}
