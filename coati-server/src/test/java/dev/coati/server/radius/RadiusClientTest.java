package dev.coati.server.radius;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.Secret;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusCodec;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client against an in-process fake server that answers badly first, then well. */
class RadiusClientTest {
  static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  /** Answers one request with {@code bad} first (if any) and then a verified Access-Accept. */
  static Thread fake(DatagramSocket server, boolean withBadFirst) {
    Thread t =
        new Thread(
            () -> {
              try {
                byte[] buf = new byte[4096];
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                server.receive(in);
                RadiusPacket req = RadiusCodec.decode(Arrays.copyOf(buf, in.getLength()));
                RadiusPacket ok =
                    new RadiusPacket(
                        Radius.ACCESS_ACCEPT,
                        req.identifier(),
                        new byte[16],
                        List.of(RadiusAttribute.text(Radius.REPLY_MESSAGE, "ok")));
                if (withBadFirst) {
                  byte[] wrongSecret =
                      RadiusSigner.response(ok, req.authenticator(), "other".getBytes());
                  server.send(
                      new DatagramPacket(wrongSecret, wrongSecret.length, in.getSocketAddress()));
                  RadiusPacket otherId =
                      new RadiusPacket(
                          Radius.ACCESS_ACCEPT,
                          (req.identifier() + 1) & 0xff,
                          new byte[16],
                          List.of());
                  byte[] o = RadiusSigner.response(otherId, req.authenticator(), SECRET);
                  server.send(new DatagramPacket(o, o.length, in.getSocketAddress()));
                }
                byte[] good = RadiusSigner.response(ok, req.authenticator(), SECRET);
                server.send(new DatagramPacket(good, good.length, in.getSocketAddress()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    return t;
  }

  RadiusClient client(int port) {
    return new RadiusClient(
        List.of(new RadiusEndpoint("127.0.0.1", port, port, Secret.copyOf(SECRET))),
        Duration.ofSeconds(2),
        0,
        true,
        log);
  }

  @Test
  void badAnswersAreDropped_theGoodOneIsTaken() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t = fake(server, true);
      RadiusClient.Answer a =
          client(server.getLocalPort())
              .exchange(
                  Radius.ACCESS_REQUEST,
                  List.of(
                      RadiusAttribute.text(Radius.USER_NAME, "u"),
                      RadiusAttribute.text(Radius.USER_PASSWORD, "p")));
      t.join(5000);
      assertEquals(Radius.ACCESS_ACCEPT, a.packet().code());
      assertEquals("ok", a.packet().find(Radius.REPLY_MESSAGE).orElseThrow().text());
      String l = logBytes.toString(StandardCharsets.UTF_8);
      assertTrue(l.contains("dropped an answer: wrong Response Authenticator"), l);
      assertTrue(l.contains("dropped an answer: identifier"), l);
    }
  }

  @Test
  void refusedPort_isLoggedAndFailsOver() throws Exception {
    int dead;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      dead = probe.getLocalPort();
    }
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t = fake(server, false);
      RadiusClient c =
          new RadiusClient(
              List.of(
                  new RadiusEndpoint("127.0.0.1", dead, dead, Secret.copyOf(SECRET)),
                  new RadiusEndpoint("127.0.0.1", server.getLocalPort(), 1, Secret.copyOf(SECRET))),
              Duration.ofSeconds(2),
              2,
              true,
              log);
      long t0 = System.nanoTime();
      RadiusClient.Answer a =
          c.exchange(Radius.ACCESS_REQUEST, List.of(RadiusAttribute.text(Radius.USER_NAME, "u")));
      t.join(5000);
      assertEquals(server.getLocalPort(), a.server().authPort());
      assertTrue(System.nanoTime() - t0 < 1_500_000_000L, "ICMP refusal fails over at once");
      String l = logBytes.toString(StandardCharsets.UTF_8);
      assertTrue(l.contains("127.0.0.1:" + dead + " refused Access-Request"), l);
      assertTrue(!l.contains("s3cret"), l);
    }
  }

  @Test
  void noServer_throwsNoAnswer() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      RadiusClient c =
          new RadiusClient(
              List.of(
                  new RadiusEndpoint("127.0.0.1", silent.getLocalPort(), 1, Secret.copyOf(SECRET))),
              Duration.ofMillis(100),
              1,
              true,
              log);
      assertThrows(
          RadiusClient.NoAnswerException.class, () -> c.exchange(Radius.ACCESS_REQUEST, List.of()));
      assertTrue(
          logBytes.toString().contains("did not answer Access-Request (2 tries, 100 ms each)"));
    }
  }

  @Test
  void aServerThatDidNotAnswer_isTriedLastFor30Seconds() throws Exception {
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(5);
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      RadiusClient c =
          new RadiusClient(
              List.of(
                  new RadiusEndpoint("127.0.0.1", silent.getLocalPort(), 1, Secret.copyOf(SECRET)),
                  new RadiusEndpoint("127.0.0.1", server.getLocalPort(), 1, Secret.copyOf(SECRET))),
              Duration.ofMillis(200),
              0,
              true,
              log,
              nanos::get);
      List<RadiusAttribute> attrs = List.of(RadiusAttribute.text(Radius.USER_NAME, "u"));
      Thread t = fake(server, false);
      assertEquals(
          server.getLocalPort(), c.exchange(Radius.ACCESS_REQUEST, attrs).server().authPort());
      t.join(5000);
      assertEquals(1, received(silent), "the first request went to the silent server first");
      String l = logBytes.toString(StandardCharsets.UTF_8);
      assertTrue(
          l.contains("did not answer Access-Request (1 try, 200 ms each); tried last for 30 s"), l);

      nanos.addAndGet(29_000_000_000L); // 29 s later: still dead, the good server first
      t = fake(server, false);
      assertEquals(
          server.getLocalPort(), c.exchange(Radius.ACCESS_REQUEST, attrs).server().authPort());
      t.join(5000);
      assertEquals(0, received(silent), "skipped while dead");

      nanos.addAndGet(2_000_000_000L); // 31 s: tried first again
      t = fake(server, false);
      c.exchange(Radius.ACCESS_REQUEST, attrs);
      t.join(5000);
      assertEquals(1, received(silent), "tried again after 30 s");
    }
  }

  /** How many datagrams {@code s} holds now (waits 100 ms for each). */
  static int received(DatagramSocket s) throws Exception {
    s.setSoTimeout(100);
    int n = 0;
    byte[] buf = new byte[4096];
    while (true) {
      try {
        s.receive(new DatagramPacket(buf, buf.length));
        n++;
      } catch (java.net.SocketTimeoutException e) {
        return n;
      }
    }
  }
}
