package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.crypto.HashAlg;
import dev.coati.crypto.Prf;
import dev.coati.crypto.Secret;
import dev.coati.util.Hex;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Keymat against the RFC 2409 formulas recomputed here with plain javax.crypto (an implementation
 * written independently of {@link Keymat}); strongSwan's logged values are checked in
 * StrongSwanCaptureTest.
 */
class KeymatTest {
  static final byte[] NI = Hex.decode("0001020304050607080910111213141516171819");
  static final byte[] NR = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  static final byte[] GXY = Hex.decode("5566778899aabbccddeeff00112233445566778899");
  static final long CKY_I = 0x0102030405060708L;
  static final long CKY_R = 0x1112131415161718L;

  static byte[] hmac(String alg, byte[] key, byte[]... parts) throws Exception {
    Mac m = Mac.getInstance(alg);
    m.init(new SecretKeySpec(key, alg));
    for (byte[] p : parts) {
      m.update(p);
    }
    return m.doFinal();
  }

  static byte[] cat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  @Test
  void skeyids_forSignatureAuth_matchTheFormulas() throws Exception {
    Prf prf = HashAlg.SHA1.prf();
    Secret skeyid = Keymat.skeyidSig(prf, NI, NR, Secret.copyOf(GXY));
    byte[] want = hmac("HmacSHA1", cat(NI, NR), GXY);
    assertArrayEquals(want, skeyid.bytes());
    byte[] ci = Hex.decode("0102030405060708");
    byte[] cr = Hex.decode("1112131415161718");
    Secret d = Keymat.skeyidD(prf, skeyid, Secret.copyOf(GXY), CKY_I, CKY_R);
    byte[] wantD = hmac("HmacSHA1", want, GXY, ci, cr, new byte[] {0});
    assertArrayEquals(wantD, d.bytes());
    Secret a = Keymat.skeyidA(prf, skeyid, d, Secret.copyOf(GXY), CKY_I, CKY_R);
    byte[] wantA = hmac("HmacSHA1", want, wantD, GXY, ci, cr, new byte[] {1});
    assertArrayEquals(wantA, a.bytes());
    Secret e = Keymat.skeyidE(prf, skeyid, a, Secret.copyOf(GXY), CKY_I, CKY_R);
    assertArrayEquals(hmac("HmacSHA1", want, wantA, GXY, ci, cr, new byte[] {2}), e.bytes());
  }

  @Test
  void appendixB_expandsShortPrfOutput() throws Exception {
    // AES-256 (32 bytes) from HMAC-SHA1 (20 bytes): Ka = K1 | K2, K1 = prf(e, 0), K2 = prf(e, K1)
    byte[] e = Hex.decode("00112233445566778899aabbccddeeff00112233");
    byte[] k1 = hmac("HmacSHA1", e, new byte[] {0});
    byte[] k2 = hmac("HmacSHA1", e, k1);
    byte[] want = Arrays.copyOf(cat(k1, k2), 32);
    assertArrayEquals(want, Keymat.encryptionKey(HashAlg.SHA1.prf(), Secret.copyOf(e), 32).bytes());
    // long enough: the first bytes of SKEYID_e, no expansion
    assertArrayEquals(
        Arrays.copyOf(e, 16),
        Keymat.encryptionKey(HashAlg.SHA1.prf(), Secret.copyOf(e), 16).bytes());
  }

  @Test
  void ivs_areTruncatedHashes() throws Exception {
    byte[] gxi = Hex.decode("aaaa");
    byte[] gxr = Hex.decode("bbbb");
    byte[] h = MessageDigest.getInstance("SHA-256").digest(cat(gxi, gxr));
    assertArrayEquals(Arrays.copyOf(h, 16), Keymat.phase1Iv(HashAlg.SHA2_256, gxi, gxr, 16));
    byte[] last = Hex.decode("0102030405060708");
    byte[] h2 = MessageDigest.getInstance("MD5").digest(cat(last, Hex.decode("deadbeef")));
    assertArrayEquals(Arrays.copyOf(h2, 8), Keymat.phase2Iv(HashAlg.MD5, last, 0xdeadbeef, 8));
  }

  @Test
  void quickModeHashesAndKeymat_withAndWithoutPfs() throws Exception {
    Prf prf = HashAlg.SHA2_256.prf();
    byte[] a = Hex.decode("6162636465666768");
    byte[] mid = Hex.decode("01020304");
    byte[] rest = Hex.decode("cafe");
    assertArrayEquals(
        hmac("HmacSHA256", a, mid, rest),
        Keymat.quickModeHash1(prf, Secret.copyOf(a), 0x01020304, rest));
    assertArrayEquals(
        hmac("HmacSHA256", a, mid, NI, rest),
        Keymat.quickModeHash2(prf, Secret.copyOf(a), 0x01020304, NI, rest));
    assertArrayEquals(
        hmac("HmacSHA256", a, new byte[] {0}, mid, NI, NR),
        Keymat.quickModeHash3(prf, Secret.copyOf(a), 0x01020304, NI, NR));
    assertArrayEquals(
        hmac("HmacSHA256", a, mid, rest),
        Keymat.informationalHash(prf, Secret.copyOf(a), 0x01020304, rest));

    byte[] d = Hex.decode("d0d1d2d3d4d5d6d7");
    byte[] spi = Hex.decode("c0ffee01");
    // without PFS: K1 = prf(d, 3 | SPI | Ni | Nr), K2 = prf(d, K1 | 3 | SPI | Ni | Nr)
    byte[] seed = cat(new byte[] {3}, spi, NI, NR);
    byte[] k1 = hmac("HmacSHA256", d, seed);
    byte[] k2 = hmac("HmacSHA256", d, k1, seed);
    assertArrayEquals(
        Arrays.copyOf(cat(k1, k2), 52),
        Keymat.quickModeKeymat(prf, Secret.copyOf(d), null, 3, spi, NI, NR, 52).bytes());
    // with PFS: g(qm)^xy comes first
    byte[] pfsSeed = cat(GXY, new byte[] {3}, spi, NI, NR);
    byte[] p1 = hmac("HmacSHA256", d, pfsSeed);
    byte[] km =
        Keymat.quickModeKeymat(prf, Secret.copyOf(d), Secret.copyOf(GXY), 3, spi, NI, NR, 20)
            .bytes();
    assertArrayEquals(Arrays.copyOf(p1, 20), km);
    assertEquals(20, km.length);
  }
}
