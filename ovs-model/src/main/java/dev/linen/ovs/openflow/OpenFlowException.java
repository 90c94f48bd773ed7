package dev.linen.ovs.openflow;

import java.util.List;

/** Why an OpenFlow request did not take effect. */
public abstract sealed class OpenFlowException extends RuntimeException {
    private OpenFlowException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The switch is not connected (any more); nothing is known about what it applied. */
    public static final class Disconnected extends OpenFlowException {
        public Disconnected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The switch did not answer the barrier in time. */
    public static final class Timeout extends OpenFlowException {
        public Timeout(String message) {
            super(message, null);
        }
    }

    /** The switch answered a statistics request (a flow count or dump) with an OpenFlow error. */
    public static final class Refused extends OpenFlowException {
        public Refused(String message) {
            super(message, null);
        }
    }

    /** The switch answered some of the flow mods with errors; the others were applied. */
    public static final class Rejected extends OpenFlowException {
        private final List<Rejection> rejections;

        public Rejected(List<Rejection> rejections) {
            super("switch rejected " + rejections.size() + " flow mod(s), first: " + rejections.get(0), null);
            this.rejections = List.copyOf(rejections);
        }

        public List<Rejection> rejections() {
            return rejections;
        }
    }

    /** A flow mod and the OpenFlow error (type, code) it caused. */
    public record Rejection(FlowMod mod, int type, int code, String description) {
        @Override
        public String toString() {
            return description + " (type " + type + ", code " + code + ") for: " + mod;
        }
    }
}
