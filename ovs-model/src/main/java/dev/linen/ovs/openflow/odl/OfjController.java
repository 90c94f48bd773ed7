package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.net.TcpPeerOwner;
import dev.linen.ovs.openflow.ControllerSpec;
import dev.linen.ovs.openflow.OpenFlowController;
import dev.linen.ovs.openflow.OpenFlowException;
import dev.linen.ovs.openflow.SwitchListener;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opendaylight.infrautils.diagstatus.DiagStatusService;
import org.opendaylight.infrautils.diagstatus.ServiceRegistration;
import org.opendaylight.openflowjava.protocol.api.connection.ConnectionAdapter;
import org.opendaylight.openflowjava.protocol.api.connection.SwitchConnectionHandler;
import org.opendaylight.openflowjava.protocol.impl.core.SwitchConnectionProviderImpl;

/**
 * The controller endpoint on openflowjava: a TCP listener on one address; every switch that
 * connects gets its own {@link OfjSwitch}. Only connections from the listening address's own
 * host kind are accepted: a loopback listener refuses non-loopback peers. Of those, only the
 * bridge the spec names, from a socket of the spec's switch user, is admitted, one at a time
 * ({@link Admission}); the rest are closed.
 */
public final class OfjController implements OpenFlowController {
    private static final Logger LOG = Logger.getLogger(OfjController.class.getName());
    private static final long START_SECONDS = 10;

    private final SwitchConnectionProviderImpl provider;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timer;
    private final InetSocketAddress bound;

    private OfjController(SwitchConnectionProviderImpl provider, ExecutorService callbacks,
                          ScheduledExecutorService timer, InetSocketAddress bound) {
        this.provider = provider;
        this.callbacks = callbacks;
        this.timer = timer;
        this.bound = bound;
    }

    /**
     * Binds and starts. Handshakes run on one daemon thread per controller (the admission check,
     * which may read OVSDB, among them) and their deadlines on another; neither waits for a switch.
     */
    public static OfjController start(ControllerSpec spec, SwitchListener listener) {
        ExecutorService callbacks = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("openflow-callbacks").daemon().unstarted(r));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("openflow-handshake").daemon().unstarted(r));
        // the accepted connections' local address is the listener's (never the wildcard address)
        AtomicReference<InetSocketAddress> listening = new AtomicReference<>();
        TcpPeerOwner owners = TcpPeerOwner.system();
        Admission admission = new Admission(spec.expectedDatapathId(), spec.switchUid(), peer -> {
            InetSocketAddress ours = listening.get();
            return ours == null ? OptionalInt.empty() : owners.uidOf(peer, ours);
        });
        var handshake = new OfjSwitch.Handshake(admission, timer, callbacks, spec.handshakeTimeout());
        SwitchConnectionProviderImpl provider = new SwitchConnectionProviderImpl(noDiagStatus(),
                new OfjConfiguration(spec.address(), spec.idleTimeout().toMillis()));
        NiciraActions.register(provider);
        NiciraActions.registerReaders(provider);
        NiciraMatches.registerWriter(provider);
        NiciraMatches.registerReaders(provider);
        try {
            provider.startup(handler(spec, listener, handshake)).get(START_SECONDS, TimeUnit.SECONDS);
            InetSocketAddress local = provider.getServerFacade().localAddress();
            listening.set(local);
            LOG.info("OpenFlow controller listening on " + local);
            return new OfjController(provider, callbacks, timer, local);
        } catch (Exception e) {
            callbacks.shutdownNow();
            timer.shutdownNow();
            closeQuietly(provider);
            throw new OpenFlowException.Disconnected("cannot listen on " + spec.address(), e);
        }
    }

    private static SwitchConnectionHandler handler(ControllerSpec spec, SwitchListener listener,
                                                   OfjSwitch.Handshake handshake) {
        boolean loopbackOnly = spec.address().getAddress().isLoopbackAddress();
        return new SwitchConnectionHandler() {
            @Override
            public boolean accept(InetAddress peer) {
                return !loopbackOnly || peer.isLoopbackAddress();
            }

            @Override
            public void onSwitchConnected(ConnectionAdapter connection) {
                OfjSwitch sw = new OfjSwitch(connection, listener, spec.maxInFlight(), handshake);
                OfjMessages messages = new OfjMessages(sw);
                connection.setExecutorService(handshake.callbacks());
                connection.setMessageListener(messages);
                connection.setSystemListener(messages);
                connection.setConnectionReadyListener(sw);
            }
        };
    }

    /** openflowjava reports its state to infrautils' diagnostics; we have none, so registration is a no-op. */
    private static DiagStatusService noDiagStatus() {
        ServiceRegistration registration = (ServiceRegistration) Proxy.newProxyInstance(
                OfjController.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, args) -> defaultValue(method.getReturnType()));
        return (DiagStatusService) Proxy.newProxyInstance(OfjController.class.getClassLoader(),
                new Class<?>[] {DiagStatusService.class},
                (proxy, method, args) -> method.getName().equals("register") ? registration
                        : defaultValue(method.getReturnType()));
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        return type.isPrimitive() && type != void.class ? 0 : null;
    }

    @Override
    public InetSocketAddress address() {
        return bound;
    }

    @Override
    public void close() {
        closeQuietly(provider);
        callbacks.shutdownNow();
        timer.shutdownNow();
    }

    private static void closeQuietly(SwitchConnectionProviderImpl provider) {
        try {
            provider.shutdown().get(START_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "OpenFlow listener shutdown", e);
        }
    }
}
