package dev.linen.ovs.db;

/** A guarded transaction lost a race with another writer; re-read and retry. */
public final class OvsdbConflictException extends OvsdbException {
    public OvsdbConflictException(String message) {
        super(message);
    }
}
