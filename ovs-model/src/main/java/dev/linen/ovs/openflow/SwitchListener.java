package dev.linen.ovs.openflow;

/**
 * Told about switches coming and going. Called from the controller's own threads; implementations
 * should hand work to their own loop rather than block.
 */
public interface SwitchListener {
    /** The handshake with a switch finished; its flow tables are in an unknown state. */
    void connected(FlowSwitch sw);

    /** The connection to the switch ended (the switch reconnects as a new {@link FlowSwitch}). */
    void disconnected(FlowSwitch sw);
}
