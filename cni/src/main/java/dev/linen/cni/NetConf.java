package dev.linen.cni;

import dev.linen.cni.json.JsonValue.JObject;
import java.util.Optional;

/** The plugin's network configuration as given on stdin, validated. */
public record NetConf(String cniVersion, String name, String type, OvsSettings ovs,
                      Optional<JObject> prevResult, JObject raw) {
}
