package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Cookie;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.MultipartRequestFlags;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.MultipartType;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartReplyMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartRequestInput;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartRequestInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.reply.multipart.reply.body.MultipartReplyAggregateCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.request.multipart.request.body.MultipartRequestAggregateCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.request.multipart.request.body.multipart.request.aggregate._case.MultipartRequestAggregateBuilder;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.common.Uint8;

/** OpenFlow aggregate statistics (OFPMP_AGGREGATE): how many flows carry a cookie. */
final class Aggregates {
    private static final long ANY = 0xffffffffL;
    private static final int ALL_TABLES = 0xff;

    private Aggregates() {
    }

    static MultipartRequestInput request(Cookie value, Cookie mask, long xid) {
        return new MultipartRequestInputBuilder().setVersion(FlowMods.OF13).setXid(Uint32.valueOf(xid))
                .setType(MultipartType.OFPMPAGGREGATE).setFlags(new MultipartRequestFlags(false))
                .setMultipartRequestBody(new MultipartRequestAggregateCaseBuilder().setMultipartRequestAggregate(
                        new MultipartRequestAggregateBuilder().setTableId(Uint8.valueOf(ALL_TABLES))
                                .setOutPort(Uint32.valueOf(ANY)).setOutGroup(Uint32.valueOf(ANY))
                                .setCookie(Uint64.fromLongBits(value.value()))
                                .setCookieMask(Uint64.fromLongBits(mask.value()))
                                .setMatch(OxmMatches.of(List.of())).build()).build())
                .build();
    }

    /** The flow count of an aggregate reply; empty for any other multipart reply. */
    static Optional<Long> flowCount(MultipartReplyMessage reply) {
        if (reply.getMultipartReplyBody() instanceof MultipartReplyAggregateCase agg
                && agg.getMultipartReplyAggregate() != null) {
            return Optional.of(agg.getMultipartReplyAggregate().getFlowCount().toJava());
        }
        return Optional.empty();
    }
}
