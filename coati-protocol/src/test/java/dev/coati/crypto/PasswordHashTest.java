package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 7914 §11: PBKDF2-HMAC-SHA256 test vectors. */
  @Test
  void pbkdf2_rfc7914Vectors() {
    assertEquals(
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
        Hex.encode(PasswordHash.pbkdf2(b("passwd"), b("salt"), 1, 64)));
    assertEquals(
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
        Hex.encode(PasswordHash.pbkdf2(b("Password"), b("NaCl"), 80000, 64)));
  }

  @Test
  void pbkdf2_agreesWithTheJce() throws Exception {
    byte[] salt = Hex.decode("000102030405060708090a0b0c0d0e0f");
    byte[] jce =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec("pässword".toCharArray(), salt, 1234, 256))
            .getEncoded();
    assertEquals(Hex.encode(jce), Hex.encode(PasswordHash.pbkdf2(b("pässword"), salt, 1234, 32)));
  }

  @Test
  void hash_roundTrip_saltedAndSelfDescribing() {
    RandomSource r = RandomSource.deterministic(1);
    String h1 = PasswordHash.hash(b("correct horse"), r, 1000);
    String h2 = PasswordHash.hash(b("correct horse"), r, 1000);
    assertNotEquals(h1, h2, "fresh salt each time");
    assertTrue(h1.matches("\\$pbkdf2-sha256\\$i=1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), h1);
    PasswordHash p = PasswordHash.parse(h1);
    assertEquals(1000, p.iterations());
    assertEquals(h1, p.encode());
    assertTrue(p.matches(b("correct horse")));
    assertFalse(p.matches(b("correct horsf")));
    assertFalse(p.matches(b("")));
    assertFalse(p.toString().contains(h1.substring(25)));
  }

  @Test
  void defaultIterations_isStoredInTheHash() {
    String h = PasswordHash.hash(b("pw"), RandomSource.deterministic(2));
    assertTrue(h.startsWith("$pbkdf2-sha256$i=600000$"), h);
    assertTrue(PasswordHash.parse(h).matches(b("pw")));
  }

  @Test
  void parse_refusesMalformedHashes_withoutEchoingThem() {
    String good = PasswordHash.hash(b("pw"), RandomSource.deterministic(3), 1000);
    for (String bad :
        new String[] {
          "$pbkdf2-sha1$i=1000$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
          good.replace("i=1000", "i=ten"),
          good.replace("i=1000", "i=10"),
          good.replace("i=1000$", "1000$"),
          good.substring(0, good.lastIndexOf('$')),
          good.substring(0, good.lastIndexOf('$') + 4),
          good.replace('A', '*').replace('B', '*').replace('C', '*') + "*",
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad), bad);
      assertFalse(e.getMessage().contains(good.substring(24, 34)), e.getMessage());
    }
  }
}
