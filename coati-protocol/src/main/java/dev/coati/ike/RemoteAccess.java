package dev.coati.ike;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the engine asks of the layer above for road warriors: checking Xauth credentials and the
 * configuration a client gets (ISAKMP mode config). The server implements it with the users file,
 * RADIUS and the address pool; tests with fixed answers.
 */
public interface RemoteAccess {
  /** What an Xauth client answers (coati as a road warrior; engine tests). */
  record Credentials(byte[] user, byte[] password) {}

  /** The outcome of an Xauth check; {@code message} is for the log, never the password. */
  record XauthResult(boolean ok, String user, String message) {}

  /**
   * What a client is given (mode config). {@code address} may be null for a client that is not
   * given one; {@code splitInclude} are IPv4 networks as address + prefix ({@code a.b.c.d/n}).
   */
  record ClientConfig(
      byte[] address,
      int prefix,
      List<byte[]> dns,
      List<byte[]> nbns,
      String defaultDomain,
      String banner,
      List<String> splitInclude,
      boolean savePassword,
      List<String> splitDns,
      boolean pfs) {}

  /**
   * Checks credentials. The returned stage must complete on the engine's thread (the server runs
   * the check elsewhere and hands the result back to its socket thread).
   */
  CompletionStage<XauthResult> xauth(IkeSaView sa, byte[] user, byte[] password);

  /**
   * The configuration for an authenticated user (leases an address); empty: refused, why logged.
   */
  Optional<ClientConfig> clientConfig(IkeSaView sa, String user);

  /** Push (SET/ACK, Cisco/iOS style) instead of answering the client's REQUEST (pull)? */
  default boolean push(IkeSaView sa) {
    return false;
  }

  /** How many Xauth rounds a client gets before the SA is deleted. */
  default int maxXauthAttempts() {
    return 3;
  }
}
