package dev.linen.ovs.proc;

import java.time.Duration;
import java.util.List;

/**
 * The command was still running at its deadline; it and its descendants were killed.
 * {@link #partialOutput()} holds the start of what it had written by then.
 */
public final class CommandTimeoutException extends CommandException {
    private final Duration timeout;
    private final String partialOutput;

    public CommandTimeoutException(List<String> command, Duration timeout, String partialOutput) {
        super(command, String.join(" ", command) + " timed out after " + timeout.toMillis() + " ms (killed)", null);
        this.timeout = timeout;
        this.partialOutput = partialOutput;
    }

    public Duration timeout() {
        return timeout;
    }

    public String partialOutput() {
        return partialOutput;
    }
}
