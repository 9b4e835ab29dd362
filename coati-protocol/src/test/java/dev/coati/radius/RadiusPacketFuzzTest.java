package dev.coati.radius;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.auth.AuthRequest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target: a RADIUS datagram as the client reads an answer: decoded (attributes and
 * Vendor-Specific sub-attributes), checked against a request we sent, and mapped to an auth result
 * for a PAP and an MS-CHAPv2 request (Framed-IP-Address, timeouts, MS-CHAP2-Success, MS-CHAP-Error,
 * Reply-Message). Only {@link RadiusException} may escape the decoder and the verifier; the mapping
 * never throws.
 */
class RadiusPacketFuzzTest {
  private static final byte[] SECRET = "fuzz-radius-secret".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REQUEST = new byte[20];
  private static final AuthRequest PAP =
      new AuthRequest.Plain("alice", "pw".getBytes(StandardCharsets.US_ASCII));
  private static final AuthRequest MSCHAPV2 =
      new AuthRequest.MsChapV2("alice", new byte[16], new byte[16], new byte[24]);

  static {
    REQUEST[0] = (byte) Radius.ACCESS_REQUEST;
    REQUEST[3] = 20;
  }

  @FuzzTest
  void decode(byte[] datagram) {
    RadiusPacket p;
    try {
      p = RadiusCodec.decode(datagram);
    } catch (RadiusException expected) {
      return;
    }
    for (RadiusAttribute a : p.attributes()) {
      a.text();
      try {
        a.integer();
      } catch (RadiusException expected) {
        // not 4 bytes
      }
      try {
        a.address();
      } catch (RadiusException expected) {
        // not 4 bytes
      }
    }
    RadiusAuthMapping.result(PAP, p, "fuzz");
    RadiusAuthMapping.result(MSCHAPV2, p, "fuzz");
    try {
      REQUEST[1] = (byte) p.identifier();
      RadiusSigner.verifyResponse(datagram, REQUEST, SECRET, false);
    } catch (RadiusException expected) {
      // wrong authenticator, mostly
    }
    byte[] again = RadiusCodec.encode(p);
    try {
      assertEquals(p.attributes().size(), RadiusCodec.decode(again).attributes().size());
    } catch (RadiusException e) {
      throw new AssertionError("re-encoded packet does not decode", e);
    }
  }
}
