package dev.linen.ovs.proc;

import java.util.List;

/**
 * The command could not be run: the program is missing or not executable, the scratch files for
 * its input and output could not be made, or the waiting thread was interrupted (the command is
 * killed then, and the thread's interrupt flag is set again). A command that ran and exited
 * non-zero is not this: that is a {@link ProcessRunner.Result} with its exit code.
 */
public final class CommandFailedException extends CommandException {
    public CommandFailedException(List<String> command, String reason, Throwable cause) {
        super(command, "cannot run " + String.join(" ", command) + ": " + reason, cause);
    }
}
