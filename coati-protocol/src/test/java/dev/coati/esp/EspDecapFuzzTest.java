package dev.coati.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import java.util.Arrays;

/**
 * Jazzer target for the ESP decapsulation path with test SAs. The first byte picks the suite (AES
 * CBC + HMAC-SHA1-96, AES-256 CBC + HMAC-SHA2-256 with its 96/128-bit ICV detection, AES-GCM-16,
 * 3DES + HMAC-MD5) and the mode: either the rest is an ESP packet as received (mostly refused at
 * the ICV), or the rest is a sequence number and a plaintext (any padding and next header) that the
 * target seals with the SA's key, so the checks after the ICV see peer-chosen bytes. {@link
 * EspCodec#decapsulate} never throws; it returns an inner length within the packet or a drop code.
 */
class EspDecapFuzzTest {
  private static final EspCipher[] CIPHERS = {
    EspCipher.ESP_AES_CBC, EspCipher.ESP_AES_CBC, EspCipher.ESP_AES_GCM_16, EspCipher.ESP_3DES
  };
  private static final int[] BITS = {128, 256, 128, 192};
  private static final EspAuth[] AUTHS = {
    EspAuth.HMAC_SHA1_96, EspAuth.HMAC_SHA2_256_128, null, EspAuth.HMAC_MD5_96
  };

  @FuzzTest
  void decapsulate(byte[] input) {
    if (input.length < 1) {
      return;
    }
    int suite = input[0] & 3;
    EspSa[] sas = EspCodecTest.pair(CIPHERS[suite], BITS[suite], AUTHS[suite]);
    EspSa out = sas[0];
    EspSa in = sas[1];
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    boolean sealed = (input[0] & 4) != 0 && rest.length >= 4;
    byte[] packet = sealed ? seal(out, rest) : rest;
    byte[] inner = new byte[packet.length + 64];
    int[] nextHeader = {-1};
    int n = EspCodec.decapsulate(in, packet, 0, packet.length, inner, 0, nextHeader);
    assertTrue(n >= -EspCodec.Drop.values().length && n <= packet.length, "result " + n);
    if (n >= 0) {
      assertTrue(nextHeader[0] >= 0 && nextHeader[0] <= 255);
      if (sealed) {
        byte[] plain = Arrays.copyOfRange(rest, 4, rest.length);
        assertArrayEquals(Arrays.copyOf(plain, n), Arrays.copyOf(inner, n));
      }
    }
  }

  /** SPI, the given sequence number, a fixed IV, then {@code rest[4..]} sealed as is. */
  private static byte[] seal(EspSa sa, byte[] rest) {
    int ivLen = sa.cipher().ivLength();
    int block = Math.max(1, sa.cipher().aead() ? 1 : sa.cipher().blockSize());
    int plainLen = (rest.length - 4) / block * block;
    byte[] pkt = new byte[EspCodec.HEADER + ivLen + plainLen + sa.aead().icvLength() + 16];
    EspCodec.putInt(pkt, 0, sa.spi());
    System.arraycopy(rest, 0, pkt, 4, 4);
    byte[] iv = new byte[ivLen];
    Arrays.fill(iv, (byte) 0x5a);
    System.arraycopy(iv, 0, pkt, EspCodec.HEADER, ivLen);
    byte[] aad = Arrays.copyOf(pkt, EspCodec.HEADER);
    int at = EspCodec.HEADER + ivLen;
    System.arraycopy(rest, 4, pkt, at, plainLen);
    int n = sa.aead().seal(iv, aad, pkt, at, plainLen, pkt, at);
    return Arrays.copyOf(pkt, at + n);
  }
}
