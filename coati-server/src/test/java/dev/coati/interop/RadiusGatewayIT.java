package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with its users in RADIUS, end to end: coati and a real FreeRADIUS 3.2 in {@code
 * coati-rd-srv} (FreeRADIUS on that namespace's 127.0.0.1), an unmodified strongSwan road warrior
 * (PSK + Xauth) in {@code coati-rd-cli}. Xauth is checked by FreeRADIUS; its Framed-IP-Address is
 * the client's address; accounting Start and Stop reach the detail file with the session's real
 * packet and octet counters and the Class echoed; FreeRADIUS's {@code radclient} sends a
 * Disconnect-Request that ends the session (Disconnect-ACK; Disconnect-NAK for a user who is not
 * connected); Session-Timeout and Idle-Timeout from the Access-Accept end sessions on time; its
 * Acct-Interim-Interval brings one Interim-Update a minute later with the counters so far.
 */
class RadiusGatewayIT {
  static final String SRV = "coati-rd-srv";
  static final String CLI = "coati-rd-cli";
  static final String PSK = "radius-gw-psk";
  static final String DAE_SECRET = "dae-secret-1";
  static final int DAE_PORT = 3799;

  @TempDir Path dir;
  FreeRadius radius;
  Path socket;

  @BeforeEach
  void topology() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    assertTrue(FreeRadius.available(), "needs freeradius and freeradius-utils");
    assertTrue(
        Files.isExecutable(Path.of("/usr/bin/radclient")), "needs radclient (freeradius-utils)");
    Netns.remove(CLI, SRV);
    Netns.run("ip", "netns", "add", CLI);
    Netns.run("ip", "netns", "add", SRV);
    Netns.veth(CLI, "rdc0", Netns.CLI_ADDR, SRV, "rds0", Netns.SRV_ADDR);
    for (String ns : List.of(CLI, SRV)) {
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    radius = new FreeRadius(dir.resolve("radius"), SRV);
    socket = dir.resolve("coati.sock");
  }

  @AfterEach
  void teardown() throws Exception {
    if (radius != null) {
      radius.close();
    }
    Netns.remove(CLI, SRV);
  }

  /** Users from RADIUS only, accounting on, Disconnect-Request accepted from 127.0.0.1. */
  String gateway() throws Exception {
    secret("radius-secret.txt", FreeRadius.SECRET);
    secret("dae-secret.txt", DAE_SECRET);
    return RemoteAccessIT.GATEWAY.replace(
            "users:\n  file: users.txt\n", "users:\n  source: radius\n")
        + "radius:\n"
        + "  servers: [ { address: 127.0.0.1, port: "
        + radius.authPort
        + ", acct_port: "
        + radius.acctPort
        + ", secret_file: radius-secret.txt } ]\n"
        + "  timeout: 2s\n"
        + "  accounting: true\n"
        + "  dynamic_authorization:\n"
        + "    listen: 127.0.0.1:"
        + DAE_PORT
        + "\n    clients: [ { address: 127.0.0.1, secret_file: dae-secret.txt } ]\n"
        + "events:\n  json_log: "
        + dir.resolve("events.jsonl")
        + "\n";
  }

  void secret(String name, String value) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, value + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void xauthByRadius_framedIp_accountingCounters_disconnectRequest() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway());
        Charon c = roadWarrior("carol")) {
      connect(c, coati);
      String sas = c.swanctl("--list-sas").output();
      assertTrue(sas.contains("10.99.99.77"), "Framed-IP-Address is the client's address: " + sas);
      String json = status();
      assertTrue(json.contains("\"user\":\"carol\""), json);
      assertTrue(json.contains("\"address\":\"10.99.99.77\""), json);

      Netns.Result ping = TunnelTrafficIT.ping(CLI, "10.99.99.77", "10.99.99.1", 5, "100");
      assertEquals(5, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
      String start = await(() -> one("Acct-Status-Type = Start", "User-Name = \"carol\""), coati);
      assertTrue(start.contains("Framed-IP-Address = 10.99.99.77"), start);
      assertTrue(start.contains("Class = 0x" + hex("carol-class")), start);
      assertTrue(start.contains("Calling-Station-Id = \"" + Netns.CLI_ADDR + ":"), start);

      Netns.Result nak = radclient("User-Name = \"nobody\"", DAE_SECRET);
      assertTrue(nak.output().contains("Received Disconnect-NAK"), nak.output());
      assertTrue(nak.output().contains("Session-Context-Not-Found"), nak.output());
      Netns.Result wrong = radclient("User-Name = \"carol\"", "not-the-secret");
      assertFalse(wrong.output().contains("Received Disconnect-"), wrong.output());
      assertTrue(status().contains("\"user\":\"carol\""), "a bad secret kicks nobody");

      Netns.Result ack = radclient("User-Name = \"carol\"", DAE_SECRET);
      assertTrue(ack.output().contains("Received Disconnect-ACK"), ack.output() + coati.log());
      awaitGone(c, coati, "address released user=carol address=10.99.99.77\n");
      String stop = await(() -> one("Acct-Status-Type = Stop", "User-Name = \"carol\""), coati);
      assertTrue(stop.contains("Acct-Terminate-Cause = Admin-Reset"), stop);
      assertTrue(stop.contains("Class = 0x" + hex("carol-class")), stop);
      assertEquals(sessionId(start), sessionId(stop), start + "\n" + stop);
      assertTrue(json.contains("\"acct_session_id\":\"" + sessionId(start) + "\""), json);
      // Exactly the five 128-byte echo requests in and the five replies out: nothing else crosses
      // the tunnel (IP packets inside ESP are counted, not ESP overhead).
      assertEquals(5, FreeRadius.value(stop, "Acct-Input-Packets"), stop);
      assertEquals(5, FreeRadius.value(stop, "Acct-Output-Packets"), stop);
      assertEquals(5 * 128, FreeRadius.value(stop, "Acct-Input-Octets"), stop);
      assertEquals(5 * 128, FreeRadius.value(stop, "Acct-Output-Octets"), stop);
      String events = Files.readString(dir.resolve("events.jsonl"), StandardCharsets.UTF_8);
      assertTrue(events.contains("\"event\":\"down\""), events);
      assertTrue(events.contains("\"acct_session_id\":\"" + sessionId(stop) + "\""), events);
      assertTrue(events.contains("\"bytes_in\":640,\"bytes_out\":640,"), events);
      assertTrue(coati.log().contains("Disconnect-Request"), coati.log());
    }
  }

  @Test
  void sessionTimeoutAndIdleTimeout_fromTheAccessAccept() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway());
        Charon dave = roadWarrior("dave")) {
      long t0 = System.nanoTime();
      connect(dave, coati);
      awaitGone(dave, coati, "session timeout (6 s, from RADIUS)");
      long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertTrue(took >= 5 && took <= 15, "ended after " + took + " s");
      String stop = await(() -> one("Acct-Status-Type = Stop", "User-Name = \"dave\""), coati);
      assertTrue(stop.contains("Acct-Terminate-Cause = Session-Timeout"), stop);
    }
    try (CoatiProcess coati = new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway());
        Charon erin = roadWarrior("erin")) {
      connect(erin, coati);
      String vip = vip(erin);
      for (int i = 0; i < 4; i++) { // busy for 8 s: more than the 5 s idle timeout
        Netns.Result ping = TunnelTrafficIT.ping(CLI, vip, "10.99.99.1", 1, "56");
        assertEquals(1, TunnelTrafficIT.received(ping.output()), ping.output());
        Thread.sleep(2000);
      }
      assertTrue(status().contains("\"user\":\"erin\""), "traffic keeps it up");
      awaitGone(erin, coati, "idle timeout (5 s, from RADIUS)");
      String stop = await(() -> one("Acct-Status-Type = Stop", "User-Name = \"erin\""), coati);
      assertTrue(stop.contains("Acct-Terminate-Cause = Idle-Timeout"), stop);
    }
  }

  /**
   * Acct-Interim-Interval 60 from the Access-Accept: one Interim-Update a minute after Start, with
   * the session's id, Class and exact counters so far; `coati kick` then ends it (Admin-Reset).
   */
  @Test
  void interimUpdate_afterTheAccessAcceptsInterval_withCounters() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway());
        Charon fred = roadWarrior("fred")) {
      connect(fred, coati);
      long t0 = System.nanoTime();
      String vip = vip(fred);
      Netns.Result ping = TunnelTrafficIT.ping(CLI, vip, "10.99.99.1", 3, "100");
      assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
      String start = await(() -> one("Acct-Status-Type = Start", "User-Name = \"fred\""), coati);
      assertNull(
          one("Acct-Status-Type = Interim-Update", "User-Name = \"fred\""),
          "no interim before the interval");
      String interim = null;
      for (int i = 0; i < 800 && interim == null; i++) { // 80 s at most
        Thread.sleep(100);
        interim = one("Acct-Status-Type = Interim-Update", "User-Name = \"fred\"");
      }
      long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertNotNull(interim, "no Interim-Update in 80 s:\n" + radius.detail() + coati.log());
      assertTrue(took >= 58 && took <= 75, "Interim-Update after " + took + " s, expected ~60");
      assertEquals(sessionId(start), sessionId(interim), start + "\n" + interim);
      assertTrue(interim.contains("Class = 0x" + hex("fred-class")), interim);
      assertTrue(interim.contains("Framed-IP-Address = " + vip), interim);
      assertTrue(FreeRadius.value(interim, "Acct-Session-Time") >= 58, interim);
      assertEquals(3, FreeRadius.value(interim, "Acct-Input-Packets"), interim);
      assertEquals(3, FreeRadius.value(interim, "Acct-Output-Packets"), interim);
      assertEquals(3 * 128, FreeRadius.value(interim, "Acct-Input-Octets"), interim);
      assertEquals(3 * 128, FreeRadius.value(interim, "Acct-Output-Octets"), interim);

      Netns.Result kick = CoatiProcess.cli("", "kick", "fred", "--socket", socket.toString());
      assertEquals(0, kick.code(), kick.output());
      awaitGone(fred, coati, "address released user=fred address=" + vip + "\n");
      String stop = await(() -> one("Acct-Status-Type = Stop", "User-Name = \"fred\""), coati);
      assertEquals(sessionId(start), sessionId(stop), start + "\n" + stop);
      assertTrue(stop.contains("Acct-Terminate-Cause = Admin-Reset"), stop);
      assertEquals(3, FreeRadius.value(stop, "Acct-Input-Packets"), stop);
      assertEquals(3 * 128, FreeRadius.value(stop, "Acct-Output-Octets"), stop);
      assertEquals(1, radius.records("Acct-Status-Type = Interim-Update").size(), radius.detail());
    }
  }

  /**
   * SIGTERM to the gateway with a session up: the Accounting-Stop that reaches FreeRADIUS says
   * NAS-Reboot (README "RADIUS"), with the session's id, before the process exits.
   */
  @Test
  void gatewayShutdown_accountingStopSaysNasReboot() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway());
        Charon c = roadWarrior("carol")) {
      connect(c, coati);
      String start = await(() -> one("Acct-Status-Type = Start", "User-Name = \"carol\""), coati);
      assertEquals(143, coati.stop(), coati.log());
      String stop = await(() -> one("Acct-Status-Type = Stop", "User-Name = \"carol\""), coati);
      assertTrue(stop.contains("Acct-Terminate-Cause = NAS-Reboot"), stop);
      assertEquals(sessionId(start), sessionId(stop), start + "\n" + stop);
    }
  }

  /** strongSwan in {@code coati-rd-cli} as {@code user} (password {@code user-pass}). */
  Charon roadWarrior(String user) throws Exception {
    return new Charon(
        CLI, dir.resolve(user), RemoteAccessIT.client(PSK, false, user, user + "-pass"), "");
  }

  static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
  }

  static String sessionId(String record) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Acct-Session-Id = \"([^\"]+)\"").matcher(record);
    assertTrue(m.find(), record);
    return m.group(1);
  }

  String one(String... parts) throws Exception {
    List<String> r = radius.records(parts);
    return r.isEmpty() ? null : r.get(r.size() - 1);
  }

  interface Probe {
    String get() throws Exception;
  }

  /** Polls {@code p} for up to 10 s. */
  String await(Probe p, CoatiProcess coati) throws Exception {
    for (int i = 0; i < 100; i++) {
      String v = p.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not in the detail file:\n" + radius.detail() + "\n" + coati.log());
  }

  Netns.Result radclient(String attributes, String secret) throws Exception {
    Process p =
        new ProcessBuilder(
                Netns.inNs(
                    SRV,
                    "radclient",
                    "-x",
                    "-r",
                    "1",
                    "-t",
                    "3",
                    "127.0.0.1:" + DAE_PORT,
                    "disconnect",
                    secret))
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write((attributes + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("radclient hangs: " + out);
    }
    return new Netns.Result(p.exitValue(), out);
  }

  String status() throws Exception {
    Netns.Result r = CoatiProcess.cli("", "status", "--json", "--socket", socket.toString());
    assertEquals(0, r.code(), r.output());
    return r.output();
  }

  static String vip(Charon c) throws Exception {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("local .*?(10\\.99\\.99\\.\\d+)/32")
            .matcher(c.swanctl("--list-sas").output());
    assertTrue(m.find(), c.swanctl("--list-sas").output());
    return m.group(1);
  }

  static void connect(Charon c, CoatiProcess coati) throws Exception {
    Netns.Result up = c.swanctl("--initiate", "--child", "pool");
    assertEquals(0, up.code(), up.output() + coati.log() + c.log());
  }

  /** strongSwan lost its SA (coati's Delete) and coati logged {@code line}; 20 s at most. */
  static void awaitGone(Charon c, CoatiProcess coati, String line) throws Exception {
    for (int i = 0; i < 200 && c.swanctl("--list-sas").output().contains("ESTABLISHED"); i++) {
      Thread.sleep(100);
    }
    String sas = c.swanctl("--list-sas").output();
    assertFalse(sas.contains("ESTABLISHED"), "strongSwan got the Delete: " + sas + c.log());
    for (int i = 0; i < 50 && !coati.log().contains(line); i++) {
      Thread.sleep(100);
    }
    assertTrue(coati.log().contains(line), coati.log());
  }
}
