package dev.linen.ovs.db;

/** The server rejected a transaction (constraint violation, bad column, ...). Not retryable. */
public final class OvsdbTransactionException extends OvsdbException {
    public OvsdbTransactionException(String message) {
        super(message);
    }
}
