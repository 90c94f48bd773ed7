package dev.linen.ovs.db;

import java.time.Duration;

/** Opens sessions with an OVSDB server. */
public final class OvsDatabases {
    private OvsDatabases() {
    }

    /**
     * Connects (unix socket or TCP) and loads the Open_vSwitch schema.
     *
     * @throws OvsdbUnavailableException when the server can't be reached within the timeout
     */
    public static OvsDatabase connect(OvsdbEndpoint endpoint, Duration timeout) {
        return dev.linen.ovs.db.odl.OdlOvsDatabase.connect(endpoint, timeout);
    }
}
