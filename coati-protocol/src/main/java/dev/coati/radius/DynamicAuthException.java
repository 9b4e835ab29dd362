package dev.coati.radius;

/**
 * A Disconnect-Request or CoA-Request coati refuses: with the Error-Cause its NAK carries (RFC 5176
 * section 3.5), or to be silently discarded (a stale Event-Timestamp, section 6.4) when {@link
 * #discard()}.
 */
public final class DynamicAuthException extends RadiusException {
  private final int errorCause;

  private DynamicAuthException(int errorCause, String message) {
    super(message);
    this.errorCause = errorCause;
  }

  /** Answer with a NAK carrying {@code errorCause} (one of Radius.ERROR_*). */
  public static DynamicAuthException nak(int errorCause, String message) {
    if (errorCause <= 0) {
      throw new IllegalArgumentException("an Error-Cause is positive");
    }
    return new DynamicAuthException(errorCause, message);
  }

  /** Do not answer at all. */
  public static DynamicAuthException discard(String message) {
    return new DynamicAuthException(0, message);
  }

  public boolean discard() {
    return errorCause == 0;
  }

  /** The Error-Cause for the NAK; 0 when {@link #discard()}. */
  public int errorCause() {
    return errorCause;
  }
}
