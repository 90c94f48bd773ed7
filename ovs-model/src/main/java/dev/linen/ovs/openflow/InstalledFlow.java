package dev.linen.ovs.openflow;

import dev.linen.ovs.flow.Cookie;

/**
 * A flow as the switch reports it in a flow dump: its table, priority and cookie, and its text in
 * the shape {@link dev.linen.ovs.flow.Flow#toString()} prints (that of
 * {@code ovs-ofctl --no-stats dump-flows}: cookie omitted when 0, table omitted when 0, then
 * {@code priority=N,<matches> actions=<actions>}). For a flow built only from the model's matches
 * and actions the text equals the {@code toString()} of the equivalent {@code Flow}; a field or
 * action the model does not have appears in the text as {@code <unknown match: ...>} or
 * {@code <unknown action: ...>}.
 */
public record InstalledFlow(int table, int priority, Cookie cookie, String text) {
    public InstalledFlow {
        if (table < 0 || table > 254) {
            throw new IllegalArgumentException("table out of range: " + table);
        }
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (cookie == null) {
            throw new IllegalArgumentException("no cookie");
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("blank flow text");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
