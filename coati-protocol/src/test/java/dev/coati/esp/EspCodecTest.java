package dev.coati.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.util.RandomSource;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EspCodecTest {
  static EspSa[] pair(EspCipher c, int keyBits, EspAuth a) {
    int len = keyBits / 8 + c.saltLength() + (a == null ? 0 : a.keyLength());
    byte[] km = RandomSource.deterministic(keyBits).bytes(len);
    return new EspSa[] {
      new EspSa(0x1234, false, c, a, Secret.copyOf(km), 0, 3600, 0),
      new EspSa(0x1234, true, c, a, Secret.copyOf(km), 0, 3600, 0)
    };
  }

  static EspAuth auth(String s) {
    return s.equals("-") ? null : EspAuth.valueOf(s);
  }

  @ParameterizedTest
  @CsvSource({
    "ESP_AES_CBC,128,HMAC_SHA1_96",
    "ESP_AES_CBC,256,HMAC_SHA2_256_128",
    "ESP_AES_CBC,256,HMAC_SHA2_512_256",
    "ESP_3DES,192,HMAC_MD5_96",
    "ESP_AES_GCM_16,128,-",
    "ESP_AES_GCM_8,256,-"
  })
  void roundTrip_everySize_replayAndTamperDropped(String cipher, int bits, String a) {
    EspSa[] sas = pair(EspCipher.valueOf(cipher), bits, auth(a));
    RandomSource rnd = RandomSource.deterministic(3);
    byte[] out = new byte[2000];
    byte[] back = new byte[2000];
    int[] nh = new int[1];
    for (int size : new int[] {0, 1, 20, 63, 64, 1400}) {
      byte[] inner = rnd.bytes(size);
      int n = EspCodec.encapsulate(sas[0], rnd, inner, 0, size, 4, out, 0);
      assertTrue(n > size, "ESP adds overhead");
      assertTrue(n <= size + EspCodec.maxOverhead(sas[0]));
      assertEquals(0x1234, EspCodec.spi(out, 0));
      int m = EspCodec.decapsulate(sas[1], out, 0, n, back, 0, nh);
      assertEquals(size, m);
      assertEquals(4, nh[0]);
      assertArrayEquals(inner, Arrays.copyOf(back, m));
      assertEquals(
          EspCodec.Drop.REPLAY.code(), EspCodec.decapsulate(sas[1], out, 0, n, back, 0, nh));
    }
    int n = EspCodec.encapsulate(sas[0], rnd, new byte[40], 0, 40, 17, out, 0);
    for (int at : new int[] {4, 12, n - 1}) {
      byte[] bad = out.clone();
      bad[at] ^= 1;
      int r = EspCodec.decapsulate(sas[1], bad, 0, n, back, 0, nh);
      assertTrue(
          r == EspCodec.Drop.AUTH_FAILED.code() || r == EspCodec.Drop.REPLAY.code(),
          "flip at " + at + ": " + r);
    }
    assertEquals(
        40, EspCodec.decapsulate(sas[1], out, 0, n, back, 0, nh), "the original still passes");
    assertEquals(17, nh[0]);
    assertEquals(
        EspCodec.Drop.TOO_SHORT.code(), EspCodec.decapsulate(sas[1], out, 0, 9, back, 0, nh));
  }

  @ParameterizedTest
  @CsvSource({"100,1000,OK", "3300,1000,SOFT", "3600,1000,HARD"})
  void lifetimes_softAt90Percent(long seconds, long bytes, String want) {
    EspSa sa = pair(EspCipher.ESP_AES_CBC, 128, EspAuth.HMAC_SHA1_96)[0];
    assertEquals(EspSa.Lifetime.valueOf(want), sa.lifetime(seconds * 1000));
  }

  /** Old Android/Linux peers truncate HMAC-SHA2-256 to 96 bits under the same auth id 5. */
  @ParameterizedTest
  @CsvSource({"HMAC_SHA2_256_96,12", "HMAC_SHA2_256_128,16"})
  void sha256IcvLength_detectedOnTheFirstValidPacket_andUsedOutbound(String peerAuth, int icv) {
    byte[] kmIn = RandomSource.deterministic(7).bytes(16 + 32);
    byte[] kmOut = RandomSource.deterministic(8).bytes(16 + 32);
    EspAuth negotiated = EspAuth.HMAC_SHA2_256_128;
    EspSa ourIn =
        new EspSa(1, true, EspCipher.ESP_AES_CBC, negotiated, Secret.copyOf(kmIn), 0, 0, 0);
    EspSa ourOut =
        new EspSa(2, false, EspCipher.ESP_AES_CBC, negotiated, Secret.copyOf(kmOut), 0, 0, 0);
    EspSa.link(ourIn, ourOut);
    EspAuth theirs = EspAuth.valueOf(peerAuth);
    EspSa peerOut =
        new EspSa(1, false, EspCipher.ESP_AES_CBC, theirs, Secret.copyOf(kmIn), 0, 0, 0);
    EspSa peerIn = new EspSa(2, true, EspCipher.ESP_AES_CBC, theirs, Secret.copyOf(kmOut), 0, 0, 0);
    RandomSource rnd = RandomSource.deterministic(9);
    byte[] pkt = new byte[200];
    byte[] back = new byte[200];
    int[] nh = new int[1];
    assertEquals(16, ourOut.icvLength(), "before any traffic: the negotiated 128 bits");
    byte[] forged = new byte[100];
    forged[7] = 7; // sequence number 7
    assertEquals(
        EspCodec.Drop.AUTH_FAILED.code(),
        EspCodec.decapsulate(ourIn, forged, 0, forged.length, back, 0, nh),
        "a forgery fixes nothing");
    assertEquals(16, ourOut.icvLength());
    int n = EspCodec.encapsulate(peerOut, rnd, new byte[50], 0, 50, 4, pkt, 0);
    assertEquals(50, EspCodec.decapsulate(ourIn, pkt, 0, n, back, 0, nh));
    assertEquals(icv, ourIn.icvLength());
    assertEquals(icv, ourOut.icvLength(), "our outbound follows what the peer uses");
    int m = EspCodec.encapsulate(ourOut, rnd, new byte[70], 0, 70, 4, pkt, 0);
    assertEquals(70, EspCodec.decapsulate(peerIn, pkt, 0, m, back, 0, nh), "the peer reads ours");
    EspSa other =
        icv == 12
            ? new EspSa(1, false, EspCipher.ESP_AES_CBC, negotiated, Secret.copyOf(kmIn), 0, 0, 0)
            : null;
    if (other != null) {
      EspCodec.encapsulate(other, rnd, new byte[10], 0, 10, 4, pkt, 0); // seq 1: seen already
      int k = EspCodec.encapsulate(other, rnd, new byte[10], 0, 10, 4, pkt, 0);
      assertEquals(
          EspCodec.Drop.AUTH_FAILED.code(),
          EspCodec.decapsulate(ourIn, pkt, 0, k, back, 0, nh),
          "once fixed at 96 bits, 128-bit packets no longer verify");
    }
  }

  @org.junit.jupiter.api.Test
  void encapsulate_inPlace_equalsCopying() {
    EspSa[] a = pair(EspCipher.ESP_AES_GCM_16, 128, null);
    EspSa[] b = pair(EspCipher.ESP_AES_GCM_16, 128, null);
    byte[] inner = RandomSource.deterministic(4).bytes(300);
    byte[] copied = new byte[400];
    int n = EspCodec.encapsulate(a[0], null, inner, 0, 300, 4, copied, 0);
    byte[] inPlace = new byte[400];
    System.arraycopy(inner, 0, inPlace, EspCodec.payloadOffset(b[0]), 300);
    int m =
        EspCodec.encapsulate(b[0], null, inPlace, EspCodec.payloadOffset(b[0]), 300, 4, inPlace, 0);
    assertEquals(n, m);
    assertArrayEquals(Arrays.copyOf(copied, n), Arrays.copyOf(inPlace, m));
  }

  @org.junit.jupiter.api.Test
  void volume_softAt90Percent_hardAtTheLimit() {
    byte[] km = RandomSource.deterministic(1).bytes(16 + 20);
    EspSa sa =
        new EspSa(
            9, false, EspCipher.ESP_AES_CBC, EspAuth.HMAC_SHA1_96, Secret.copyOf(km), 0, 0, 2);
    RandomSource rnd = RandomSource.deterministic(2);
    byte[] out = new byte[2000];
    EspCodec.encapsulate(sa, rnd, new byte[1800], 0, 1800, 4, out, 0);
    assertEquals(EspSa.Lifetime.OK, sa.volume());
    EspCodec.encapsulate(sa, rnd, new byte[100], 0, 100, 4, out, 0);
    assertEquals(EspSa.Lifetime.SOFT, sa.volume(), "1900 of 2048 bytes");
    EspCodec.encapsulate(sa, rnd, new byte[148], 0, 148, 4, out, 0);
    assertEquals(EspSa.Lifetime.HARD, sa.volume());
    assertEquals(EspSa.Lifetime.HARD, sa.lifetime(0));
  }
}
