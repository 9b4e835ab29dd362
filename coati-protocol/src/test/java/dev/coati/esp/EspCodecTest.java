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
}
