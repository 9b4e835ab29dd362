package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 1994 §4.1: MD5(identifier ‖ secret ‖ challenge). */
class ChapMd5Test {
  static final byte[] SECRET = "secret".getBytes(StandardCharsets.US_ASCII);
  static final byte[] CHALLENGE = Hex.decode("0123456789abcdef0123456789abcdef");

  @Test
  void response_knownAnswer() {
    // computed independently: python3 hashlib.md5(b'\x01' + b'secret' + challenge)
    assertEquals(
        "6c2da888fed7077ca3a793cec7b2a5eb", Hex.encode(ChapMd5.response(1, SECRET, CHALLENGE)));
  }

  @Test
  void verify_dependsOnIdentifierSecretAndChallenge() {
    byte[] r = ChapMd5.response(1, SECRET, CHALLENGE);
    assertTrue(ChapMd5.verify(1, SECRET, CHALLENGE, r));
    assertFalse(ChapMd5.verify(2, SECRET, CHALLENGE, r));
    assertFalse(ChapMd5.verify(1, "Secret".getBytes(StandardCharsets.US_ASCII), CHALLENGE, r));
    byte[] c2 = CHALLENGE.clone();
    c2[15] ^= 1;
    assertFalse(ChapMd5.verify(1, SECRET, c2, r));
    assertFalse(ChapMd5.verify(1, SECRET, CHALLENGE, new byte[15]));
  }
}
