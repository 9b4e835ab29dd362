package dev.coati.server.radius;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.Secret;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAccountingRecords.TerminateCause;
import dev.coati.radius.RadiusCodec;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusSessionAccountingTest {
  static final byte[] SECRET = "s3cret".getBytes();

  @Test
  void downReasons_mapToTerminateCauses() {
    assertEquals(TerminateCause.LOST_CARRIER, RadiusSessionAccounting.cause("LCP echo failed"));
    assertEquals(TerminateCause.LOST_CARRIER, RadiusSessionAccounting.cause("DPD timeout"));
    assertEquals(TerminateCause.USER_REQUEST, RadiusSessionAccounting.cause("peer sent Delete"));
    assertEquals(TerminateCause.NAS_REQUEST, RadiusSessionAccounting.cause(null));
    // the words IkeSocketLoop and L2tpServer.closeAll use when the gateway stops (README:
    // NAS-Reboot)
    assertEquals(TerminateCause.NAS_REBOOT, RadiusSessionAccounting.cause("gateway shutting down"));
    assertEquals(
        TerminateCause.NAS_REBOOT,
        RadiusSessionAccounting.cause("LCP Terminate-Request: gateway shutting down"));
    assertEquals(
        TerminateCause.SESSION_TIMEOUT,
        RadiusSessionAccounting.cause("session timeout (60 s, from RADIUS)"));
    assertEquals(
        TerminateCause.IDLE_TIMEOUT,
        RadiusSessionAccounting.cause("idle timeout (30 s, from RADIUS)"));
    assertEquals(
        TerminateCause.ADMIN_RESET, RadiusSessionAccounting.cause("kicked by the operator"));
    assertEquals(
        TerminateCause.ADMIN_RESET,
        RadiusSessionAccounting.cause("RADIUS Disconnect-Request from 127.0.0.1"));
  }

  @Test
  void interimAndStop_carryCountersClassAndSessionId() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RadiusAccounting acct = accounting(server)) {
      RadiusSessionAccounting a = new RadiusSessionAccounting(acct, true);
      byte[] cls = "class-42".getBytes();
      SessionEvent up =
          SessionEvent.up("xauth", "ike[1]", "alice", "192.0.2.1:4500", "10.99.99.10")
              .accounted("6560a1b2-00000001", cls);
      a.accept(up);
      RadiusPacket start = answer(server);
      assertEquals("6560a1b2-00000001", start.find(Radius.ACCT_SESSION_ID).orElseThrow().text());
      assertEquals("class-42", new String(start.find(Radius.CLASS).orElseThrow().value()));
      a.accept(up.as("interim", 61, null, new Traffic(1000, 2000, 10, 20)));
      RadiusPacket interim = answer(server);
      assertEquals(3, interim.find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals(1000, interim.find(Radius.ACCT_INPUT_OCTETS).orElseThrow().integer());
      assertEquals(20, interim.find(Radius.ACCT_OUTPUT_PACKETS).orElseThrow().integer());
      a.accept(up.as("down", 90, "kicked by the operator", new Traffic(5L << 32 | 7, 9, 11, 13)));
      RadiusPacket stop = answer(server);
      assertEquals(2, stop.find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals("6560a1b2-00000001", stop.find(Radius.ACCT_SESSION_ID).orElseThrow().text());
      assertEquals("class-42", new String(stop.find(Radius.CLASS).orElseThrow().value()));
      assertEquals(7, stop.find(Radius.ACCT_INPUT_OCTETS).orElseThrow().integer());
      assertEquals(5, stop.find(Radius.ACCT_INPUT_GIGAWORDS).orElseThrow().integer());
      assertEquals(9, stop.find(Radius.ACCT_OUTPUT_OCTETS).orElseThrow().integer());
      assertEquals(11, stop.find(Radius.ACCT_INPUT_PACKETS).orElseThrow().integer());
      assertEquals(13, stop.find(Radius.ACCT_OUTPUT_PACKETS).orElseThrow().integer());
      assertEquals(90, stop.find(Radius.ACCT_SESSION_TIME).orElseThrow().integer());
      assertEquals(6, stop.find(Radius.ACCT_TERMINATE_CAUSE).orElseThrow().integer());
    }
  }

  private static RadiusAccounting accounting(DatagramSocket server) throws Exception {
    return new RadiusAccounting(
        new RadiusClient(
            List.of(
                new RadiusEndpoint("127.0.0.1", 1, server.getLocalPort(), Secret.copyOf(SECRET))),
            Duration.ofSeconds(2),
            0,
            true,
            new PrintStream(new ByteArrayOutputStream())),
        "coati",
        new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void upAndDown_becomeStartAndStop() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RadiusAccounting acct =
            new RadiusAccounting(
                new RadiusClient(
                    List.of(
                        new RadiusEndpoint(
                            "127.0.0.1", 1, server.getLocalPort(), Secret.copyOf(SECRET))),
                    Duration.ofSeconds(2),
                    0,
                    true,
                    new PrintStream(new ByteArrayOutputStream())),
                "coati",
                new PrintStream(new ByteArrayOutputStream()))) {
      RadiusSessionAccounting a = new RadiusSessionAccounting(acct, true);
      a.accept(SessionEvent.up("l2tp", "t1s2", "alice", "192.0.2.1:4500", "10.99.99.10"));
      RadiusPacket start = answer(server);
      assertEquals(1, start.find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals("l2tp-t1s2", start.find(Radius.ACCT_SESSION_ID).orElseThrow().text());
      assertEquals(
          "10.99.99.10", start.find(Radius.FRAMED_IP_ADDRESS).orElseThrow().address().toString());
      a.accept(
          SessionEvent.down(
              "l2tp", "t1s2", "alice", "192.0.2.1:4500", "10.99.99.10", 77, "LCP echo failed"));
      RadiusPacket stop = answer(server);
      assertEquals(2, stop.find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals(77, stop.find(Radius.ACCT_SESSION_TIME).orElseThrow().integer());
      assertEquals(2, stop.find(Radius.ACCT_TERMINATE_CAUSE).orElseThrow().integer());
    }
  }

  /**
   * Accounting-On before the first Start and Accounting-Off after the last Stop (RFC 2866 status
   * types 7 and 8), with the gateway's NAS-Identifier and an Acct-Session-Id no session has; start
   * and shutdown wait for their answer, and give up after their bound when no server answers.
   */
  @Test
  void accountingOnAndOff_frameTheSessions() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RadiusAccounting acct = accounting(server)) {
      RadiusPacket[] seen = new RadiusPacket[1];
      Thread answering = answerOne(server, seen);
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(log, true);
      String id = RadiusSetup.accountingOn(acct, 0x6560a1b2L * 1000, 5000, out);
      answering.join(6000);
      assertEquals("6560a1b2-00000000", id);
      assertEquals(7, seen[0].find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals(id, seen[0].find(Radius.ACCT_SESSION_ID).orElseThrow().text());
      assertEquals("coati", seen[0].find(Radius.NAS_IDENTIFIER).orElseThrow().text());
      new RadiusSessionAccounting(acct, true)
          .accept(SessionEvent.up("xauth", "ike[1]", "alice", "192.0.2.1:4500", "10.99.99.10"));
      assertEquals(1, answer(server).find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      answering = answerOne(server, seen);
      RadiusSetup.accountingOff(acct, id, 5000, out);
      answering.join(6000);
      assertEquals(8, seen[0].find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
      assertEquals(id, seen[0].find(Radius.ACCT_SESSION_ID).orElseThrow().text());
      assertEquals("", log.toString());
      // Nobody answers: the wait ends at its bound, with a line.
      long t0 = System.nanoTime();
      RadiusSetup.accountingOff(acct, id, 300, out);
      assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
      assertTrue(
          log.toString().contains("at shutdown (Stops or Accounting-Off lost) after 300 ms"),
          log.toString());
    }
  }

  /** A thread that answers one Accounting-Request and puts it in {@code seen[0]}. */
  static Thread answerOne(DatagramSocket server, RadiusPacket[] seen) {
    return Thread.ofPlatform()
        .start(
            () -> {
              try {
                seen[0] = answer(server);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Receives one Accounting-Request, acknowledges it, returns it. */
  static RadiusPacket answer(DatagramSocket server) throws Exception {
    byte[] buf = new byte[4096];
    DatagramPacket in = new DatagramPacket(buf, buf.length);
    server.setSoTimeout(5000);
    server.receive(in);
    RadiusPacket req = RadiusCodec.decode(Arrays.copyOf(buf, in.getLength()));
    byte[] r =
        RadiusSigner.response(
            new RadiusPacket(Radius.ACCOUNTING_RESPONSE, req.identifier(), new byte[16], List.of()),
            req.authenticator(),
            SECRET);
    server.send(new DatagramPacket(r, r.length, in.getSocketAddress()));
    return req;
  }
}
