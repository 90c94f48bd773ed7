package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.openflow.FlowMod;
import java.util.ArrayList;
import java.util.List;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.OutputActionCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.SetFieldCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.output.action._case.OutputActionBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.set.field._case.SetFieldActionBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.ActionBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice.ApplyActionsCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice.GotoTableCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice._goto.table._case.GotoTableBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice.apply.actions._case.ApplyActionsBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instructions.grouping.Instruction;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instructions.grouping.InstructionBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.FlowModCommand;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.FlowModFlags;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.PortNumber;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.TableId;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.ArpOp;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.ArpSha;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.EthDst;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.EthSrc;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntry;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpOpCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpShaCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthDstCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthSrcCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.arp.op._case.ArpOpBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.arp.sha._case.ArpShaBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.eth.dst._case.EthDstBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.eth.src._case.EthSrcBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.FlowModInput;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.FlowModInputBuilder;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.common.Uint8;

/** Our {@link FlowMod} values as openflowjava FLOW_MOD messages (OpenFlow 1.3). */
final class FlowMods {
    static final Uint8 OF13 = Uint8.valueOf(4);
    private static final long ANY = 0xffffffffL;
    private static final int ALL_TABLES = 0xff;
    private static final long OFPP_IN_PORT = 0xfffffff8L;
    private static final long OFPP_NORMAL = 0xfffffffaL;
    private static final long OFPP_LOCAL = 0xfffffffeL;

    private FlowMods() {
    }

    static FlowModInput of(FlowMod mod, long xid) {
        FlowModInputBuilder b = new FlowModInputBuilder().setVersion(OF13).setXid(Uint32.valueOf(xid))
                .setIdleTimeout(Uint16.ZERO).setHardTimeout(Uint16.ZERO).setBufferId(Uint32.valueOf(ANY))
                .setOutPort(new PortNumber(Uint32.valueOf(ANY))).setOutGroup(Uint32.valueOf(ANY))
                .setFlags(new FlowModFlags(false, false, false, false, false));
        return switch (mod) {
            case FlowMod.Add a -> flow(b, a.flow()).setCommand(FlowModCommand.OFPFCADD)
                    .setCookie(Uint64.fromLongBits(a.flow().cookie().value())).setCookieMask(Uint64.ZERO)
                    .setInstruction(instructions(a.flow().actions())).build();
            case FlowMod.DeleteStrict d -> flow(b, d.flow()).setCommand(FlowModCommand.OFPFCDELETESTRICT)
                    .setCookie(Uint64.ZERO).setCookieMask(Uint64.ZERO).setInstruction(List.of()).build();
            case FlowMod.DeleteByCookie c -> b.setCommand(FlowModCommand.OFPFCDELETE)
                    .setTableId(new TableId(Uint32.valueOf(ALL_TABLES))).setPriority(Uint16.ZERO)
                    .setCookie(Uint64.fromLongBits(c.value().value()))
                    .setCookieMask(Uint64.fromLongBits(c.mask().value()))
                    .setMatch(OxmMatches.of(List.of())).setInstruction(List.of()).build();
        };
    }

    private static FlowModInputBuilder flow(FlowModInputBuilder b, Flow f) {
        return b.setTableId(new TableId(Uint32.valueOf(f.table()))).setPriority(Uint16.valueOf(f.priority()))
                .setMatch(OxmMatches.of(f.matches()));
    }

    /** Apply-actions with everything but goto_table, then the goto_table instruction if any. */
    static List<Instruction> instructions(List<Action> actions) {
        List<org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action>
                apply = new ArrayList<>();
        List<Instruction> out = new ArrayList<>();
        Action.GotoTable next = null;
        for (Action a : actions) {
            if (next != null) {
                throw new IllegalArgumentException("goto_table must be the last action: " + actions);
            }
            switch (a) {
                case Action.GotoTable g -> next = g;
                case Action.Drop d -> { }
                default -> apply.add(action(a));
            }
        }
        if (!apply.isEmpty()) {
            out.add(new InstructionBuilder().setInstructionChoice(new ApplyActionsCaseBuilder()
                    .setApplyActions(new ApplyActionsBuilder().setAction(apply).build()).build()).build());
        }
        if (next != null) {
            out.add(new InstructionBuilder().setInstructionChoice(new GotoTableCaseBuilder()
                    .setGotoTable(new GotoTableBuilder().setTableId(Uint8.valueOf(next.table())).build())
                    .build()).build());
        }
        return out;
    }

    private static org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action
            action(Action a) {
        return switch (a) {
            case Action.Output o -> output(o.port());
            case Action.OutputLocal l -> output(OFPP_LOCAL);
            case Action.OutputInPort i -> output(OFPP_IN_PORT);
            case Action.Normal n -> output(OFPP_NORMAL);
            case Action.SetTunDst t -> NiciraActions.load(NxmField.TUN_IPV4_DST, t.ip().address() & 0xffffffffL);
            case Action.Move m -> NiciraActions.move(NxmField.of(m.from()), NxmField.of(m.to()));
            case Action.SetEth s -> setField(s.field() == Action.EthField.SRC ? ethSrc(s.mac()) : ethDst(s.mac()));
            case Action.SetArpOp op -> setField(OxmMatches.basic(ArpOp.VALUE, false, new ArpOpCaseBuilder()
                    .setArpOp(new ArpOpBuilder().setOpCode(Uint16.valueOf(op.op())).build()).build()));
            case Action.SetArpSha sha -> setField(OxmMatches.basic(ArpSha.VALUE, false, new ArpShaCaseBuilder()
                    .setArpSha(new ArpShaBuilder().setMacAddress(OxmMatches.mac(sha.mac())).build()).build()));
            case Action.GotoTable g -> throw new IllegalStateException("goto_table is an instruction");
            case Action.Drop d -> throw new IllegalStateException("drop is no action");
        };
    }

    private static MatchEntry ethSrc(MacAddress mac) {
        return OxmMatches.basic(EthSrc.VALUE, false, new EthSrcCaseBuilder()
                .setEthSrc(new EthSrcBuilder().setMacAddress(OxmMatches.mac(mac)).build()).build());
    }

    private static MatchEntry ethDst(MacAddress mac) {
        return OxmMatches.basic(EthDst.VALUE, false, new EthDstCaseBuilder()
                .setEthDst(new EthDstBuilder().setMacAddress(OxmMatches.mac(mac)).build()).build());
    }

    private static org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action
            setField(MatchEntry entry) {
        return new ActionBuilder().setActionChoice(new SetFieldCaseBuilder().setSetFieldAction(
                new SetFieldActionBuilder().setMatchEntry(List.of(entry)).build()).build()).build();
    }

    private static org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action
            output(long port) {
        return new ActionBuilder().setActionChoice(new OutputActionCaseBuilder().setOutputAction(
                new OutputActionBuilder().setPort(new PortNumber(Uint32.valueOf(port)))
                        .setMaxLength(Uint16.valueOf(0xffff)).build()).build()).build();
    }
}
