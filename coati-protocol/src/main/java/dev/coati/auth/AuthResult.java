package dev.coati.auth;

import dev.coati.util.Ipv4Address;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of an authentication. On success: the user's static address and session limit when
 * configured, and for MS-CHAPv2 the authenticator response ({@code S=...}, RFC 2759 §5) to put in
 * the Success packet. On failure: a reason for the log (it never contains the password or any
 * response value) and, for MS-CHAPv2, the error code for the Failure packet ({@code E=691}). {@code
 * session}: limits and opaque state a RADIUS server attached ({@link Session#NONE} for local
 * users).
 */
public record AuthResult(
    boolean success,
    String user,
    String reason,
    Optional<Ipv4Address> staticAddress,
    OptionalInt maxSessions,
    Optional<String> authenticatorResponse,
    int errorCode,
    Session session) {

  /**
   * What a RADIUS Access-Accept adds (RFC 2865 section 5.27, 5.28, 5.25, RFC 2869 section 5.16):
   * Session-Timeout, Idle-Timeout and Acct-Interim-Interval in seconds (0: none) and the Class to
   * echo in accounting (empty: none).
   */
  public record Session(
      long sessionTimeoutSeconds,
      long idleTimeoutSeconds,
      long interimIntervalSeconds,
      byte[] radiusClass) {
    public static final Session NONE = new Session(0, 0, 0, new byte[0]);
  }

  /** This result with {@code s}. */
  public AuthResult withSession(Session s) {
    return new AuthResult(
        success, user, reason, staticAddress, maxSessions, authenticatorResponse, errorCode, s);
  }

  /** MS-CHAPv2 Failure code ERROR_AUTHENTICATION_FAILURE (RFC 2759 §6). */
  public static final int ERROR_AUTHENTICATION_FAILURE = 691;

  /** A success with the user's attributes. */
  public static AuthResult success(
      String user, Ipv4Address staticAddress, int maxSessions, String authenticatorResponse) {
    return new AuthResult(
        true,
        user,
        "authenticated",
        Optional.ofNullable(staticAddress),
        maxSessions > 0 ? OptionalInt.of(maxSessions) : OptionalInt.empty(),
        Optional.ofNullable(authenticatorResponse),
        0,
        Session.NONE);
  }

  /**
   * A failure with a reason for the operator and the wire error code (0 if the method has none).
   */
  public static AuthResult failure(String user, String reason, int errorCode) {
    return new AuthResult(
        false,
        user,
        reason,
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        errorCode,
        Session.NONE);
  }
}
