package dev.linen.flaxd.node;

import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of a test's own, named PREFIX-xxxxxx: made when created, removed by
 * {@link #close} (call it in @AfterEach, so a failed test removes it too). Needs root: without it
 * the test is skipped, or fails when linen.requireSystem=true (CI).
 */
record TestNetns(String name, Commands cmd) implements AutoCloseable {
    static TestNetns create(String prefix) {
        if (!"root".equals(System.getProperty("user.name"))) {
            if (Boolean.getBoolean("linen.requireSystem")) {
                throw new AssertionError("network namespaces need root (linen.requireSystem=true)");
            }
            Assumptions.abort("network namespaces need root");
        }
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Commands.host().must("ip", "netns", "add", name);
        return new TestNetns(name, Commands.inNetns(name));
    }

    /** Removes the namespace. Idempotent. */
    @Override
    public void close() {
        Commands.host().run("ip", "netns", "del", name);
    }
}
