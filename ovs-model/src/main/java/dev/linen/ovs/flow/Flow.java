package dev.linen.ovs.flow;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A flow as a value: table, priority, cookie, matches and actions. {@link #toString()} is the
 * flow in ovs-ofctl syntax, in the shape {@code ovs-ofctl --no-stats dump-flows} prints it (cookie
 * and table omitted when zero), which {@code ovs-ofctl add-flow} also accepts.
 */
public record Flow(int table, int priority, Cookie cookie, List<Match> matches, List<Action> actions) {
    public Flow {
        if (table < 0 || table > 254) {
            throw new IllegalArgumentException("table out of range: " + table);
        }
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        matches = List.copyOf(matches);
        actions = List.copyOf(actions);
        if (actions.contains(new Action.Drop()) && actions.size() > 1) {
            throw new IllegalArgumentException("drop must be the only action");
        }
    }

    /** The identity OVS keys a flow by: table, priority and match (not cookie or actions). */
    public String key() {
        return table + "/" + priority + "/" + matches.stream().map(Match::toString).sorted()
                .collect(Collectors.joining(","));
    }

    /** The order ovs-ofctl prints match fields in: protocol, tunnel, registers, port, L2, L3. */
    private static int printOrder(Match m) {
        return switch (m) {
            case Match.Arp a -> 0;
            case Match.Ip i -> 0;
            case Match.TunId t -> 1;
            case Match.Reg r -> 2 + r.index();
            case Match.InPort p -> 20;
            case Match.InPortLocal l -> 20;
            case Match.EthDst d -> 30;
            case Match.IpSrc s -> 40;
            case Match.IpDst d -> 41;
            case Match.ArpTpa t -> 42;
            case Match.ArpOp o -> 43;
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (cookie.value() != 0) {
            sb.append("cookie=").append(cookie).append(", ");
        }
        if (table != 0) {
            sb.append("table=").append(table).append(", ");
        }
        sb.append("priority=").append(priority);
        for (Match m : matches.stream().sorted(java.util.Comparator.comparingInt(Flow::printOrder)).toList()) {
            sb.append(',').append(m);
        }
        sb.append(" actions=");
        sb.append(actions.isEmpty() ? "drop" : actions.stream().map(Action::toString)
                .collect(Collectors.joining(",")));
        return sb.toString();
    }
}
