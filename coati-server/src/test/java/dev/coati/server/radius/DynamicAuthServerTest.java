package dev.coati.server.radius;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.radius.DisconnectRequest;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusException;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener over loopback with a fake handler and requests signed as a DAC signs them. */
class DynamicAuthServerTest {
  static final byte[] SECRET = "dae-s3cret".getBytes(StandardCharsets.US_ASCII);
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  final TestClock clock = new TestClock(1_750_000_000_000L);
  final AtomicInteger calls = new AtomicInteger();
  final List<DisconnectRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
  DynamicAuthServer server;
  DatagramSocket dac;
  int nextId;

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    final AtomicLong millis;

    TestClock(long millis) {
      this.millis = new AtomicLong(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  /** alice has one session, carol two; the handler of "boom" fails. */
  int handle(DisconnectRequest r) {
    calls.incrementAndGet();
    seen.add(r);
    if ("boom".equals(r.userName())) {
      throw new IllegalStateException("the socket thread did not answer");
    }
    return "alice".equals(r.userName()) ? 1 : "carol".equals(r.userName()) ? 2 : 0;
  }

  DynamicAuthServer start(String clientAddress) throws Exception {
    GatewayConfig.DynamicAuthorization c =
        new GatewayConfig.DynamicAuthorization(
            "127.0.0.1",
            0,
            List.of(new GatewayConfig.DaeClient(clientAddress, Secret.copyOf(SECRET))));
    return new DynamicAuthServer(
            c,
            new DisconnectRequest.Nas("coati", Set.of(Ipv4Address.parse("127.0.0.1"))),
            this::handle,
            log,
            clock)
        .start();
  }

  @BeforeEach
  void setUp() throws Exception {
    server = start("127.0.0.1");
    dac = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    dac.setSoTimeout(2000);
  }

  @AfterEach
  void tearDown() {
    dac.close();
    server.close();
  }

  byte[] request(int code, byte[] secret, RadiusAttribute... attrs) {
    RadiusPacket p = new RadiusPacket(code, nextId++ & 0xff, new byte[16], List.of(attrs));
    return RadiusSigner.accountingRequest(p, secret);
  }

  byte[] disconnect(RadiusAttribute... attrs) {
    return request(Radius.DISCONNECT_REQUEST, SECRET, attrs);
  }

  static RadiusAttribute user(String name) {
    return RadiusAttribute.text(Radius.USER_NAME, name);
  }

  void send(byte[] b) throws Exception {
    dac.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), server.port()));
  }

  /** The verified answer to {@code req}, or null when none comes within {@code millis}. */
  RadiusPacket answer(byte[] req, int millis) throws Exception {
    dac.setSoTimeout(millis);
    byte[] buf = new byte[4096];
    DatagramPacket in = new DatagramPacket(buf, buf.length);
    try {
      dac.receive(in);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return RadiusSigner.verifyResponse(Arrays.copyOf(buf, in.getLength()), req, SECRET, true);
  }

  RadiusPacket exchange(byte[] req) throws Exception {
    send(req);
    RadiusPacket a = answer(req, 2000);
    assertTrue(a != null, "no answer; log:\n" + logBytes);
    return a;
  }

  static long errorCause(RadiusPacket p) throws RadiusException {
    return p.find(Radius.ERROR_CAUSE).orElseThrow().integer();
  }

  static void await(LongSupplier value, long want) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (value.getAsLong() != want && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(want, value.getAsLong());
  }

  @Test
  void knownUser_isDisconnectAck_withMessageAuthenticator_andOneLogLine() throws Exception {
    RadiusPacket a = exchange(disconnect(user("alice")));
    assertEquals(Radius.DISCONNECT_ACK, a.code());
    assertTrue(a.find(Radius.MESSAGE_AUTHENTICATOR).isPresent());
    assertEquals("alice", seen.get(0).userName());
    assertTrue(
        logBytes
            .toString()
            .contains(
                "coati: RADIUS Disconnect-Request from 127.0.0.1 (User-Name alice): 1 session"
                    + " ended, Disconnect-ACK\n"),
        logBytes.toString());
    assertEquals(Radius.DISCONNECT_ACK, exchange(disconnect(user("carol"))).code());
    assertTrue(
        logBytes.toString().contains("(User-Name carol): 2 sessions ended"), logBytes.toString());
    assertEquals(2, server.stats().requests());
    assertEquals(2, server.stats().acks());
    assertFalse(logBytes.toString().contains("dae-s3cret"));
  }

  @Test
  void unknownUser_isNak503_missingIdentification402_handlerFailure506() throws Exception {
    RadiusPacket a = exchange(disconnect(user("mallory")));
    assertEquals(Radius.DISCONNECT_NAK, a.code());
    assertEquals(Radius.ERROR_SESSION_CONTEXT_NOT_FOUND, errorCause(a));
    assertTrue(a.find(Radius.MESSAGE_AUTHENTICATOR).isPresent());
    assertTrue(
        logBytes
            .toString()
            .contains(
                "coati: RADIUS Disconnect-Request from 127.0.0.1 (User-Name mallory): no such"
                    + " session, Disconnect-NAK (Error-Cause 503 Session-Context-Not-Found)\n"),
        logBytes.toString());
    RadiusPacket missing =
        exchange(disconnect(RadiusAttribute.text(Radius.NAS_IDENTIFIER, "coati")));
    assertEquals(Radius.ERROR_MISSING_ATTRIBUTE, errorCause(missing));
    RadiusPacket other =
        exchange(disconnect(user("alice"), RadiusAttribute.text(Radius.NAS_IDENTIFIER, "gw2")));
    assertEquals(Radius.ERROR_NAS_IDENTIFICATION_MISMATCH, errorCause(other));
    assertEquals(
        Radius.ERROR_RESOURCES_UNAVAILABLE, errorCause(exchange(disconnect(user("boom")))));
    assertTrue(logBytes.toString().contains("could not end the sessions"), logBytes.toString());
    assertEquals(2, calls.get()); // mallory and boom: the refused ones never reach the handler
    assertEquals(4, server.stats().naks());
  }

  @Test
  void coaRequest_isCoaNak406() throws Exception {
    byte[] req = request(Radius.COA_REQUEST, SECRET, user("alice"));
    RadiusPacket a = exchange(req);
    assertEquals(Radius.COA_NAK, a.code());
    assertEquals(Radius.ERROR_UNSUPPORTED_EXTENSION, errorCause(a));
    assertEquals(0, calls.get());
  }

  @Test
  void retransmission_isAnsweredFromTheCache_theHandlerCalledOnce() throws Exception {
    byte[] req = disconnect(user("alice"));
    RadiusPacket first = exchange(req);
    RadiusPacket again = exchange(req);
    assertEquals(Radius.DISCONNECT_ACK, again.code());
    assertArrayEquals(first.authenticator(), again.authenticator());
    assertEquals(1, calls.get());
    assertEquals(1, server.stats().retransmissions());
    assertEquals(1, server.stats().requests());
    // after 30 s the same packet is a new request (and a replay, were it not for Event-Timestamp)
    clock.millis.addAndGet(DynamicAuthServer.RETRANSMISSION_MILLIS + 1);
    exchange(req);
    assertEquals(2, calls.get());
  }

  @Test
  void proxyStates_areEchoedInOrder() throws Exception {
    RadiusPacket a =
        exchange(
            disconnect(
                RadiusAttribute.of(Radius.PROXY_STATE, new byte[] {1}),
                user("nobody"),
                RadiusAttribute.of(Radius.PROXY_STATE, new byte[] {2, 2})));
    List<byte[]> states = new ArrayList<>();
    a.attributes().stream()
        .filter(x -> x.is(0, Radius.PROXY_STATE))
        .forEach(x -> states.add(x.value()));
    assertEquals(2, states.size());
    assertArrayEquals(new byte[] {1}, states.get(0));
    assertArrayEquals(new byte[] {2, 2}, states.get(1));
  }

  @Test
  void wrongSecret_andStaleEventTimestamp_areDropped_withoutTheHandler() throws Exception {
    byte[] wrong = request(Radius.DISCONNECT_REQUEST, "other".getBytes(), user("alice"));
    send(wrong);
    send(wrong);
    assertNull(answer(wrong, 300));
    await(() -> server.stats().dropped(), 2);
    String l = logBytes.toString();
    assertTrue(
        l.contains(
            "coati: RADIUS Dynamic Authorization: dropped a packet from client 127.0.0.1: wrong"
                + " Request Authenticator (is the shared secret right?)"),
        l);
    assertEquals(1, l.split("wrong Request Authenticator", -1).length - 1, l);
    long now = clock.millis() / 1000;
    byte[] stale =
        disconnect(user("alice"), RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, now - 400));
    send(stale);
    assertNull(answer(stale, 300));
    await(() -> server.stats().dropped(), 3);
    RadiusPacket fresh =
        exchange(
            disconnect(user("alice"), RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, now - 10)));
    assertEquals(Radius.DISCONNECT_ACK, fresh.code());
    assertEquals(1, calls.get());
    assertFalse(logBytes.toString().contains("dae-s3cret"));
  }

  @Test
  void unknownClient_isDropped_andLoggedOncePerMinute() throws Exception {
    server.close();
    server = start("127.0.0.2");
    byte[] req = disconnect(user("alice"));
    send(req);
    send(req);
    assertNull(answer(req, 300));
    await(() -> server.stats().dropped(), 2);
    String l = logBytes.toString();
    assertTrue(l.contains("dropped a packet from 127.0.0.1:" + dac.getLocalPort()), l);
    assertTrue(l.contains("which is not in radius.dynamic_authorization.clients"), l);
    assertEquals(1, l.split("not in radius.dynamic_authorization.clients", -1).length - 1, l);
    clock.millis.addAndGet(DynamicAuthServer.LOG_INTERVAL_MILLIS);
    send(req);
    await(() -> server.stats().dropped(), 3);
    l = logBytes.toString();
    assertEquals(2, l.split("not in radius.dynamic_authorization.clients", -1).length - 1, l);
    assertEquals(0, calls.get());
    assertEquals(0, server.stats().requests());
  }

  @Test
  void garbage_fromAClient_isDropped_andTheListenerCarriesOn() throws Exception {
    send(new byte[] {40, 1, 0});
    send(new byte[3000]);
    await(() -> server.stats().dropped(), 2);
    assertEquals(Radius.DISCONNECT_ACK, exchange(disconnect(user("alice"))).code());
  }
}
