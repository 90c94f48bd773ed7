package dev.linen.ovs.openflow.odl;

import java.util.logging.Logger;
import org.opendaylight.openflowjava.protocol.api.connection.ConnectionAdapter;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.EchoInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.EchoReplyInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.EchoRequestMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.ErrorMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.ExperimenterMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.FlowRemovedMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.HelloMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartReplyMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.PacketInMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.PortStatusMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.system.rev130927.DisconnectEvent;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.system.rev130927.SslConnectionError;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.system.rev130927.SwitchIdleEvent;
import org.opendaylight.yangtools.yang.common.Uint32;

/**
 * What a switch sends us, unsolicited: echo requests are answered, errors go to the switch's xid
 * table, an idle switch is probed with an echo and dropped if it stays silent.
 */
final class OfjMessages implements ConnectionAdapter.MessageListener, ConnectionAdapter.SystemListener {
    private static final Logger LOG = Logger.getLogger(OfjMessages.class.getName());
    private final OfjSwitch sw;

    OfjMessages(OfjSwitch sw) {
        this.sw = sw;
    }

    @Override
    public void onEchoRequest(EchoRequestMessage echo) {
        sw.connection().echoReply(new EchoReplyInputBuilder().setVersion(echo.getVersion()).setXid(echo.getXid())
                .setData(echo.getData()).build());
    }

    @Override
    public void onError(ErrorMessage error) {
        sw.onError(error);
    }

    @Override
    public void onSwitchIdle(SwitchIdleEvent event) {
        var probe = sw.connection().echo(new EchoInputBuilder().setVersion(FlowMods.OF13)
                .setXid(Uint32.valueOf(sw.nextXid())).build());
        probe.addListener(() -> {
            try {
                if (!probe.get().isSuccessful()) {
                    throw new IllegalStateException("echo failed");
                }
            } catch (Exception e) {
                sw.drop("idle and does not answer echo");
            }
        }, Runnable::run);
    }

    @Override
    public void onDisconnect(DisconnectEvent event) {
        sw.onDisconnected();
    }

    @Override
    public void onHello(HelloMessage hello) {
        // version negotiation is done by our own hello (OpenFlow 1.3 only)
    }

    @Override
    public void onExperimenter(ExperimenterMessage message) {
    }

    @Override
    public void onPacketIn(PacketInMessage packet) {
        // the pipeline sends nothing to the controller; a packet-in is unexpected and ignored
    }

    @Override
    public void onFlowRemoved(FlowRemovedMessage removed) {
    }

    @Override
    public void onPortStatus(PortStatusMessage status) {
    }

    @Override
    public void onMultipartReply(MultipartReplyMessage reply) {
        sw.onMultipartReply(reply);
    }

    @Override
    public void onSslConnectionError(SslConnectionError error) {
    }
}
