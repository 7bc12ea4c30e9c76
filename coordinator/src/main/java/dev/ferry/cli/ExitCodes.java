package dev.ferry.cli;

import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.reference.InvalidReferenceException;
import picocli.CommandLine;

/**
 * Maps what escapes a command to an exit code and one clear line on stderr: 2 for bad
 * input (a reference, a flag value), 1 for anything that went wrong while working.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof InvalidReferenceException
                || e instanceof InvalidDigestException
                || e instanceof UsageException) {
            cmd.getErr().println("ferry " + cmd.getCommandName() + ": " + e.getMessage());
            return USAGE;
        }
        cmd.getErr().println("ferry " + cmd.getCommandName() + ": " + Errors.describe(e));
        return FAILED;
    }

    /** Bad input found after parsing (a flag combination, an unreadable credentials file). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
