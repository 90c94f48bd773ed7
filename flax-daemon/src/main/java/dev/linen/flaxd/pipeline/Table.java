package dev.linen.flaxd.pipeline;

import java.util.regex.Pattern;

/**
 * A table of the flow-mode pipeline as a {@link Feature} declares it: a name, the stage it belongs
 * to and what a packet that matches none of its flows gets (the table-miss flow at priority 0). Its
 * OpenFlow number is not declared: {@link Pipeline#build} assigns it from the stage order.
 *
 * @param name  unique in the pipeline, lower case and dashes (it names the table in linenctl and metrics)
 * @param stage where in the packet's walk the table sits
 * @param miss  the table-miss action
 */
public record Table(String name, Stage stage, Miss miss) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public Table {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("table name must be lower case letters, digits and dashes: " + name);
        }
        if (stage == null || miss == null) {
            throw new IllegalArgumentException("table " + name + " needs a stage and a miss action");
        }
    }

    /**
     * The order of a packet's walk. Tables are numbered in this order (then in feature order within a
     * stage), ten apart, so a goto always goes forward as OpenFlow requires.
     */
    public enum Stage {
        /** Where the packet came from. */
        CLASSIFY,
        /** Answered inside OVS (ARP). */
        RESPOND,
        /** Sent on towards another node. */
        FORWARD,
        /** Delivered to this node. */
        DELIVER
    }

    /** What a table does with a packet none of its flows matches. */
    public sealed interface Miss {
        /** Dropped. */
        record Drop() implements Miss {
        }

        /** Goes on in the named table, which must come later in the pipeline. */
        record Continue(String table) implements Miss {
            public Continue {
                if (table == null || table.isBlank()) {
                    throw new IllegalArgumentException("a miss that continues needs a table name");
                }
            }
        }
    }
}
