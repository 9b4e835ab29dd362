package dev.coati.ike;

import dev.coati.crypto.HashAlg;
import dev.coati.crypto.Prf;
import dev.coati.crypto.Secret;
import dev.coati.util.ByteWriter;
import java.util.Arrays;

/**
 * IKEv1 key material, RFC 2409 section 5 and Appendix B. Every function is pure; nonces and DH
 * values are the payload bodies (Ni_b, g^xi), cookies the 8-byte header fields.
 */
public final class Keymat {
  private Keymat() {}

  private static byte[] cky(long c) {
    return new ByteWriter(8).i64(c).toByteArray();
  }

  private static byte[] u32(int v) {
    return new ByteWriter(4).i32(v).toByteArray();
  }

  /** SKEYID = prf(pre-shared-key, Ni_b | Nr_b). */
  public static Secret skeyidPsk(Prf prf, Secret psk, byte[] ni, byte[] nr) {
    return Secret.wrap(prf.compute(psk, ni, nr));
  }

  /** SKEYID = prf(Ni_b | Nr_b, g^xy) for signature authentication. */
  public static Secret skeyidSig(Prf prf, byte[] ni, byte[] nr, Secret gxy) {
    byte[] key = new ByteWriter(ni.length + nr.length).bytes(ni).bytes(nr).toByteArray();
    byte[] g = gxy.bytes();
    try {
      return Secret.wrap(prf.compute(key, g));
    } finally {
      Arrays.fill(g, (byte) 0);
    }
  }

  /** SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0). */
  public static Secret skeyidD(Prf prf, Secret skeyid, Secret gxy, long ckyI, long ckyR) {
    return derive(prf, skeyid, new byte[0], gxy, ckyI, ckyR, 0);
  }

  /** SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1). */
  public static Secret skeyidA(
      Prf prf, Secret skeyid, Secret skeyidD, Secret gxy, long ckyI, long ckyR) {
    return derive(prf, skeyid, skeyidD.bytes(), gxy, ckyI, ckyR, 1);
  }

  /** SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2). */
  public static Secret skeyidE(
      Prf prf, Secret skeyid, Secret skeyidA, Secret gxy, long ckyI, long ckyR) {
    return derive(prf, skeyid, skeyidA.bytes(), gxy, ckyI, ckyR, 2);
  }

  private static Secret derive(
      Prf prf, Secret skeyid, byte[] prev, Secret gxy, long ckyI, long ckyR, int n) {
    byte[] g = gxy.bytes();
    try {
      return Secret.wrap(prf.compute(skeyid, prev, g, cky(ckyI), cky(ckyR), new byte[] {(byte) n}));
    } finally {
      Arrays.fill(g, (byte) 0);
      Arrays.fill(prev, (byte) 0);
    }
  }

  /**
   * The cipher key from SKEYID_e: its first bytes when long enough, else expanded (Appendix B): Ka
   * = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1).
   */
  public static Secret encryptionKey(Prf prf, Secret skeyidE, int keyBytes) {
    if (skeyidE.length() >= keyBytes) {
      return Secret.wrap(skeyidE.bytes(0, keyBytes));
    }
    ByteWriter w = new ByteWriter(keyBytes + prf.outputLength());
    byte[] k = new byte[] {0};
    while (w.position() < keyBytes) {
      k = prf.compute(skeyidE, k);
      w.bytes(k);
    }
    byte[] all = w.toByteArray();
    Secret s = Secret.wrap(Arrays.copyOf(all, keyBytes));
    Arrays.fill(all, (byte) 0);
    return s;
  }

  /** Phase-1 IV = hash(g^xi | g^xr), truncated to the cipher block (Appendix B). */
  public static byte[] phase1Iv(HashAlg hash, byte[] gxi, byte[] gxr, int blockSize) {
    return Arrays.copyOf(hash.digest(gxi, gxr), blockSize);
  }

  /** IV of a phase-2 exchange = hash(last phase-1 CBC block | M-ID), truncated (Appendix B). */
  public static byte[] phase2Iv(
      HashAlg hash, byte[] lastPhase1Block, int messageId, int blockSize) {
    return Arrays.copyOf(hash.digest(lastPhase1Block, u32(messageId)), blockSize);
  }

  /** HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b). */
  public static byte[] hashI(
      Prf prf,
      Secret skeyid,
      byte[] gxi,
      byte[] gxr,
      long ckyI,
      long ckyR,
      byte[] saiB,
      byte[] idiiB) {
    return prf.compute(skeyid, gxi, gxr, cky(ckyI), cky(ckyR), saiB, idiiB);
  }

  /** HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b). */
  public static byte[] hashR(
      Prf prf,
      Secret skeyid,
      byte[] gxi,
      byte[] gxr,
      long ckyI,
      long ckyR,
      byte[] saiB,
      byte[] idirB) {
    return prf.compute(skeyid, gxr, gxi, cky(ckyR), cky(ckyI), saiB, idirB);
  }

  /** Quick mode HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]). */
  public static byte[] quickModeHash1(Prf prf, Secret skeyidA, int messageId, byte[] rest) {
    return prf.compute(skeyidA, u32(messageId), rest);
  }

  /** Quick mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDci | IDcr]). */
  public static byte[] quickModeHash2(
      Prf prf, Secret skeyidA, int messageId, byte[] niB, byte[] rest) {
    return prf.compute(skeyidA, u32(messageId), niB, rest);
  }

  /** Quick mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
  public static byte[] quickModeHash3(
      Prf prf, Secret skeyidA, int messageId, byte[] niB, byte[] nrB) {
    return prf.compute(skeyidA, new byte[] {0}, u32(messageId), niB, nrB);
  }

  /** Informational HASH(1) = prf(SKEYID_a, M-ID | N/D). */
  public static byte[] informationalHash(Prf prf, Secret skeyidA, int messageId, byte[] rest) {
    return prf.compute(skeyidA, u32(messageId), rest);
  }

  /**
   * Quick mode KEYMAT = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), expanded to
   * {@code length} bytes as K1 | K2 | ..., Kn = prf(SKEYID_d, Kn-1 | [g^xy |] protocol | SPI | Ni_b
   * | Nr_b) (RFC 2409 section 5.5).
   */
  public static Secret quickModeKeymat(
      Prf prf,
      Secret skeyidD,
      Secret gxy,
      int protocol,
      byte[] spi,
      byte[] niB,
      byte[] nrB,
      int length) {
    byte[] g = gxy == null ? new byte[0] : gxy.bytes();
    byte[] seed =
        new ByteWriter(g.length + 1 + spi.length + niB.length + nrB.length)
            .bytes(g)
            .u8(protocol)
            .bytes(spi)
            .bytes(niB)
            .bytes(nrB)
            .toByteArray();
    ByteWriter out = new ByteWriter(length + prf.outputLength());
    byte[] k = new byte[0];
    while (out.position() < length) {
      k = prf.compute(skeyidD, k, seed);
      out.bytes(k);
    }
    byte[] all = out.toByteArray();
    Secret s = Secret.wrap(Arrays.copyOf(all, length));
    Arrays.fill(all, (byte) 0);
    Arrays.fill(seed, (byte) 0);
    Arrays.fill(g, (byte) 0);
    return s;
  }
}
