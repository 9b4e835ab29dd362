package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashAndCipherKnownAnswerTest {
  static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
  static final byte[] WANT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

  @Test
  void hmac_rfc2202_and_rfc4231_testCase2() {
    // RFC 2202 sections 2 and 3, test case 2
    assertArrayEquals(
        Hex.decode("750c783e6ab0b503eaa86e310a5db738"), HashAlg.MD5.prf().compute(JEFE, WANT));
    assertArrayEquals(
        Hex.decode("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        HashAlg.SHA1.prf().compute(JEFE, WANT));
    // RFC 4231 section 4.3, test case 2
    assertArrayEquals(
        Hex.decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HashAlg.SHA2_256.prf().compute(JEFE, WANT));
    assertArrayEquals(
        Hex.decode(
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                + "8e2240ca5e69e2c78b3239ecfab21649"),
        HashAlg.SHA2_384.prf().compute(JEFE, WANT));
    assertArrayEquals(
        Hex.decode(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        HashAlg.SHA2_512.prf().compute(JEFE, WANT));
  }

  @Test
  void hmac_rfc4231_testCase6_keyLongerThanTheBlock() {
    // RFC 4231 section 4.7: a 131-byte key is hashed first; checks the 128-byte block of
    // HMAC-SHA-384/512 against the 64-byte block of SHA-256
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    byte[] data =
        "Test Using Larger Than Block-Size Key - Hash Key First"
            .getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(
        Hex.decode("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HashAlg.SHA2_256.prf().compute(key, data));
    assertArrayEquals(
        Hex.decode(
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
                + "0c2ef6ab4030fe8296248df163f44952"),
        HashAlg.SHA2_384.prf().compute(key, data));
    assertArrayEquals(
        Hex.decode(
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        HashAlg.SHA2_512.prf().compute(key, data));
    assertEquals(128, HashAlg.SHA2_384.blockSize());
  }

  @Test
  void aesCbc_rfc3602_cases1and2() {
    // RFC 3602 section 4, case #1
    CbcCipher c1 =
        IkeCipher.AES_CBC.create(Secret.wrap(Hex.decode("06a9214036b8a15b512e03d534120006")));
    byte[] iv1 = Hex.decode("3dafba429d9eb430b422da802c9fac41");
    byte[] p1 = "Single block msg".getBytes(StandardCharsets.US_ASCII);
    byte[] ct1 = Hex.decode("e353779c1079aeb82708942dbe77181a");
    assertArrayEquals(ct1, c1.encrypt(iv1, p1));
    assertArrayEquals(p1, c1.decrypt(iv1, ct1));
    // case #2
    CbcCipher c2 =
        IkeCipher.AES_CBC.create(Secret.wrap(Hex.decode("c286696d887c9aa0611bbb3e2025a45a")));
    byte[] iv2 = Hex.decode("562e17996d093d28ddb3ba695a2e6f58");
    byte[] p2 = Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assertArrayEquals(
        Hex.decode("d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"),
        c2.encrypt(iv2, p2));
  }

  @Test
  void cbc_rejectsPartialBlocks_and3desRoundTrips() {
    CbcCipher aes = IkeCipher.AES_CBC.create(Secret.wrap(new byte[16]));
    assertThrows(CryptoException.class, () -> aes.encrypt(new byte[16], new byte[15]));
    CbcCipher des3 =
        IkeCipher.TDES_CBC.create(
            Secret.wrap(Hex.decode("0123456789abcdef23456789abcdef01456789abcdef0123")));
    byte[] p = "8 bytes!16 bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] iv = new byte[8];
    byte[] ct = des3.encrypt(iv, p);
    assertEquals(16, ct.length);
    assertArrayEquals(p, des3.decrypt(iv, ct));
  }

  @Test
  void secret_destroyZeroesAndRefusesUse() {
    byte[] raw = {1, 2, 3};
    Secret s = Secret.wrap(raw);
    assertEquals("Secret[3 bytes]", s.toString());
    s.destroy();
    assertArrayEquals(new byte[3], raw, "the wrapped array is zeroed");
    assertThrows(IllegalStateException.class, s::bytes);
    assertThrows(IllegalStateException.class, s::length);
    assertEquals("Secret[destroyed]", s.toString());
  }
}
