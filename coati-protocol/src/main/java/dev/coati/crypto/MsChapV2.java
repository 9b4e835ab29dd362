package dev.coati.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MS-CHAPv2 computations of RFC 2759 §8 (and the NT password hash of RFC 2433), named as in the
 * RFC. Used by the authenticator side: it recomputes the peer's NT-Response from the stored NT hash
 * and, on a match, sends back the authenticator response {@code S=<40 hex digits>}.
 *
 * <p>DES here is the RFC's "DesEncrypt" with 7-byte keys spread over 8 bytes (parity bits unset;
 * the JCE ignores them).
 */
public final class MsChapV2 {
  /** Length of the authenticator and peer challenges (RFC 2759 §4). */
  public static final int CHALLENGE_LENGTH = 16;

  /** Length of the NT-Response (RFC 2759 §4). */
  public static final int NT_RESPONSE_LENGTH = 24;

  /** Length of the NT password hash (RFC 2759 §8.3). */
  public static final int NT_HASH_LENGTH = 16;

  private static final byte[] MAGIC1 =
      "Magic server to client signing constant".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC2 =
      "Pad to make it do more than one iteration".getBytes(StandardCharsets.US_ASCII);

  private MsChapV2() {}

  /** RFC 2759 §8.2 ChallengeHash: the first 8 bytes of SHA1(peer ‖ authenticator ‖ user name). */
  public static byte[] challengeHash(
      byte[] peerChallenge, byte[] authenticatorChallenge, byte[] userName) {
    MessageDigest sha1 = sha1();
    sha1.update(peerChallenge);
    sha1.update(authenticatorChallenge);
    sha1.update(userName);
    return Arrays.copyOf(sha1.digest(), 8);
  }

  /** RFC 2759 §8.3 NtPasswordHash: MD4 of the password in UTF-16LE (see {@link NtHash}). */
  public static byte[] ntPasswordHash(byte[] utf8Password) {
    return NtHash.of(utf8Password);
  }

  /** RFC 2759 §8.4 HashNtPasswordHash: MD4 of the NT hash. */
  public static byte[] hashNtPasswordHash(byte[] ntHash) {
    return Md4.digest(ntHash);
  }

  /**
   * RFC 2759 §8.5 ChallengeResponse: the 8-byte challenge DES-encrypted under three 7-byte keys cut
   * from the NT hash padded with zeros to 21 bytes; 24 bytes.
   */
  public static byte[] challengeResponse(byte[] challenge, byte[] ntHash) {
    if (challenge.length != 8 || ntHash.length != NT_HASH_LENGTH) {
      throw new IllegalArgumentException("challenge must be 8 bytes and the NT hash 16");
    }
    byte[] z = Arrays.copyOf(ntHash, 21);
    byte[] out = new byte[NT_RESPONSE_LENGTH];
    try {
      for (int i = 0; i < 3; i++) {
        byte[] key = desKey(z, 7 * i);
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        des.doFinal(challenge, 0, 8, out, 8 * i);
        Arrays.fill(key, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new CryptoException("DES unavailable for MS-CHAPv2", e);
    } finally {
      Arrays.fill(z, (byte) 0);
    }
    return out;
  }

  /** RFC 2759 §8.1 GenerateNTResponse, from the stored NT hash. */
  public static byte[] generateNtResponse(
      byte[] authenticatorChallenge, byte[] peerChallenge, byte[] userName, byte[] ntHash) {
    checkChallenges(authenticatorChallenge, peerChallenge);
    return challengeResponse(
        challengeHash(peerChallenge, authenticatorChallenge, userName), ntHash);
  }

  /**
   * RFC 2759 §8.7 GenerateAuthenticatorResponse: {@code "S="} and 40 upper-case hex digits, which
   * the authenticator sends in its Success packet so the peer can verify it.
   */
  public static String generateAuthenticatorResponse(
      byte[] ntHash,
      byte[] ntResponse,
      byte[] peerChallenge,
      byte[] authenticatorChallenge,
      byte[] userName) {
    byte[] hashHash = hashNtPasswordHash(ntHash);
    MessageDigest sha1 = sha1();
    sha1.update(hashHash);
    sha1.update(ntResponse);
    sha1.update(MAGIC1);
    byte[] digest = sha1.digest();
    byte[] challenge = challengeHash(peerChallenge, authenticatorChallenge, userName);
    sha1.update(digest);
    sha1.update(challenge);
    sha1.update(MAGIC2);
    Arrays.fill(hashHash, (byte) 0);
    return "S=" + HexFormat.of().withUpperCase().formatHex(sha1.digest());
  }

  /**
   * Verifies a peer's NT-Response against the stored NT hash in constant time; on success returns
   * the authenticator response to send, else null.
   */
  public static String verify(
      byte[] authenticatorChallenge,
      byte[] peerChallenge,
      byte[] userName,
      byte[] ntResponse,
      byte[] ntHash) {
    if (ntResponse.length != NT_RESPONSE_LENGTH) {
      return null;
    }
    byte[] expected = generateNtResponse(authenticatorChallenge, peerChallenge, userName, ntHash);
    boolean ok = MessageDigest.isEqual(expected, ntResponse);
    Arrays.fill(expected, (byte) 0);
    return ok
        ? generateAuthenticatorResponse(
            ntHash, ntResponse, peerChallenge, authenticatorChallenge, userName)
        : null;
  }

  /** Spreads 7 bytes (56 bits) at {@code off} over 8 DES key bytes, 7 bits each (RFC 2759 §8.6). */
  static byte[] desKey(byte[] src, int off) {
    long k = 0;
    for (int i = 0; i < 7; i++) {
      k = (k << 8) | (src[off + i] & 0xff);
    }
    byte[] key = new byte[8];
    for (int i = 0; i < 8; i++) {
      key[i] = (byte) (((k >>> (49 - 7 * i)) & 0x7f) << 1);
    }
    return key;
  }

  private static void checkChallenges(byte[] authenticatorChallenge, byte[] peerChallenge) {
    if (authenticatorChallenge.length != CHALLENGE_LENGTH
        || peerChallenge.length != CHALLENGE_LENGTH) {
      throw new IllegalArgumentException("MS-CHAPv2 challenges are 16 bytes each");
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException("SHA-1 unavailable", e);
    }
  }
}
