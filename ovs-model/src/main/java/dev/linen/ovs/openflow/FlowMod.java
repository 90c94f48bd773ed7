package dev.linen.ovs.openflow;

import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;

/** One change to a switch's flow tables. */
public sealed interface FlowMod {

    /** Adds the flow, replacing one with the same table, priority and match (cookie and actions too). */
    record Add(Flow flow) implements FlowMod {
        @Override
        public String toString() {
            return "add " + flow;
        }
    }

    /** Deletes the one flow with exactly this table, priority and match. */
    record DeleteStrict(Flow flow) implements FlowMod {
        @Override
        public String toString() {
            return "delete-strict " + flow.key();
        }
    }

    /** Deletes every flow, in every table, whose cookie under {@code mask} equals {@code value}. */
    record DeleteByCookie(Cookie value, Cookie mask) implements FlowMod {
        public DeleteByCookie {
            if (mask.value() == 0) {
                throw new IllegalArgumentException("a zero cookie mask would delete every flow");
            }
        }

        @Override
        public String toString() {
            return "delete cookie=" + value + "/" + mask;
        }
    }
}
