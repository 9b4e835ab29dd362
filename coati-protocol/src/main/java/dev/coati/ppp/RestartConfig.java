package dev.coati.ppp;

/**
 * Restart timer and counters of the option automaton (RFC 1661 section 4.6): timeout (default 3 s),
 * Max-Terminate (2), Max-Configure (10), Max-Failure (5 Configure-Naks without an Ack before we
 * reject instead).
 */
public record RestartConfig(
    long restartMillis, int maxTerminate, int maxConfigure, int maxFailure) {
  public static final RestartConfig DEFAULT = new RestartConfig(3000, 2, 10, 5);

  public RestartConfig {
    if (restartMillis <= 0 || maxTerminate < 1 || maxConfigure < 1 || maxFailure < 1) {
      throw new IllegalArgumentException("restart values must be positive");
    }
  }
}
