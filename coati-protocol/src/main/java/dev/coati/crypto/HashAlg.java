package dev.coati.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * IKEv1 hash algorithms with their wire ids (RFC 2409 Appendix A; SHA2 ids from IANA "IPSEC
 * Registry"), and the HMAC PRF built on each. HMAC-SHA-384/512 use a 128-byte block (RFC 4868),
 * which the JCE's HmacSHA384/512 do.
 */
public enum HashAlg {
  MD5(1, "MD5", "HmacMD5", 16, 64, true),
  SHA1(2, "SHA-1", "HmacSHA1", 20, 64, false),
  SHA2_256(4, "SHA-256", "HmacSHA256", 32, 64, false),
  SHA2_384(5, "SHA-384", "HmacSHA384", 48, 128, false),
  SHA2_512(6, "SHA-512", "HmacSHA512", 64, 128, false);

  private final int ikeId;
  private final String digestName;
  private final String macName;
  private final int outputLength;
  private final int blockSize;
  private final boolean legacy;

  HashAlg(int ikeId, String digest, String mac, int out, int block, boolean legacy) {
    this.ikeId = ikeId;
    this.digestName = digest;
    this.macName = mac;
    this.outputLength = out;
    this.blockSize = block;
    this.legacy = legacy;
  }

  public int ikeId() {
    return ikeId;
  }

  public int outputLength() {
    return outputLength;
  }

  public int blockSize() {
    return blockSize;
  }

  public boolean legacy() {
    return legacy;
  }

  public boolean isSupported() {
    try {
      MessageDigest.getInstance(digestName);
      Mac.getInstance(macName);
      return true;
    } catch (NoSuchAlgorithmException e) {
      return false;
    }
  }

  public static Optional<HashAlg> fromIkeId(int id) {
    for (HashAlg h : values()) {
      if (h.ikeId == id) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  public byte[] digest(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance(digestName);
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException(digestName + " unavailable", e);
    }
  }

  /** HMAC with this hash. */
  public Prf prf() {
    return new Prf() {
      @Override
      public byte[] compute(byte[] key, byte[]... data) {
        return hmac(key, data);
      }

      @Override
      public int outputLength() {
        return outputLength;
      }
    };
  }

  /** HMAC over the concatenation of {@code data}. */
  public byte[] hmac(byte[] key, byte[]... data) {
    try {
      Mac mac = Mac.getInstance(macName);
      // an empty HMAC key is legal (RFC 2104) but SecretKeySpec refuses it: use one zero byte,
      // which HMAC pads to the same block of zeros
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macName));
      for (byte[] d : data) {
        mac.update(d);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new CryptoException(macName + " failed", e);
    }
  }

  /** The JCE MAC name, for the AEAD wrapper. */
  String macName() {
    return macName;
  }
}
