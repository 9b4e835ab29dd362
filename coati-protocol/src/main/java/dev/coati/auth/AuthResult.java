package dev.coati.auth;

import dev.coati.util.Ipv4Address;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of an authentication. On success: the user's static address and session limit when
 * configured, and for MS-CHAPv2 the authenticator response ({@code S=...}, RFC 2759 §5) to put in
 * the Success packet. On failure: a reason for the log (it never contains the password or any
 * response value) and, for MS-CHAPv2, the error code for the Failure packet ({@code E=691}).
 */
public record AuthResult(
    boolean success,
    String user,
    String reason,
    Optional<Ipv4Address> staticAddress,
    OptionalInt maxSessions,
    Optional<String> authenticatorResponse,
    int errorCode) {

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
        0);
  }

  /**
   * A failure with a reason for the operator and the wire error code (0 if the method has none).
   */
  public static AuthResult failure(String user, String reason, int errorCode) {
    return new AuthResult(
        false, user, reason, Optional.empty(), OptionalInt.empty(), Optional.empty(), errorCode);
  }
}
