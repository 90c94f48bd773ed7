package dev.linen.flaxd.node;

/** Setting up the node's forwarding, NAT or routes failed. */
public final class NodeNetworkException extends RuntimeException {
    public NodeNetworkException(String message) {
        super(message);
    }

    public NodeNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
