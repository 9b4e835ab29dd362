package dev.coati.crypto;

import dev.coati.util.RandomSource;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salted, iterated password hashes for the users file: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) in the
 * PHC string format {@code $pbkdf2-sha256$i=600000$<salt>$<hash>} (salt 16 bytes, hash 32 bytes,
 * both unpadded standard Base64). 600,000 iterations is OWASP's 2023 recommendation for this PRF;
 * the count is stored in each hash, so it can be raised later without breaking old entries.
 * Verification compares in constant time.
 *
 * <p>As with every PBKDF2-HMAC, a password and the same password followed by NUL bytes give the
 * same hash (HMAC pads its key with zeros); no client lets a user type a NUL, and the one Android
 * appends is stripped before (see {@code AuthRequest.Plain.fromWire}).
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  /** The scheme tag. */
  public static final String PREFIX = "$pbkdf2-sha256$";

  /** Iterations for new hashes. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  /** The smallest iteration count accepted when parsing (lower counts are refused as too weak). */
  public static final int MIN_ITERATIONS = 1_000;

  /** The largest iteration count accepted (a guard against a users file that stalls logins). */
  public static final int MAX_ITERATIONS = 100_000_000;

  private static final int SALT_LENGTH = 16;
  private static final int HASH_LENGTH = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  public PasswordHash {
    salt = salt.clone();
    hash = hash.clone();
  }

  /** Hashes a password (UTF-8 bytes) with a fresh salt and the default iteration count. */
  public static String hash(byte[] password, RandomSource random) {
    return hash(password, random, DEFAULT_ITERATIONS);
  }

  /**
   * Hashes a password with a fresh salt and {@code iterations} (at least {@link #MIN_ITERATIONS}).
   */
  public static String hash(byte[] password, RandomSource random, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be between 1000 and 100000000");
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    byte[] salt = random.bytes(SALT_LENGTH);
    byte[] dk = pbkdf2(password, salt, iterations, HASH_LENGTH);
    String s =
        PREFIX + "i=" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(dk);
    Arrays.fill(dk, (byte) 0);
    return s;
  }

  /**
   * Parses an encoded hash; throws {@link IllegalArgumentException} with a message that says what
   * is wrong (never echoing the hash itself).
   */
  public static PasswordHash parse(String encoded) {
    if (!encoded.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a password hash starts with " + PREFIX);
    }
    String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3 || !parts[0].startsWith("i=")) {
      throw new IllegalArgumentException(
          "expected " + PREFIX + "i=<iterations>$<salt>$<hash> (Base64 salt and hash)");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[0].substring(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the iteration count i= is not a number");
    }
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "the iteration count must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[1]);
      byte[] hash = Base64.getDecoder().decode(parts[2]);
      if (salt.length < 8 || hash.length < 16) {
        throw new IllegalArgumentException("the salt or hash is too short (truncated line?)");
      }
      return new PasswordHash(iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("the salt")) {
        throw e;
      }
      throw new IllegalArgumentException("the salt or hash is not valid Base64");
    }
  }

  /** Whether {@code password} (UTF-8 bytes) matches, compared in constant time. */
  public boolean matches(byte[] password) {
    if (password.length == 0) {
      return false;
    }
    byte[] dk = pbkdf2(password, salt, iterations, hash.length);
    boolean ok = MessageDigest.isEqual(dk, hash);
    Arrays.fill(dk, (byte) 0);
    return ok;
  }

  /** The encoded form, as stored in the users file. */
  public String encode() {
    return PREFIX
        + "i="
        + iterations
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p
        && p.iterations == iterations
        && Arrays.equals(p.salt, salt)
        && Arrays.equals(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return 31 * iterations + Arrays.hashCode(salt);
  }

  @Override
  public String toString() {
    return "PasswordHash[pbkdf2-sha256, i=" + iterations + "]";
  }

  private static final AtomicLong DERIVATIONS = new AtomicLong();

  /**
   * PBKDF2 runs since start: lets tests show that an unknown user costs the same work as a known
   * one (a count is exact where a stopwatch on a shared machine is not).
   */
  public static long derivations() {
    return DERIVATIONS.get();
  }

  /** PBKDF2 (RFC 8018 §5.2) with HMAC-SHA256 as the PRF. */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) {
    DERIVATIONS.incrementAndGet();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password, "HmacSHA256"));
      int hLen = mac.getMacLength();
      byte[] out = new byte[length];
      byte[] u = new byte[hLen];
      byte[] t = new byte[hLen];
      for (int block = 1, off = 0; off < length; block++, off += hLen) {
        mac.update(salt);
        mac.update(
            new byte[] {
              (byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block
            });
        mac.doFinal(u, 0);
        System.arraycopy(u, 0, t, 0, hLen);
        for (int i = 1; i < iterations; i++) {
          mac.update(u);
          mac.doFinal(u, 0);
          for (int j = 0; j < hLen; j++) {
            t[j] ^= u[j];
          }
        }
        System.arraycopy(t, 0, out, off, Math.min(hLen, length - off));
      }
      Arrays.fill(u, (byte) 0);
      Arrays.fill(t, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("HMAC-SHA256 unavailable for PBKDF2", e);
    }
  }
}
