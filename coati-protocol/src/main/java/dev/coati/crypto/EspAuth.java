package dev.coati.crypto;

/**
 * ESP integrity algorithms: IPsec DOI auth algorithm ids (RFC 2407 section 4.5) and ICV lengths
 * (RFC 2403, 2404, 4868). HMAC-SHA2-256 exists twice: the standard 128-bit ICV and the 96-bit
 * truncation of old Linux/Android peers (same wire id; detected per SA by the data plane).
 */
public enum EspAuth {
  HMAC_MD5_96(1, HashAlg.MD5, 16, 12, true, false),
  HMAC_SHA1_96(2, HashAlg.SHA1, 20, 12, false, false),
  HMAC_SHA2_256_128(5, HashAlg.SHA2_256, 32, 16, false, false),
  HMAC_SHA2_256_96(5, HashAlg.SHA2_256, 32, 12, false, true),
  HMAC_SHA2_384_192(6, HashAlg.SHA2_384, 48, 24, false, false),
  HMAC_SHA2_512_256(7, HashAlg.SHA2_512, 64, 32, false, false);

  private final int authId;
  private final HashAlg hash;
  private final int keyLength;
  private final int icvLength;
  private final boolean legacy;
  private final boolean legacyTruncation;

  EspAuth(int id, HashAlg hash, int keyLength, int icv, boolean legacy, boolean truncation) {
    this.authId = id;
    this.hash = hash;
    this.keyLength = keyLength;
    this.icvLength = icv;
    this.legacy = legacy;
    this.legacyTruncation = truncation;
  }

  public int authId() {
    return authId;
  }

  public HashAlg hash() {
    return hash;
  }

  /** Key length in bytes. */
  public int keyLength() {
    return keyLength;
  }

  public int icvLength() {
    return icvLength;
  }

  public boolean legacy() {
    return legacy;
  }

  /** The 96-bit SHA-256 variant: never negotiated, only detected on traffic. */
  public boolean legacyTruncation() {
    return legacyTruncation;
  }
}
