package dev.linen.ovs.openflow.odl;

import io.netty.buffer.ByteBuf;
import org.opendaylight.openflowjava.protocol.api.extensibility.DeserializerExtensionProvider;
import org.opendaylight.openflowjava.protocol.api.extensibility.OFDeserializer;
import org.opendaylight.openflowjava.protocol.api.extensibility.OFSerializer;
import org.opendaylight.openflowjava.protocol.api.extensibility.SerializerExtensionProvider;
import org.opendaylight.openflowjava.protocol.api.keys.ActionSerializerKey;
import org.opendaylight.openflowjava.protocol.api.keys.ExperimenterActionDeserializerKey;
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
 * follow the Open vSwitch documentation of the Nicira extensions. Read back (flow dumps), every
 * Nicira or ONF experimenter action is decoded: move and load into their records, any other as
 * {@link Other}, since openflowjava refuses a whole message holding an action it cannot read.
 */
final class NiciraActions {
    static final long NICIRA = 0x00002320L;
    private static final int SUBTYPE_REG_MOVE = 6;
    private static final int SUBTYPE_REG_LOAD = 7;
    private static final int OFPAT_EXPERIMENTER = 0xffff;
    private static final int LENGTH = 24;
    private static final long ONF = 0x4f4e4600L;

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

    /** The choice of an experimenter action read back that is neither move nor load. */
    interface OtherChoice extends ActionChoice {
        @Override
        default Class<OtherChoice> implementedInterface() {
            return OtherChoice.class;
        }
    }

    record RegMove(int srcHeader, int dstHeader, int bits, int srcOffset, int dstOffset) implements RegMoveChoice {
    }

    record RegLoad(int dstHeader, int offset, int bits, long value) implements RegLoadChoice {
    }

    /** An experimenter action we do not read: its experimenter, subtype and length. */
    record Other(long experimenter, int subtype, int length) implements OtherChoice {
        @Override
        public String toString() {
            return "experimenter=0x" + Long.toHexString(experimenter) + ",subtype=" + subtype + ",len=" + length;
        }
    }

    static Action move(NxmField from, NxmField to) {
        return wrap(new RegMove(from.header(), to.header(), from.bits(), 0, 0));
    }

    static Action load(NxmField to, long value) {
        return wrap(new RegLoad(to.header(), 0, to.bits(), value));
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

    /** Reads any Nicira or ONF experimenter action back (whole, header included). */
    static void registerReaders(DeserializerExtensionProvider provider) {
        for (long experimenter : new long[] {NICIRA, ONF}) {
            provider.registerActionDeserializer(new ExperimenterActionDeserializerKey(FlowMods.OF13, experimenter),
                    (OFDeserializer<Action>) NiciraActions::read);
        }
    }

    static Action read(ByteBuf in) {
        int start = in.readerIndex();
        in.skipBytes(2);
        int length = in.readUnsignedShort();
        long experimenter = in.readUnsignedInt();
        int subtype = in.readUnsignedShort();
        ActionChoice choice;
        if (experimenter == NICIRA && subtype == SUBTYPE_REG_MOVE && length == LENGTH) {
            int bits = in.readUnsignedShort();
            int srcOffset = in.readUnsignedShort();
            int dstOffset = in.readUnsignedShort();
            choice = new RegMove(in.readInt(), in.readInt(), bits, srcOffset, dstOffset);
        } else if (experimenter == NICIRA && subtype == SUBTYPE_REG_LOAD && length == LENGTH) {
            int ofsBits = in.readUnsignedShort();
            choice = new RegLoad(in.readInt(), ofsBits >>> 6, (ofsBits & 0x3f) + 1, in.readLong());
        } else {
            choice = new Other(experimenter, subtype, length);
        }
        in.readerIndex(start + Math.max(length, 10));
        return new ActionBuilder().setExperimenterId(new ExperimenterId(Uint32.valueOf(experimenter)))
                .setActionChoice(choice).build();
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
        out.writeShort(m.srcOffset());
        out.writeShort(m.dstOffset());
        out.writeInt(m.srcHeader());
        out.writeInt(m.dstHeader());
    }

    /** nx_action_reg_load: ofs_nbits, dst, 64-bit value (24 bytes). */
    static void writeLoad(Action action, ByteBuf out) {
        RegLoad l = (RegLoad) action.getActionChoice();
        header(out, SUBTYPE_REG_LOAD);
        out.writeShort(l.offset() << 6 | (l.bits() - 1));
        out.writeInt(l.dstHeader());
        out.writeLong(l.value());
    }
}
