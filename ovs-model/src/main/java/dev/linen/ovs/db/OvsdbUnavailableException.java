package dev.linen.ovs.db;

/** The OVSDB server could not be reached (socket absent, refused, timed out). Retry later. */
public final class OvsdbUnavailableException extends OvsdbException {
    public OvsdbUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public OvsdbUnavailableException(String message) {
        super(message);
    }
}
