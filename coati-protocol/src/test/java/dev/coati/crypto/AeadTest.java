package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.util.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AeadTest {
  /**
   * McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte
   * plaintext, 20-byte AAD), with its 12-byte IV split the RFC 4106 way: salt cafebabe from the
   * keymat, explicit IV facedbaddecaf888 in the packet.
   */
  @Test
  void gcm_mcgrewViegaTestCase4_asRfc4106() {
    Secret keymat = Secret.wrap(Hex.decode("feffe9928665731c6d6a8f9467308308" + "cafebabe"));
    Aead aead = Aead.create(EspCipher.ESP_AES_GCM_16, null, keymat);
    byte[] iv = Hex.decode("facedbaddecaf888");
    byte[] aad = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    byte[] plain =
        Hex.decode(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    byte[] expected =
        Hex.decode(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                + "5bc94fbc3221a5db94fae95ae7121a47");
    byte[] out = new byte[plain.length + 16];
    assertEquals(out.length, aead.seal(iv, aad, plain, 0, plain.length, out, 0));
    assertArrayEquals(expected, out);
    byte[] back = new byte[plain.length];
    assertEquals(plain.length, aead.open(iv, aad, out, 0, out.length, back, 0));
    assertArrayEquals(plain, back);
    out[3] ^= 1;
    assertEquals(-1, aead.open(iv, aad, out, 0, out.length, back, 0));
  }

  @ParameterizedTest
  @EnumSource(
      value = EspAuth.class,
      names = {
        "HMAC_MD5_96",
        "HMAC_SHA1_96",
        "HMAC_SHA2_256_128",
        "HMAC_SHA2_384_192",
        "HMAC_SHA2_512_256"
      })
  void cbcHmac_roundTrips_andRejectsTampering(EspAuth auth) {
    byte[] km = new byte[32 + auth.keyLength()];
    Arrays.fill(km, (byte) 7);
    Aead aead = Aead.create(EspCipher.ESP_AES_CBC, auth, Secret.wrap(km));
    assertEquals(auth.icvLength(), aead.icvLength());
    byte[] iv = new byte[16];
    byte[] aad = Hex.decode("0000100100000001");
    byte[] plain = new byte[64];
    byte[] out = new byte[64 + auth.icvLength()];
    assertEquals(out.length, aead.seal(iv, aad, plain, 0, 64, out, 0));
    byte[] back = new byte[64];
    assertEquals(64, aead.open(iv, aad, out, 0, out.length, back, 0));
    assertArrayEquals(plain, back);
    for (int i : new int[] {0, 40, out.length - 1}) {
      byte[] bad = out.clone();
      bad[i] ^= 0x10;
      assertEquals(-1, aead.open(iv, aad, bad, 0, bad.length, back, 0), "flip at " + i);
    }
    byte[] otherAad = Hex.decode("0000100100000002");
    assertEquals(-1, aead.open(iv, otherAad, out, 0, out.length, back, 0), "sequence in AAD");
  }
}
