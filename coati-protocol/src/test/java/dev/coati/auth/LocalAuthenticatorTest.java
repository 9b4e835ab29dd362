package dev.coati.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.ChapMd5;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LocalAuthenticatorTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // RFC 2759 §9.2: user "User", password "clientPass"
  static final byte[] AUTH_CHALLENGE = Hex.decode("5B5D7C7D7B3F2F3E3C2C602132262628");
  static final byte[] PEER_CHALLENGE = Hex.decode("21402324255E262A28295F2B3A337C7E");
  static final byte[] NT_RESPONSE = Hex.decode("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  static final String S = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

  static final String HASH =
      PasswordHash.hash(b("clientPass"), RandomSource.deterministic(9), 1000);
  static final String NT = Hex.encode(NtHash.of(b("clientPass")));

  final LocalAuthenticator auth;

  LocalAuthenticatorTest() throws Exception {
    auth =
        new LocalAuthenticator(
            LocalUsers.parse(
                "users.txt",
                String.join(
                    "\n",
                    "User:" + HASH + ":" + NT + ":address=10.99.99.50,max_sessions=1",
                    "hashonly:" + HASH,
                    "ntonly::" + NT,
                    "plain:{plain}clientPass")));
  }

  AuthResult run(AuthRequest r) {
    return auth.authenticate(r).toCompletableFuture().join();
  }

  @Test
  void unknownUserCostsThePbkdf2OfAKnownOne() {
    long before = PasswordHash.derivations();
    assertFalse(run(new AuthRequest.Plain("User", b("wrong"))).success());
    long known = PasswordHash.derivations() - before;
    before = PasswordHash.derivations();
    AuthResult unknown = run(new AuthRequest.Plain("nobody", b("wrong")));
    assertFalse(unknown.success());
    assertEquals(1, known, "one PBKDF2 for a known user");
    assertEquals(known, PasswordHash.derivations() - before, "and the same for an unknown one");
  }

  @Test
  void plain_verifiesTheSaltedHash_andCarriesTheAttributes() {
    AuthResult r = run(new AuthRequest.Plain("User", b("clientPass")));
    assertTrue(r.success(), r.reason());
    assertEquals(Optional.of(Ipv4Address.parse("10.99.99.50")), r.staticAddress());
    assertEquals(OptionalInt.of(1), r.maxSessions());
    AuthResult bad = run(new AuthRequest.Plain("User", b("clientPasS")));
    assertFalse(bad.success());
    assertEquals("wrong password", bad.reason());
  }

  @Test
  void plain_fromWire_stripsExactlyOneTrailingNul() {
    assertTrue(run(AuthRequest.Plain.fromWire(b("User\0"), b("clientPass\0"))).success());
    assertTrue(run(AuthRequest.Plain.fromWire(b("User"), b("clientPass"))).success());
    // exact comparison (plain text, NT hash) shows that only one NUL goes; PBKDF2 cannot show
    // it, since HMAC pads its key with zeros (see PasswordHash)
    assertFalse(run(AuthRequest.Plain.fromWire(b("plain"), b("clientPass\0\0"))).success());
    assertFalse(run(AuthRequest.Plain.fromWire(b("ntonly"), b("clientPass\0\0"))).success());
    assertTrue(run(AuthRequest.Plain.fromWire(b("ntonly"), b("clientPass\0"))).success());
  }

  @Test
  void plain_againstNtHashOrPlainText() {
    assertTrue(run(new AuthRequest.Plain("ntonly", b("clientPass"))).success());
    assertFalse(run(new AuthRequest.Plain("ntonly", b("clientpass"))).success());
    assertTrue(run(new AuthRequest.Plain("plain", b("clientPass"))).success());
    assertFalse(run(new AuthRequest.Plain("plain", b("clientPas"))).success());
  }

  @Test
  void unknownUser_andCaseSensitiveNames() {
    AuthResult r = run(new AuthRequest.Plain("user", b("clientPass")));
    assertFalse(r.success());
    assertEquals("unknown user", r.reason());
  }

  @Test
  void msChapV2_rfc2759Vector_fromNtHash_withDomainPrefix() {
    for (String name : new String[] {"User", "CORP\\User"}) {
      AuthResult r =
          run(new AuthRequest.MsChapV2(name, AUTH_CHALLENGE, PEER_CHALLENGE, NT_RESPONSE));
      assertTrue(r.success(), r.reason());
      assertEquals(Optional.of(S), r.authenticatorResponse());
    }
    byte[] bad = NT_RESPONSE.clone();
    bad[23] ^= 1;
    AuthResult f = run(new AuthRequest.MsChapV2("User", AUTH_CHALLENGE, PEER_CHALLENGE, bad));
    assertFalse(f.success());
    assertEquals(691, f.errorCode());
    assertTrue(f.authenticatorResponse().isEmpty());
  }

  @Test
  void msChapV2_fromPlainText_butNotFromTheSaltedHashAlone() {
    // the NT-Response is bound to the user name, so compute it for "plain" and "hashonly"
    for (String user : new String[] {"plain", "hashonly"}) {
      byte[] resp =
          dev.coati.crypto.MsChapV2.generateNtResponse(
              AUTH_CHALLENGE, PEER_CHALLENGE, b(user), NtHash.of(b("clientPass")));
      AuthResult r = run(new AuthRequest.MsChapV2(user, AUTH_CHALLENGE, PEER_CHALLENGE, resp));
      assertEquals(user.equals("plain"), r.success(), r.reason());
      if (!r.success()) {
        assertEquals(691, r.errorCode());
        assertTrue(r.reason().contains("needs the NT hash"), r.reason());
        assertTrue(r.reason().contains("coati user passwd hashonly"), r.reason());
      }
    }
  }

  @Test
  void chapMd5_needsThePlainText() {
    byte[] challenge = Hex.decode("00112233445566778899aabbccddeeff");
    byte[] resp = ChapMd5.response(7, b("clientPass"), challenge);
    assertTrue(run(new AuthRequest.ChapMd5("plain", 7, challenge, resp)).success());
    assertFalse(run(new AuthRequest.ChapMd5("plain", 8, challenge, resp)).success());
    AuthResult r = run(new AuthRequest.ChapMd5("User", 7, challenge, resp));
    assertFalse(r.success());
    assertTrue(r.reason().startsWith("CHAP-MD5 needs the plain-text password"), r.reason());
  }

  @Test
  void reasonsAndToString_neverContainThePassword() {
    AuthRequest.Plain p = new AuthRequest.Plain("User", b("hunter2"));
    assertFalse(p.toString().contains("hunter2"));
    assertFalse(run(p).toString().contains("hunter2"));
  }
}
