package dev.linen.ovs.db;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Desired state of a bridge. Empty collections / empty optionals mean "leave as it is".
 *
 * @param name         bridge name, a valid Linux interface name
 * @param datapathType {@code system} or {@code netdev}
 * @param failMode     {@code secure} or {@code standalone}, if to be set
 * @param protocols    OpenFlow versions such as {@code OpenFlow13}; empty leaves them as they are
 * @param externalIds  keys to set in the bridge's external_ids (other keys are kept)
 * @param controller   target such as {@code tcp:127.0.0.1:6653}; present means the only controller
 */
public record BridgeSpec(String name, String datapathType, Optional<String> failMode,
                         Set<String> protocols, Map<String, String> externalIds,
                         Optional<String> controller) {
    public BridgeSpec {
        Names.requireInterfaceName(name);
        if (!Set.of("system", "netdev").contains(datapathType)) {
            throw new IllegalArgumentException("datapath type must be system or netdev: " + datapathType);
        }
        failMode.ifPresent(m -> {
            if (!Set.of("secure", "standalone").contains(m)) {
                throw new IllegalArgumentException("fail mode must be secure or standalone: " + m);
            }
        });
        protocols = Set.copyOf(protocols);
        externalIds = Map.copyOf(externalIds);
        controller.ifPresent(Names::requireControllerTarget);
    }

    /** A bridge with only a name and datapath type; everything else left alone. */
    public static BridgeSpec of(String name, String datapathType) {
        return new BridgeSpec(name, datapathType, Optional.empty(), Set.of(), Map.of(), Optional.empty());
    }

    public BridgeSpec withController(Optional<String> target) {
        return new BridgeSpec(name, datapathType, failMode, protocols, externalIds, target);
    }
}
