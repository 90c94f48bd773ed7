package dev.linen.ovs.db;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A bridge as read from OVSDB. */
public record BridgeInfo(String name, String datapathType, Optional<String> failMode,
                         Set<String> protocols, Map<String, String> externalIds,
                         List<String> controllers) {
    public BridgeInfo {
        protocols = Set.copyOf(protocols);
        externalIds = Map.copyOf(externalIds);
        controllers = List.copyOf(controllers);
    }
}
