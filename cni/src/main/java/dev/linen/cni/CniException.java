package dev.linen.cni;

/**
 * A failure reported to the runtime as a CNI error object: {@code code}, {@code msg},
 * {@code details}. Codes 1-99 are the spec's; 100 and up are Linen's own.
 */
public final class CniException extends Exception {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int INVALID_ENV = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    /** Linen: the OVS bridge could not be set up (OVSDB rejected it, the port never appeared...). */
    public static final int OVS_SETUP_FAILED = 100;
    /** Linen: CHECK found the node's OVS state differing from the configuration. */
    public static final int CHECK_FAILED = 101;
    /** Linen: attaching the OVS bridge to the Linux bridge failed. */
    public static final int ATTACH_FAILED = 102;
    /** Linen: the state directory (or a file in it) is not safe for root to write in. */
    public static final int STATE_DIR_UNSAFE = 103;
    /** Linen: a fault of the plugin itself (a bug, or a broken installation such as a missing jar). */
    public static final int INTERNAL_ERROR = 104;

    private final int code;
    private final String details;

    public CniException(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public CniException(int code, String msg) {
        this(code, msg, "");
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
