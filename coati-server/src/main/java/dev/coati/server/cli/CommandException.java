package dev.coati.server.cli;

/** A command failed for a reason the operator can fix; the message says what to do. */
public final class CommandException extends Exception {
  private final int exitCode;

  public CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** 1 for a failed operation (unknown user, I/O), 2 for a usage error. */
  public int exitCode() {
    return exitCode;
  }
}
