package dev.linen.flaxd.tunnel;

/** How peers are reached. */
public enum TunnelMode {
    /** One port {@code vxlan0} with {@code remote_ip=flow}; the destination is set per flow. */
    FLOW,
    /** Linen-compatible: one {@code vxif…} port per peer, forwarded by NORMAL. */
    PER_NODE;

    public static TunnelMode parse(String text) {
        return switch (text) {
            case "flow" -> FLOW;
            case "per-node" -> PER_NODE;
            default -> throw new IllegalArgumentException("tunnel mode must be flow or per-node: " + text);
        };
    }
}
