package dev.linen.ovs.openflow;

import dev.linen.ovs.openflow.odl.OfjController;

/** Creates controllers (today: the OpenDaylight openflowjava adapter). */
public final class OpenFlowControllers {
    private OpenFlowControllers() {
    }

    /**
     * Starts listening and returns once the port is bound.
     *
     * @throws OpenFlowException.Disconnected if the address cannot be bound
     */
    public static OpenFlowController listen(ControllerSpec spec, SwitchListener listener) {
        return OfjController.start(spec, listener);
    }
}
