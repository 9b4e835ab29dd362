package dev.coati.l2tp;

import dev.coati.crypto.HashAlg;
import dev.coati.l2tp.wire.MessageType;
import dev.coati.util.RandomSource;
import java.util.Optional;

/**
 * The shared tunnel secret of one {@link L2tpTunnel} and what to do with it (RFC 2661 sections 4.3
 * and 5.1.1).
 *
 * <ul>
 *   <li>With a secret, a Challenge in the peer's SCCRQ is answered in our SCCRP, and hidden AVPs
 *       from the peer are revealed with it.
 *   <li>{@code requireAuthentication}: our SCCRP carries a Challenge of our own and the SCCCN must
 *       answer it, else StopCCN result 4.
 *   <li>{@code hideAvps}: every AVP we send that may be hidden is, behind a Random Vector.
 * </ul>
 *
 * @param secret the shared secret (copied in and out); empty: no tunnel authentication, no hiding
 * @param random the source of our Challenge and Random Vector values
 */
public record TunnelSecurity(
    Optional<byte[]> secret, boolean requireAuthentication, boolean hideAvps, RandomSource random) {
  /** Length of the Challenge and Random Vector values we send. */
  public static final int CHALLENGE_LENGTH = 16;

  /** No secret: no tunnel authentication, nothing hidden (the behaviour before secrets existed). */
  public static final TunnelSecurity NONE =
      new TunnelSecurity(
          Optional.empty(),
          false,
          false,
          b -> {
            throw new IllegalStateException("no randomness needed without a secret");
          });

  public TunnelSecurity {
    secret = secret.map(byte[]::clone);
    if (secret.isPresent() && secret.get().length == 0) {
      throw new IllegalArgumentException("empty tunnel secret");
    }
    if (secret.isEmpty() && (requireAuthentication || hideAvps)) {
      throw new IllegalArgumentException("tunnel authentication and hiding need a secret");
    }
  }

  /** A configured secret. */
  public static TunnelSecurity withSecret(
      byte[] secret, boolean requireAuthentication, boolean hideAvps, RandomSource random) {
    return new TunnelSecurity(Optional.of(secret), requireAuthentication, hideAvps, random);
  }

  @Override
  public Optional<byte[]> secret() {
    return secret.map(byte[]::clone);
  }

  /**
   * The Challenge Response value (section 4.4.3): MD5 over the CHAP ID, the secret and the
   * challenge, the CHAP ID being the one-octet Message Type of the message carrying the response (2
   * in an SCCRP, 3 in an SCCCN).
   */
  public static byte[] challengeResponse(MessageType carriedIn, byte[] secret, byte[] challenge) {
    return HashAlg.MD5.digest(new byte[] {(byte) carriedIn.code()}, secret, challenge);
  }
}
