package dev.linen.ovs.db;

/** A failure talking to OVSDB. The subclasses say whether trying again can help. */
public sealed class OvsdbException extends RuntimeException
        permits OvsdbUnavailableException, OvsdbConflictException, OvsdbTransactionException {
    public OvsdbException(String message, Throwable cause) {
        super(message, cause);
    }

    public OvsdbException(String message) {
        super(message);
    }
}
