package dev.linen.ovs.proc;

import java.util.List;

/** A command could not be run to its end: it did not start, or it overran its deadline. */
public abstract sealed class CommandException extends Exception
        permits CommandFailedException, CommandTimeoutException {
    private final List<String> command;

    CommandException(List<String> command, String message, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
    }

    /** The argv that was run. */
    public List<String> command() {
        return command;
    }
}
