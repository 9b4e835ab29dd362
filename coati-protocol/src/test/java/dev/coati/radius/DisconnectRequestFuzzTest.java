package dev.coati.radius;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Jazzer target: an RFC 5176 Disconnect-Request or CoA-Request as the dynamic authorization server
 * reads it: verified (Request Authenticator, Message-Authenticator), and, as if the signature held,
 * parsed against our NAS identity. Only {@link RadiusException} (a {@link DynamicAuthException} for
 * the parse: NAK or discard) may escape.
 */
class DisconnectRequestFuzzTest {
  private static final byte[] SECRET = "dae-secret".getBytes(StandardCharsets.US_ASCII);
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(DisconnectRequestTest.NOW), ZoneOffset.UTC);
  private static final DisconnectRequest.Nas NAS =
      new DisconnectRequest.Nas("coati", Set.of(Ipv4Address.parse("192.0.2.1")));

  @FuzzTest
  void parse(byte[] datagram) {
    try {
      RadiusSigner.verifyDynamicRequest(datagram, SECRET);
    } catch (RadiusException expected) {
      // mostly a wrong authenticator
    }
    try {
      DisconnectRequest d = DisconnectRequest.parse(RadiusCodec.decode(datagram), NAS, CLOCK);
      d.describe();
    } catch (RadiusException expected) {
      // a NAK, a discard, or an undecodable datagram
    }
  }
}
