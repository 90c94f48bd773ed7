package dev.linen.flaxd.ctl;

/** A linenctl failure the operator can act on; its message is printed as it is (exit code 3). */
public final class CtlException extends Exception {
    public CtlException(String message) {
        super(message);
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
