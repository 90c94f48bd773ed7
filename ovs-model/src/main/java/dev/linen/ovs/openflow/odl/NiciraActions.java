package dev.linen.ovs.openflow.odl;

import io.netty.buffer.ByteBuf;
import org.opendaylight.openflowjava.protocol.api.extensibility.OFSerializer;
import org.opendaylight.openflowjava.protocol.api.extensibility.SerializerExtensionProvider;
import org.opendaylight.openflowjava.protocol.api.keys.ActionSerializerKey;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.ActionChoice;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.ActionBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.ExperimenterId;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint8;

/**
 * The two Nicira (experimenter 0x00002320) actions Linen needs, written by us on openflowjava's
 * action-serializer hook: {@code NXAST_REG_MOVE} (copy a field into another) and
 * {@code NXAST_REG_LOAD} (write a constant into a field, used for {@code tun_dst}). Wire layouts
 * follow the Open vSwitch documentation of the Nicira extensions.
 */
final class NiciraActions {
    static final long NICIRA = 0x00002320L;
    private static final int SUBTYPE_REG_MOVE = 6;
    private static final int SUBTYPE_REG_LOAD = 7;
    private static final int OFPAT_EXPERIMENTER = 0xffff;
    private static final int LENGTH = 24;

    private NiciraActions() {
    }

    /** The openflowjava action choice for a register move; the serializer is looked up by its type. */
    interface RegMoveChoice extends ActionChoice {
        @Override
        default Class<RegMoveChoice> implementedInterface() {
            return RegMoveChoice.class;
        }
    }

    /** The openflowjava action choice for a register load. */
    interface RegLoadChoice extends ActionChoice {
        @Override
        default Class<RegLoadChoice> implementedInterface() {
            return RegLoadChoice.class;
        }
    }

    record RegMove(int srcHeader, int dstHeader, int bits) implements RegMoveChoice {
    }

    record RegLoad(int dstHeader, int bits, long value) implements RegLoadChoice {
    }

    static Action move(NxmField from, NxmField to) {
        return wrap(new RegMove(from.header(), to.header(), from.bits()));
    }

    static Action load(NxmField to, long value) {
        return wrap(new RegLoad(to.header(), to.bits(), value));
    }

    private static Action wrap(ActionChoice choice) {
        return new ActionBuilder().setExperimenterId(new ExperimenterId(Uint32.valueOf(NICIRA)))
                .setActionChoice(choice).build();
    }

    /** Registers both serializers for OpenFlow 1.3. */
    static void register(SerializerExtensionProvider provider) {
        Uint8 of13 = Uint8.valueOf(4);
        Uint32 nicira = Uint32.valueOf(NICIRA);
        provider.registerActionSerializer(new ActionSerializerKey<>(of13, RegMoveChoice.class, nicira),
                (OFSerializer<Action>) NiciraActions::writeMove);
        provider.registerActionSerializer(new ActionSerializerKey<>(of13, RegLoadChoice.class, nicira),
                (OFSerializer<Action>) NiciraActions::writeLoad);
    }

    private static void header(ByteBuf out, int subtype) {
        out.writeShort(OFPAT_EXPERIMENTER);
        out.writeShort(LENGTH);
        out.writeInt((int) NICIRA);
        out.writeShort(subtype);
    }

    /** nx_action_reg_move: n_bits, src_ofs, dst_ofs, src, dst (24 bytes, no padding). */
    static void writeMove(Action action, ByteBuf out) {
        RegMove m = (RegMove) action.getActionChoice();
        header(out, SUBTYPE_REG_MOVE);
        out.writeShort(m.bits());
        out.writeShort(0);
        out.writeShort(0);
        out.writeInt(m.srcHeader());
        out.writeInt(m.dstHeader());
    }

    /** nx_action_reg_load: ofs_nbits, dst, 64-bit value (24 bytes). */
    static void writeLoad(Action action, ByteBuf out) {
        RegLoad l = (RegLoad) action.getActionChoice();
        header(out, SUBTYPE_REG_LOAD);
        out.writeShort(l.bits() - 1); // offset 0 in the upper 10 bits
        out.writeInt(l.dstHeader());
        out.writeLong(l.value());
    }
}
