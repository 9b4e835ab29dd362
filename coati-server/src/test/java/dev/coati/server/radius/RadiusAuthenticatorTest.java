package dev.coati.server.radius;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.crypto.Secret;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusCodec;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code radius.framed_ip: required} (README "Scaling out"): an Access-Accept without a
 * Framed-IP-Address, or with 255.255.255.254 ("the NAS picks"), fails the login instead of leaving
 * the address to the gateway's own pool; one with an address passes; without the setting the Accept
 * passes either way (the pool decides).
 */
class RadiusAuthenticatorTest {
  static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);

  @Test
  void framedIpRequired_refusesAnAcceptWithoutAnAddress() throws Exception {
    RadiusAttribute nasPicks =
        RadiusAttribute.address(Radius.FRAMED_IP_ADDRESS, Ipv4Address.parse("255.255.255.254"));
    RadiusAttribute fixed =
        RadiusAttribute.address(Radius.FRAMED_IP_ADDRESS, Ipv4Address.parse("10.99.99.11"));

    AuthResult none = login(true, List.of());
    assertFalse(none.success());
    assertTrue(none.reason().contains("without a Framed-IP-Address"), none.reason());
    assertTrue(none.reason().contains("radius.framed_ip is required"), none.reason());
    assertFalse(login(true, List.of(nasPicks)).success());
    AuthResult given = login(true, List.of(fixed));
    assertTrue(given.success(), given.reason());
    assertEquals(Ipv4Address.parse("10.99.99.11"), given.staticAddress().orElseThrow());

    AuthResult optional = login(false, List.of());
    assertTrue(optional.success(), optional.reason());
    assertTrue(optional.staticAddress().isEmpty());
  }

  /** One Xauth-style login against a fake server answering Access-Accept with {@code reply}. */
  static AuthResult login(boolean required, List<RadiusAttribute> reply) throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofPlatform().start(() -> accept(server, reply));
      RadiusClient client =
          new RadiusClient(
              List.of(
                  new RadiusEndpoint("127.0.0.1", server.getLocalPort(), 1, Secret.copyOf(SECRET))),
              Duration.ofSeconds(2),
              0,
              false,
              new PrintStream(new ByteArrayOutputStream()));
      AuthResult r =
          new RadiusAuthenticator(client, "coati", required)
              .authenticate(new AuthRequest.Plain("alice", "pw".getBytes()))
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      t.join(5000);
      return r;
    }
  }

  private static void accept(DatagramSocket server, List<RadiusAttribute> reply) {
    try {
      byte[] buf = new byte[4096];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      server.setSoTimeout(5000);
      server.receive(in);
      RadiusPacket req = RadiusCodec.decode(Arrays.copyOf(buf, in.getLength()));
      RadiusPacket ok =
          new RadiusPacket(Radius.ACCESS_ACCEPT, req.identifier(), new byte[16], reply);
      byte[] answer = RadiusSigner.response(ok, req.authenticator(), SECRET);
      server.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
