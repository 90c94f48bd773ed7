package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.OutputActionCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.action.grouping.action.choice.SetFieldCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice.ApplyActionsCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instruction.grouping.instruction.choice.GotoTableCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.instruction.rev130731.instructions.grouping.Instruction;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntry;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpOpCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpShaCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthDstCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthSrcCase;

/**
 * The instructions of a flow read back from the switch as our {@link Action} values: the inverse
 * of {@link FlowMods#instructions} (apply-actions, then goto-table; none at all is drop) and of
 * {@link NiciraActions} (move, load into tun_dst). Anything else is {@link Decoded.Unknown};
 * nothing here throws.
 */
final class ActionDecoder {
    private static final long OFPP_IN_PORT = 0xfffffff8L;
    private static final long OFPP_NORMAL = 0xfffffffaL;
    private static final int MAX_PORT = 0xfeff;

    private ActionDecoder() {
    }

    static List<Decoded<Action>> decode(List<Instruction> instructions) {
        List<Decoded<Action>> out = new ArrayList<>();
        for (Instruction i : instructions == null ? List.<Instruction>of() : instructions) {
            switch (i.getInstructionChoice()) {
                case ApplyActionsCase apply when apply.getApplyActions() != null -> {
                    var actions = apply.getApplyActions().getAction();
                    for (var a : actions == null ? List.<org.opendaylight.yang.gen.v1.urn.opendaylight.openflow
                            .common.action.rev150203.actions.grouping.Action>of() : actions) {
                        out.add(action(a));
                    }
                }
                case GotoTableCase g when g.getGotoTable() != null -> out.add(known(() ->
                        Optional.of(new Action.GotoTable(g.getGotoTable().getTableId().toJava())), g));
                case null -> out.add(new Decoded.Unknown<>("<unknown action: empty instruction>"));
                default -> out.add(new Decoded.Unknown<>("<unknown action: " + i.getInstructionChoice() + ">"));
            }
        }
        if (out.isEmpty()) {
            out.add(new Decoded.Known<>(new Action.Drop()));
        }
        return out;
    }

    private static Decoded<Action> action(
            org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.action.rev150203.actions.grouping.Action a) {
        Object choice = a.getActionChoice();
        return known(() -> switch (choice) {
            case OutputActionCase o -> output(o.getOutputAction().getPort().getValue().toJava());
            case SetFieldCase s -> s.getSetFieldAction().getMatchEntry().size() != 1 ? Optional.empty()
                    : setField(s.getSetFieldAction().getMatchEntry().get(0));
            case NiciraActions.RegMove m -> move(m);
            case NiciraActions.RegLoad l -> load(l);
            case null, default -> Optional.empty();
        }, describe(choice));
    }

    /** What an action the model lacks is called in the text: OpenFlow terms where we know them. */
    private static Object describe(Object choice) {
        return switch (choice) {
            case OutputActionCase o when o.getOutputAction() != null && o.getOutputAction().getPort() != null ->
                    "output to port " + Long.toUnsignedString(o.getOutputAction().getPort().getValue().toJava());
            case SetFieldCase s when s.getSetFieldAction() != null -> "set_field "
                    + s.getSetFieldAction().getMatchEntry().stream().map(MatchEntry::getMatchEntryValue).toList();
            case null -> "an empty action";
            default -> choice;
        };
    }

    /** The value of {@code decode}, or an unknown naming {@code what} when it is empty or fails. */
    private static Decoded<Action> known(java.util.function.Supplier<Optional<Action>> decode, Object what) {
        Optional<Action> a;
        try {
            a = decode.get();
        } catch (RuntimeException e) {
            a = Optional.empty();
        }
        return a.<Decoded<Action>>map(Decoded.Known::new)
                .orElseGet(() -> new Decoded.Unknown<>("<unknown action: " + what + ">"));
    }

    private static Optional<Action> output(long port) {
        if (port == OxmMatches.OFPP_LOCAL) {
            return Optional.of(new Action.OutputLocal());
        } else if (port == OFPP_IN_PORT) {
            return Optional.of(new Action.OutputInPort());
        } else if (port == OFPP_NORMAL) {
            return Optional.of(new Action.Normal());
        }
        return port >= 1 && port <= MAX_PORT ? Optional.of(new Action.Output((int) port)) : Optional.empty();
    }

    private static Optional<Action> setField(MatchEntry e) {
        if (Boolean.TRUE.equals(e.getHasMask())) {
            return Optional.empty();
        }
        return switch (e.getMatchEntryValue()) {
            case EthSrcCase s -> Optional.of(new Action.SetEth(Action.EthField.SRC,
                    MacAddress.parse(s.getEthSrc().getMacAddress().getValue())));
            case EthDstCase d -> Optional.of(new Action.SetEth(Action.EthField.DST,
                    MacAddress.parse(d.getEthDst().getMacAddress().getValue())));
            case ArpOpCase op -> Optional.of(new Action.SetArpOp(op.getArpOp().getOpCode().toJava()));
            case ArpShaCase sha -> Optional.of(new Action.SetArpSha(
                    MacAddress.parse(sha.getArpSha().getMacAddress().getValue())));
            case null, default -> Optional.empty();
        };
    }

    /** A whole-field move between two fields the model names (NXM or OXM headers). */
    private static Optional<Action> move(NiciraActions.RegMove m) {
        Optional<Action.Field> from = NxmField.field(m.srcHeader());
        Optional<Action.Field> to = NxmField.field(m.dstHeader());
        if (from.isEmpty() || to.isEmpty() || m.srcOffset() != 0 || m.dstOffset() != 0
                || m.bits() != NxmField.of(from.get()).bits() || m.bits() != NxmField.of(to.get()).bits()) {
            return Optional.empty();
        }
        return Optional.of(new Action.Move(from.get(), to.get()));
    }

    /** A load of a whole host address into tun_dst, the only load the model sends. */
    private static Optional<Action> load(NiciraActions.RegLoad l) {
        if (!NxmField.TUN_IPV4_DST.sameField(l.dstHeader()) || l.offset() != 0 || l.bits() != 32
                || (l.value() >>> 32) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Action.SetTunDst(new Ipv4Prefix((int) l.value(), 32)));
    }
}
