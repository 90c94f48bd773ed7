package dev.linen.ovs.flow;

/** An OpenFlow cookie (64 bits). How its bits are split is the pipeline's business. */
public record Cookie(long value) {
    public static final Cookie NONE = new Cookie(0);

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
