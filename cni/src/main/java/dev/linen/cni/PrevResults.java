package dev.linen.cni;

import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.json.JsonValue.JString;
import dev.linen.cni.node.SysNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading and re-shaping the previous plugin's result. Two shapes exist: the legacy one of
 * cniVersion 0.1.0 and 0.2.0 ({@code ip4}/{@code ip6} objects with {@code ip}, {@code gateway},
 * {@code routes}; {@code dns}) and the current one of 0.3.0 on ({@code interfaces}, {@code ips},
 * {@code routes}, {@code dns}). Pure functions; on the ADD path, so written without lambdas.
 */
public final class PrevResults {
    private PrevResults() {
    }

    /**
     * The Linux bridge to join: {@code configured} (linen's {@code linuxBridge}) when given, else
     * the interface of the previous result without a sandbox that is a bridge on this node.
     */
    public static String linuxBridge(JObject prev, Optional<String> configured, SysNet sys) throws CniException {
        if (configured.isPresent()) {
            if (!sys.isBridge(configured.get())) {
                throw new CniException(CniException.INVALID_CONFIG,
                        "linuxBridge " + configured.get() + " is not a Linux bridge on this node");
            }
            return configured.get();
        }
        List<String> candidates = new ArrayList<>();
        Optional<JArray> interfaces = prev.array("interfaces");
        for (JsonValue v : interfaces.isPresent() ? interfaces.get().items() : List.<JsonValue>of()) {
            if (v instanceof JObject iface && iface.string("sandbox").orElse("").isEmpty()
                    && iface.string("name").isPresent()) {
                candidates.add(iface.string("name").get());
            }
        }
        for (String name : candidates) {
            if (dev.linen.ovs.db.Names.isInterfaceName(name) && sys.isBridge(name)) {
                return name;
            }
        }
        throw new CniException(CniException.INVALID_CONFIG, "prevResult names no Linux bridge on this node",
                isLegacy(prev) ? "a cniVersion 0.1.0 or 0.2.0 result lists no interfaces: set linuxBridge in linen's config"
                        : "host-side interfaces in prevResult: " + candidates + "; linen must follow the bridge plugin");
    }

    /** True when the result has the shape of 0.1.0/0.2.0: by its cniVersion, else by its keys. */
    public static boolean isLegacy(JObject result) {
        Optional<String> v = result.string("cniVersion");
        if (v.isPresent()) {
            return CniVersions.isLegacyResult(v.get());
        }
        return result.get("ips").isEmpty() && (result.get("ip4").isPresent() || result.get("ip6").isPresent());
    }

    /**
     * The result in the shape of {@code version}, with the same content as far as that shape can
     * carry it (0.1.0/0.2.0 hold one address per family, no interfaces). A result already in the
     * shape of {@code version} keeps every member as it is, in its order.
     *
     * @throws CniException code 7 when a legacy result is asked for and there is no IP address
     */
    public static JObject reshape(JObject prev, String version) throws CniException {
        boolean fromLegacy = isLegacy(prev);
        if (CniVersions.isLegacyResult(version)) {
            return fromLegacy ? prev.with("cniVersion", JsonValue.of(version)) : toLegacy(prev, version);
        }
        JObject out = (fromLegacy ? fromLegacy(prev) : prev).with("cniVersion", JsonValue.of(version));
        Optional<JArray> ips = out.array("ips");
        if (ips.isEmpty()) {
            return out;
        }
        List<JsonValue> shaped = new ArrayList<>();
        for (JsonValue v : ips.get().items()) {
            shaped.add(v instanceof JObject ip ? reshapeIp(ip, version) : v);
        }
        return out.with("ips", new JArray(shaped));
    }

    private static JObject reshapeIp(JObject ip, String version) {
        if (!CniVersions.ipsCarryVersion(version)) {
            return ip.without("version");
        }
        if (ip.get("version").isPresent()) {
            return ip;
        }
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("version", new JString(isV6(ip.string("address").orElse("")) ? "6" : "4"));
        m.putAll(ip.members());
        return new JObject(m);
    }

    /** Current shape to 0.1.0/0.2.0: the first address of each family; each route by its family. */
    private static JObject toLegacy(JObject prev, String version) throws CniException {
        Map<String, JsonValue> v4 = new LinkedHashMap<>();
        Map<String, JsonValue> v6 = new LinkedHashMap<>();
        for (JsonValue v : items(prev, "ips")) {
            if (v instanceof JObject ip && ip.string("address").isPresent()) {
                String address = ip.string("address").get();
                Map<String, JsonValue> target = ip.string("version").orElse(isV6(address) ? "6" : "4").equals("6") ? v6 : v4;
                if (target.isEmpty()) {
                    target.put("ip", new JString(address));
                    copy(ip, "gateway", target);
                }
            }
        }
        if (v4.isEmpty() && v6.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "prevResult has no IP address",
                    "a cniVersion " + version + " result needs one");
        }
        List<JsonValue> routes4 = new ArrayList<>();
        List<JsonValue> routes6 = new ArrayList<>();
        for (JsonValue v : items(prev, "routes")) {
            if (v instanceof JObject route && route.string("dst").isPresent()) {
                Map<String, JsonValue> r = new LinkedHashMap<>();
                copy(route, "dst", r);
                copy(route, "gw", r);
                (isV6(route.string("dst").get()) ? routes6 : routes4).add(new JObject(r));
            }
        }
        Map<String, JsonValue> out = new LinkedHashMap<>();
        out.put("cniVersion", JsonValue.of(version));
        putIpConfig(out, "ip4", v4, routes4);
        putIpConfig(out, "ip6", v6, routes6);
        out.put("dns", prev.object("dns").isPresent() ? prev.object("dns").get() : new JObject(Map.of()));
        return new JObject(out);
    }

    /** 0.1.0/0.2.0 to the current shape: one IP config per family, their routes in one list. */
    private static JObject fromLegacy(JObject prev) {
        List<JsonValue> ips = new ArrayList<>();
        List<JsonValue> routes = new ArrayList<>();
        String[][] families = {{"ip4", "4"}, {"ip6", "6"}};
        for (String[] family : families) {
            Optional<JObject> config = prev.object(family[0]);
            if (config.isPresent() && config.get().string("ip").isPresent()) {
                Map<String, JsonValue> ip = new LinkedHashMap<>();
                ip.put("version", new JString(family[1]));
                ip.put("address", config.get().get("ip").get());
                copy(config.get(), "gateway", ip);
                ips.add(new JObject(ip));
                routes.addAll(items(config.get(), "routes"));
            }
        }
        Map<String, JsonValue> out = new LinkedHashMap<>();
        if (prev.get("cniVersion").isPresent()) {
            out.put("cniVersion", prev.get("cniVersion").get());
        }
        out.put("ips", new JArray(ips));
        if (!routes.isEmpty()) {
            out.put("routes", new JArray(routes));
        }
        out.put("dns", prev.object("dns").isPresent() ? prev.object("dns").get() : new JObject(Map.of()));
        return new JObject(out);
    }

    private static void putIpConfig(Map<String, JsonValue> out, String key, Map<String, JsonValue> ip,
                                    List<JsonValue> routes) {
        if (ip.isEmpty()) {
            return;
        }
        if (!routes.isEmpty()) {
            ip.put("routes", new JArray(routes));
        }
        out.put(key, new JObject(ip));
    }

    private static List<JsonValue> items(JObject o, String key) {
        Optional<JArray> a = o.array(key);
        return a.isPresent() ? a.get().items() : List.of();
    }

    private static void copy(JObject from, String key, Map<String, JsonValue> to) {
        Optional<JsonValue> v = from.get(key);
        if (v.isPresent()) {
            to.put(key, v.get());
        }
    }

    private static boolean isV6(String address) {
        return address.indexOf(':') >= 0;
    }
}
