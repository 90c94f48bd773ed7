package dev.linen.cni;

import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.json.JsonValue.JString;
import dev.linen.cni.node.SysNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and re-shaping the previous plugin's result. */
public final class PrevResults {
    private PrevResults() {
    }

    /**
     * The Linux bridge the previous plugin attached the pod to: the interface without a sandbox
     * that is a bridge on this node.
     */
    public static String linuxBridge(JObject prev, SysNet sys) throws CniException {
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
        throw new CniException(CniException.INVALID_CONFIG,
                "prevResult names no Linux bridge on this node",
                "host-side interfaces in prevResult: " + candidates + "; linen must follow the bridge plugin");
    }

    /** The result in the shape of {@code version}: same content, that version's fields. */
    public static JObject reshape(JObject prev, String version) {
        JObject out = prev.with("cniVersion", JsonValue.of(version));
        var ips = prev.array("ips");
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
        String addr = ip.string("address").orElse("");
        java.util.Map<String, JsonValue> m = new java.util.LinkedHashMap<>();
        m.put("version", new JString(addr.contains(":") ? "6" : "4"));
        m.putAll(ip.members());
        return new JObject(m);
    }
}
