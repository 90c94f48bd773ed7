package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Match;
import dev.linen.ovs.openflow.InstalledFlow;
import dev.linen.ovs.openflow.OpenFlowException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.MultipartRequestFlags;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.MultipartType;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartReplyMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartRequestInput;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartRequestInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.reply.multipart.reply.body.MultipartReplyFlowCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.reply.multipart.reply.body.multipart.reply.flow._case.multipart.reply.flow.FlowStats;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.request.multipart.request.body.MultipartRequestFlowCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.request.multipart.request.body.multipart.request.flow._case.MultipartRequestFlowBuilder;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.common.Uint8;

/**
 * OpenFlow flow statistics (OFPMP_FLOW): the request for every flow, the parts of its reply
 * gathered until the last one, and each flow stats entry as an {@link InstalledFlow}.
 */
final class FlowDumps {
    private static final long ANY = 0xffffffffL;
    private static final int ALL_TABLES = 0xff;
    private static final String NO_ACTIONS = " actions=drop";

    private FlowDumps() {
    }

    /** All tables, any out port and group, cookie mask 0, empty match. */
    static MultipartRequestInput request(long xid) {
        return new MultipartRequestInputBuilder().setVersion(FlowMods.OF13).setXid(Uint32.valueOf(xid))
                .setType(MultipartType.OFPMPFLOW).setFlags(new MultipartRequestFlags(false))
                .setMultipartRequestBody(new MultipartRequestFlowCaseBuilder().setMultipartRequestFlow(
                        new MultipartRequestFlowBuilder().setTableId(Uint8.valueOf(ALL_TABLES))
                                .setOutPort(Uint32.valueOf(ANY)).setOutGroup(Uint32.valueOf(ANY))
                                .setCookie(Uint64.ZERO).setCookieMask(Uint64.ZERO)
                                .setMatch(OxmMatches.of(List.of())).build()).build())
                .build();
    }

    /** The parts of one reply, in arrival order; {@link #done()} completes with the last part. */
    static final class Parts {
        private final List<FlowStats> entries = new ArrayList<>();
        private final CompletableFuture<List<FlowStats>> done = new CompletableFuture<>();

        CompletableFuture<List<FlowStats>> done() {
            return done;
        }

        /** Adds one part; true when it was the last (or not a flow reply: then it fails the dump). */
        synchronized boolean add(MultipartReplyMessage reply) {
            if (!(reply.getMultipartReplyBody() instanceof MultipartReplyFlowCase flow)) {
                done.completeExceptionally(new OpenFlowException.Disconnected(
                        "unexpected multipart reply " + reply.getType() + " to a flow dump", null));
                return true;
            }
            if (flow.getMultipartReplyFlow() != null && flow.getMultipartReplyFlow().getFlowStats() != null) {
                entries.addAll(flow.getMultipartReplyFlow().getFlowStats());
            }
            boolean more = reply.getFlags() != null && Boolean.TRUE.equals(reply.getFlags().getOFPMPFREQMORE());
            if (!more) {
                done.complete(List.copyOf(entries));
            }
            return !more;
        }
    }

    static List<InstalledFlow> installed(List<FlowStats> entries) {
        return entries.stream().map(FlowDumps::installed).toList();
    }

    static InstalledFlow installed(FlowStats s) {
        int table = s.getTableId().toJava();
        int priority = s.getPriority().toJava();
        Cookie cookie = new Cookie(s.getCookie() == null ? 0 : s.getCookie().longValue());
        return new InstalledFlow(table, priority, cookie, text(table, priority, cookie,
                MatchDecoder.decode(s.getMatch()), ActionDecoder.decode(s.getInstruction())));
    }

    /**
     * {@link Flow#toString()} of the flow when everything is known; otherwise the same shape with
     * the known matches in Flow's order, then the unknown ones, then the actions in order.
     */
    static String text(int table, int priority, Cookie cookie, List<Decoded<Match>> matches,
                       List<Decoded<Action>> actions) {
        List<Match> knownMatches = known(matches);
        List<Action> knownActions = known(actions);
        if (knownMatches.size() == matches.size() && knownActions.size() == actions.size()) {
            try {
                return new Flow(table, priority, cookie, knownMatches, knownActions).toString();
            } catch (IllegalArgumentException e) {
                // not a flow the model can hold (drop among other actions): spelt out below
            }
        }
        String head = new Flow(table, priority, cookie, knownMatches, List.of()).toString();
        StringBuilder sb = new StringBuilder(head.substring(0, head.length() - NO_ACTIONS.length()));
        matches.stream().filter(m -> m instanceof Decoded.Unknown).forEach(m -> sb.append(',').append(text(m)));
        return sb.append(" actions=").append(actions.stream().map(FlowDumps::text)
                .collect(Collectors.joining(","))).toString();
    }

    private static <T> List<T> known(List<Decoded<T>> decoded) {
        return decoded.stream().<T>mapMulti((d, out) -> {
            if (d instanceof Decoded.Known<T> k) {
                out.accept(k.value());
            }
        }).toList();
    }

    private static String text(Decoded<?> d) {
        return switch (d) {
            case Decoded.Known<?> k -> k.value().toString();
            case Decoded.Unknown<?> u -> u.text();
        };
    }
}
