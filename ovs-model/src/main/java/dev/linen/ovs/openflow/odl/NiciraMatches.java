package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Match;
import io.netty.buffer.ByteBuf;
import java.util.HexFormat;
import org.opendaylight.openflowjava.protocol.api.extensibility.DeserializerExtensionProvider;
import org.opendaylight.openflowjava.protocol.api.extensibility.OFDeserializer;
import org.opendaylight.openflowjava.protocol.api.extensibility.OFSerializer;
import org.opendaylight.openflowjava.protocol.api.extensibility.SerializerExtensionProvider;
import org.opendaylight.openflowjava.protocol.api.keys.MatchEntryDeserializerKey;
import org.opendaylight.openflowjava.protocol.api.keys.MatchEntrySerializerKey;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.ExperimenterClass;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.MatchField;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.Nxm0Class;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.Nxm1Class;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.OxmClassBase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntry;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntryBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.MatchEntryValue;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint8;

/**
 * Match entries outside OpenFlow's basic class, written and read by us on openflowjava's hooks:
 * the Nicira registers ({@code NXM_NX_REG0..15}, class 0x0001) on the way out, and on the way in
 * every entry of the NXM classes (0x0000, 0x0001) and of the Nicira and ONF experimenter OXM
 * classes as raw bytes, so that a flow carrying one still decodes (openflowjava refuses a whole
 * message holding an entry it has no deserializer for).
 */
final class NiciraMatches {
    static final int NXM0 = 0x0000;
    static final int NXM1 = 0x0001;
    private static final int EXPERIMENTER = 0xffff;
    private static final long ONF = 0x4f4e4600L;
    private static final int FIELDS = 128;
    private static final long FULL = 0xffffffffL;

    private NiciraMatches() {
    }

    /** The openflowjava field identity of our register entries (the index is in the value). */
    interface RegFieldIdentity extends MatchField {
        @Override
        default Class<RegFieldIdentity> implementedInterface() {
            return RegFieldIdentity.class;
        }
    }

    record RegField() implements RegFieldIdentity {
        static final RegField VALUE = new RegField();
    }

    /** The field identity of entries read back raw. */
    interface RawFieldIdentity extends MatchField {
        @Override
        default Class<RawFieldIdentity> implementedInterface() {
            return RawFieldIdentity.class;
        }
    }

    record RawField() implements RawFieldIdentity {
        static final RawField VALUE = new RawField();
    }

    interface NxmValue extends MatchEntryValue {
        @Override
        default Class<NxmValue> implementedInterface() {
            return NxmValue.class;
        }
    }

    /** A register under a mask, to be written. */
    record RegValue(int index, long value, long mask) implements NxmValue {
    }

    /** An entry as read: class, field, mask bit, experimenter id (or -1) and body (value, then mask). */
    record RawValue(int oxmClass, int field, boolean hasMask, long experimenter, byte[] body) implements NxmValue {
        @Override
        public String toString() {
            return String.format("class=0x%04x,field=%d%s,%s0x%s", oxmClass, field, hasMask ? ",masked" : "",
                    experimenter < 0 ? "" : "experimenter=0x" + Long.toHexString(experimenter) + ",",
                    HexFormat.of().formatHex(body));
        }
    }

    static MatchEntry reg(Match.Reg r) {
        return new MatchEntryBuilder().setOxmClass(Nxm1Class.VALUE).setOxmMatchField(RegField.VALUE)
                .setHasMask(r.mask() != FULL).setMatchEntryValue(new RegValue(r.index(), r.value(), r.mask()))
                .build();
    }

    /** NXM header (class, field, mask bit, length), value, then mask if any. */
    static void writeReg(MatchEntry entry, ByteBuf out) {
        RegValue r = (RegValue) entry.getMatchEntryValue();
        boolean masked = r.mask() != FULL;
        out.writeShort(NXM1);
        out.writeByte(r.index() << 1 | (masked ? 1 : 0));
        out.writeByte(masked ? 8 : 4);
        out.writeInt((int) r.value());
        if (masked) {
            out.writeInt((int) r.mask());
        }
    }

    static MatchEntry readRaw(ByteBuf in) {
        int oxmClass = in.readUnsignedShort();
        int fieldAndMask = in.readUnsignedByte();
        int length = in.readUnsignedByte();
        long experimenter = -1;
        if (oxmClass == EXPERIMENTER) {
            experimenter = in.readUnsignedInt();
            length -= 4;
        }
        byte[] body = new byte[Math.max(0, length)];
        in.readBytes(body);
        boolean masked = (fieldAndMask & 1) == 1;
        return new MatchEntryBuilder().setOxmClass(oxmClass(oxmClass)).setOxmMatchField(RawField.VALUE)
                .setHasMask(masked)
                .setMatchEntryValue(new RawValue(oxmClass, fieldAndMask >>> 1, masked, experimenter, body)).build();
    }

    private static OxmClassBase oxmClass(int value) {
        return switch (value) {
            case NXM0 -> Nxm0Class.VALUE;
            case NXM1 -> Nxm1Class.VALUE;
            default -> ExperimenterClass.VALUE;
        };
    }

    static void registerWriter(SerializerExtensionProvider provider) {
        provider.registerMatchEntrySerializer(new MatchEntrySerializerKey<>(FlowMods.OF13, Nxm1Class.VALUE,
                RegField.VALUE), (OFSerializer<MatchEntry>) NiciraMatches::writeReg);
    }

    static void registerReaders(DeserializerExtensionProvider provider) {
        OFDeserializer<MatchEntry> raw = NiciraMatches::readRaw;
        Uint8 of13 = FlowMods.OF13;
        for (int field = 0; field < FIELDS; field++) {
            provider.registerMatchEntryDeserializer(new MatchEntryDeserializerKey(of13, NXM0, field), raw);
            provider.registerMatchEntryDeserializer(new MatchEntryDeserializerKey(of13, NXM1, field), raw);
            for (long experimenter : new long[] {NiciraActions.NICIRA, ONF}) {
                var key = new MatchEntryDeserializerKey(of13, EXPERIMENTER, field);
                key.setExperimenterId(Uint32.valueOf(experimenter));
                provider.registerMatchEntryDeserializer(key, raw);
            }
        }
    }
}
