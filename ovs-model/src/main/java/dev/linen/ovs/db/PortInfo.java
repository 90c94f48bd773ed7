package dev.linen.ovs.db;

import java.util.Map;
import java.util.Optional;

/** A port as read from OVSDB, with its (first) interface's type, options and OpenFlow number. */
public record PortInfo(String name, String type, Map<String, String> options, Optional<Integer> ofport) {
    public PortInfo {
        options = Map.copyOf(options);
    }
}
