package dev.coati.radius;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusSignerTest {
  static final byte[] SECRET = "xyzzy5461".getBytes(StandardCharsets.US_ASCII);

  @Test
  void rfc2865_7_1_passwordHiding() throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(RadiusCodecTest.REQUEST_7_1);
    byte[] hidden = p.find(Radius.USER_PASSWORD).orElseThrow().value();
    byte[] plain = "arctangent".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(hidden, RadiusSigner.hidePassword(plain, SECRET, p.authenticator()));
    assertArrayEquals(plain, RadiusSigner.unhidePassword(hidden, SECRET, p.authenticator()));
  }

  @Test
  void rfc2865_7_1_responseAuthenticatorVerifies() throws RadiusException {
    RadiusPacket a =
        RadiusSigner.verifyResponse(
            RadiusCodecTest.ACCEPT_7_1, RadiusCodecTest.REQUEST_7_1, SECRET, false);
    assertEquals(Radius.ACCESS_ACCEPT, a.code());
    // no Message-Authenticator in the 1997 example
    assertThrows(
        RadiusException.class,
        () ->
            RadiusSigner.verifyResponse(
                RadiusCodecTest.ACCEPT_7_1, RadiusCodecTest.REQUEST_7_1, SECRET, true));
    byte[] bad = RadiusCodecTest.ACCEPT_7_1.clone();
    bad[bad.length - 1] ^= 1;
    assertThrows(
        RadiusException.class,
        () -> RadiusSigner.verifyResponse(bad, RadiusCodecTest.REQUEST_7_1, SECRET, false));
    assertThrows(
        RadiusException.class,
        () ->
            RadiusSigner.verifyResponse(
                RadiusCodecTest.ACCEPT_7_1,
                RadiusCodecTest.REQUEST_7_1,
                "other".getBytes(),
                false));
  }

  @Test
  void longPassword_hidesInSeveralBlocks() throws RadiusException {
    byte[] auth = new byte[16];
    Arrays.fill(auth, (byte) 7);
    for (int n : new int[] {0, 1, 15, 16, 17, 33, 128}) {
      byte[] pw = new byte[n];
      Arrays.fill(pw, (byte) 'x');
      byte[] h = RadiusSigner.hidePassword(pw, SECRET, auth);
      assertEquals(Math.max(16, (n + 15) / 16 * 16), h.length);
      assertArrayEquals(pw, RadiusSigner.unhidePassword(h, SECRET, auth));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> RadiusSigner.hidePassword(new byte[129], SECRET, auth));
  }

  @Test
  void accessRequest_hasMessageAuthenticator_andAServerAnswerVerifies() throws RadiusException {
    byte[] auth = new byte[16];
    Arrays.fill(auth, (byte) 3);
    RadiusPacket p =
        new RadiusPacket(
            Radius.ACCESS_REQUEST,
            42,
            auth,
            List.of(
                RadiusAttribute.text(Radius.USER_NAME, "nemo"),
                RadiusAttribute.text(Radius.USER_PASSWORD, "arctangent")));
    byte[] req = RadiusSigner.accessRequest(p, SECRET);
    RadiusPacket sent = RadiusCodec.decode(req);
    byte[] ma = sent.find(Radius.MESSAGE_AUTHENTICATOR).orElseThrow().value();
    byte[] zeroed = req.clone();
    Arrays.fill(zeroed, req.length - 16, req.length, (byte) 0);
    assertArrayEquals(RadiusSigner.hmacMd5(SECRET, zeroed), ma);
    assertArrayEquals(
        "arctangent".getBytes(),
        RadiusSigner.unhidePassword(
            sent.find(Radius.USER_PASSWORD).orElseThrow().value(), SECRET, auth));

    RadiusPacket accept = new RadiusPacket(Radius.ACCESS_ACCEPT, 42, new byte[16], List.of());
    byte[] resp = RadiusSigner.response(accept, auth, SECRET);
    assertEquals(Radius.ACCESS_ACCEPT, RadiusSigner.verifyResponse(resp, req, SECRET, true).code());
    // a tampered Message-Authenticator with a recomputed Response Authenticator is caught
    byte[] t = resp.clone();
    t[t.length - 1] ^= 1;
    System.arraycopy(req, 4, t, 4, 16);
    System.arraycopy(RadiusSigner.md5(t, SECRET), 0, t, 4, 16);
    RadiusException e =
        assertThrows(
            RadiusException.class, () -> RadiusSigner.verifyResponse(t, req, SECRET, true));
    assertEquals("wrong Message-Authenticator in the response", e.getMessage());
    // another identifier, or an accounting answer to an access request
    RadiusPacket other = new RadiusPacket(Radius.ACCESS_ACCEPT, 43, new byte[16], List.of());
    assertThrows(
        RadiusException.class,
        () ->
            RadiusSigner.verifyResponse(
                RadiusSigner.response(other, auth, SECRET), req, SECRET, true));
    RadiusPacket acct = new RadiusPacket(Radius.ACCOUNTING_RESPONSE, 42, new byte[16], List.of());
    assertThrows(
        RadiusException.class,
        () ->
            RadiusSigner.verifyResponse(
                RadiusSigner.response(acct, auth, SECRET), req, SECRET, true));
  }

  @Test
  void accountingRequest_authenticatorIsMd5OverZeroAuthAndSecret() throws RadiusException {
    RadiusPacket p =
        new RadiusPacket(
            Radius.ACCOUNTING_REQUEST,
            9,
            new byte[16],
            List.of(RadiusAttribute.integer(Radius.ACCT_STATUS_TYPE, Radius.ACCT_STATUS_START)));
    byte[] b = RadiusSigner.accountingRequest(p, SECRET);
    byte[] z = b.clone();
    Arrays.fill(z, 4, 20, (byte) 0);
    assertArrayEquals(RadiusSigner.md5(z, SECRET), Arrays.copyOfRange(b, 4, 20));
    byte[] zz = z.clone();
    Arrays.fill(zz, zz.length - 16, zz.length, (byte) 0);
    assertArrayEquals(
        RadiusSigner.hmacMd5(SECRET, zz), Arrays.copyOfRange(b, b.length - 16, b.length));
    RadiusPacket resp = new RadiusPacket(Radius.ACCOUNTING_RESPONSE, 9, new byte[16], List.of());
    byte[] r = RadiusSigner.response(resp, Arrays.copyOfRange(b, 4, 20), SECRET);
    assertEquals(
        Radius.ACCOUNTING_RESPONSE, RadiusSigner.verifyResponse(r, b, SECRET, true).code());
  }
}
