package dev.coati.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * CHAP with MD5 (RFC 1994 §4.1, algorithm 5): Response = MD5(Identifier ‖ secret ‖ Challenge). The
 * authenticator needs the plain-text secret to compute it.
 */
public final class ChapMd5 {
  /** Length of an MD5 response value. */
  public static final int RESPONSE_LENGTH = 16;

  private ChapMd5() {}

  /** RFC 1994 §4.1: MD5 over the one-byte identifier, the secret and the challenge. */
  public static byte[] response(int identifier, byte[] secret, byte[] challenge) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update((byte) identifier);
      md5.update(secret);
      md5.update(challenge);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException("MD5 unavailable for CHAP", e);
    }
  }

  /** Whether {@code response} is right for the secret, compared in constant time. */
  public static boolean verify(int identifier, byte[] secret, byte[] challenge, byte[] response) {
    byte[] expected = response(identifier, secret, challenge);
    boolean ok = MessageDigest.isEqual(expected, response);
    Arrays.fill(expected, (byte) 0);
    return ok;
  }
}
