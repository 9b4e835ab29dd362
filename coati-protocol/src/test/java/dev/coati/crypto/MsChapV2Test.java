package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 2759 §9.2, "Hash Example", step by step, and the verification built on it. */
class MsChapV2Test {
  static final byte[] USER = "User".getBytes(StandardCharsets.US_ASCII);
  static final byte[] PASSWORD = "clientPass".getBytes(StandardCharsets.US_ASCII);
  static final byte[] AUTH_CHALLENGE = Hex.decode("5B5D7C7D7B3F2F3E3C2C602132262628");
  static final byte[] PEER_CHALLENGE = Hex.decode("21402324255E262A28295F2B3A337C7E");
  static final byte[] CHALLENGE = Hex.decode("D02E4386BCE91226");
  static final byte[] NT_HASH = Hex.decode("44EBBA8D5312B8D611474411F56989AE");
  static final byte[] NT_RESPONSE = Hex.decode("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  static final byte[] HASH_HASH = Hex.decode("41C00C584BD2D91C4017A2A12FA59F3F");
  static final String AUTH_RESPONSE = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

  @Test
  void challengeHash() {
    assertArrayEquals(CHALLENGE, MsChapV2.challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, USER));
  }

  @Test
  void ntPasswordHash_andHashHash() {
    assertArrayEquals(NT_HASH, MsChapV2.ntPasswordHash(PASSWORD));
    assertArrayEquals(HASH_HASH, MsChapV2.hashNtPasswordHash(NT_HASH));
  }

  @Test
  void challengeResponse_andGenerateNtResponse() {
    assertArrayEquals(NT_RESPONSE, MsChapV2.challengeResponse(CHALLENGE, NT_HASH));
    assertArrayEquals(
        NT_RESPONSE, MsChapV2.generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, USER, NT_HASH));
  }

  @Test
  void generateAuthenticatorResponse() {
    assertEquals(
        AUTH_RESPONSE,
        MsChapV2.generateAuthenticatorResponse(
            NT_HASH, NT_RESPONSE, PEER_CHALLENGE, AUTH_CHALLENGE, USER));
  }

  @Test
  void verify_acceptsTheRfcResponse_andRejectsAnyFlippedBit() {
    assertEquals(
        AUTH_RESPONSE, MsChapV2.verify(AUTH_CHALLENGE, PEER_CHALLENGE, USER, NT_RESPONSE, NT_HASH));
    for (int bit = 0; bit < NT_RESPONSE.length * 8; bit += 7) {
      byte[] bad = NT_RESPONSE.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertNull(MsChapV2.verify(AUTH_CHALLENGE, PEER_CHALLENGE, USER, bad, NT_HASH));
    }
    byte[] otherUser = "user".getBytes(StandardCharsets.US_ASCII);
    assertNull(MsChapV2.verify(AUTH_CHALLENGE, PEER_CHALLENGE, otherUser, NT_RESPONSE, NT_HASH));
  }

  @Test
  void desKey_spreads56BitsOver8Bytes() {
    assertEquals("fefefefefefefefe", Hex.encode(MsChapV2.desKey(Hex.decode("ffffffffffffff"), 0)));
    assertEquals("8000000000000000", Hex.encode(MsChapV2.desKey(Hex.decode("80000000000000"), 0)));
    assertEquals("0000000000000002", Hex.encode(MsChapV2.desKey(Hex.decode("00000000000001"), 0)));
    assertEquals("0080800000000000", Hex.encode(MsChapV2.desKey(Hex.decode("01020000000000"), 0)));
  }

  @Test
  void ntHash_ofUnicodePassword_usesUtf16Le() {
    // "ü" is U+00FC: UTF-16LE FC 00; MD4(FC 00) differs from MD4 of the UTF-8 bytes C3 BC
    byte[] utf8 = "\u00fc".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(Md4.digest(new byte[] {(byte) 0xfc, 0}), NtHash.of(utf8));
  }
}
