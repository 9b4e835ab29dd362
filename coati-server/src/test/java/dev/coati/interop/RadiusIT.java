package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.Authenticator;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.ChapMd5;
import dev.coati.crypto.MsChapV2;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.Secret;
import dev.coati.radius.RadiusAccountingRecords;
import dev.coati.server.policy.RemoteAccessSetup;
import dev.coati.server.radius.RadiusAccounting;
import dev.coati.server.radius.RadiusAuthenticator;
import dev.coati.server.radius.RadiusClient;
import dev.coati.server.radius.RadiusEndpoint;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coati's RADIUS client against a real FreeRADIUS 3.2 (started here on 127.0.0.1 with free ports):
 * PAP accept/reject, CHAP-MD5, MS-CHAPv2 (the S= authenticator response checked against coati's own
 * computation), Framed-IP-Address, failover, timeout, and accounting Start/Stop in the detail file.
 */
class RadiusIT {
  @TempDir static Path dir;
  static FreeRadius radius;
  static final SecureRandom RANDOM = new SecureRandom();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void start() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(FreeRadius.available(), "needs freeradius, or COATI_SKIP_INTEROP=1");
    radius = new FreeRadius(dir);
  }

  @AfterAll
  static void stop() {
    if (radius != null) {
      radius.close();
    }
  }

  static RadiusEndpoint server(int authPort, int acctPort) {
    return new RadiusEndpoint(
        "127.0.0.1", authPort, acctPort, Secret.copyOf(FreeRadius.SECRET.getBytes()));
  }

  /** 2 s: FreeRADIUS delays Access-Reject by reject_delay (1 s). */
  RadiusClient client(RadiusEndpoint... servers) {
    return client(2000, servers);
  }

  /**
   * Not requiring Message-Authenticator in answers: FreeRADIUS 3.2.1 (Debian 12) adds it only from
   * 3.2.5 on (BlastRADIUS); a tampered answer still fails the Response Authenticator.
   */
  RadiusClient client(int timeoutMillis, RadiusEndpoint... servers) {
    return new RadiusClient(List.of(servers), Duration.ofMillis(timeoutMillis), 1, false, log);
  }

  RadiusAuthenticator authenticator() {
    return new RadiusAuthenticator(client(server(radius.authPort, radius.acctPort)), "coati-test");
  }

  static AuthResult run(Authenticator a, AuthRequest r) {
    return a.authenticate(r).toCompletableFuture().join();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] random(int n) {
    byte[] x = new byte[n];
    RANDOM.nextBytes(x);
    return x;
  }

  @Test
  void pap_acceptsAlice_withFramedIpSessionTimeoutAndClass_rejectsWrongPassword() {
    RadiusAuthenticator a = authenticator();
    AuthResult ok = run(a, new AuthRequest.Plain("alice", b("alice-pass")));
    assertTrue(ok.success(), ok.reason());
    assertEquals(Ipv4Address.parse("10.66.0.77"), ok.staticAddress().orElseThrow());
    assertEquals(3600, ok.session().sessionTimeoutSeconds());
    assertArrayEquals(b("coati-class"), ok.session().radiusClass());
    AuthResult bob = run(a, new AuthRequest.Plain("bob", b("bob-pass")));
    assertTrue(bob.success(), bob.reason());
    assertTrue(bob.staticAddress().isEmpty());
    AuthResult bad = run(a, new AuthRequest.Plain("alice", b("wrong")));
    assertFalse(bad.success());
    assertTrue(bad.reason().startsWith("rejected by RADIUS 127.0.0.1:"), bad.reason());
    AuthResult nobody = run(a, new AuthRequest.Plain("mallory", b("x")));
    assertFalse(nobody.success());
  }

  @Test
  void chapMd5_acceptsAndRejects() {
    RadiusAuthenticator a = authenticator();
    byte[] ch = random(16);
    AuthResult ok =
        run(a, new AuthRequest.ChapMd5("bob", 7, ch, ChapMd5.response(7, b("bob-pass"), ch)));
    assertTrue(ok.success(), ok.reason());
    AuthResult bad =
        run(a, new AuthRequest.ChapMd5("bob", 7, ch, ChapMd5.response(7, b("nope"), ch)));
    assertFalse(bad.success());
  }

  @Test
  void msChapV2_returnsTheAuthenticatorResponseCoatiComputes_andE691OnReject() {
    RadiusAuthenticator a = authenticator();
    byte[] auth = random(16);
    byte[] peer = random(16);
    byte[] nt = NtHash.of(b("alice-pass"));
    byte[] resp = MsChapV2.generateNtResponse(auth, peer, b("alice"), nt);
    AuthResult ok = run(a, new AuthRequest.MsChapV2("alice", auth, peer, resp));
    assertTrue(ok.success(), ok.reason());
    assertEquals(
        MsChapV2.generateAuthenticatorResponse(nt, resp, peer, auth, b("alice")),
        ok.authenticatorResponse().orElseThrow());
    assertEquals(Ipv4Address.parse("10.66.0.77"), ok.staticAddress().orElseThrow());
    byte[] wrong = MsChapV2.generateNtResponse(auth, peer, b("alice"), NtHash.of(b("x")));
    AuthResult bad = run(a, new AuthRequest.MsChapV2("alice", auth, peer, wrong));
    assertFalse(bad.success());
    assertEquals(AuthResult.ERROR_AUTHENTICATION_FAILURE, bad.errorCode());
  }

  @Test
  void failover_fromASilentServerToFreeRadius_logsTheDeadServer() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      int dead = silent.getLocalPort();
      RadiusAuthenticator a =
          new RadiusAuthenticator(
              client(500, server(dead, dead), server(radius.authPort, radius.acctPort)),
              "coati-test");
      long t0 = System.nanoTime();
      AuthResult ok = run(a, new AuthRequest.Plain("alice", b("alice-pass")));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ok.success(), ok.reason());
      assertTrue(ms >= 900, "two tries of 500 ms on the silent server, took " + ms);
      String l = logBytes.toString(StandardCharsets.UTF_8);
      assertTrue(
          l.contains(
              "coati: RADIUS server 127.0.0.1:"
                  + dead
                  + " did not answer Access-Request (2 tries, 500 ms each); tried last for 30 s;"
                  + " trying 127.0.0.1:"
                  + radius.authPort),
          l);
      assertFalse(l.contains(FreeRadius.SECRET), l);
    }
  }

  @Test
  void noServerAnswers_isAFailureAfterTheTimeouts() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      int dead = silent.getLocalPort();
      RadiusAuthenticator a =
          new RadiusAuthenticator(client(300, server(dead, dead)), "coati-test");
      long t0 = System.nanoTime();
      AuthResult r = run(a, new AuthRequest.Plain("alice", b("alice-pass")));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms >= 550 && ms < 3000, "two tries of 300 ms, took " + ms);
      assertFalse(r.success());
      assertEquals("no RADIUS server answered (1 configured)", r.reason());
    }
  }

  @Test
  void wrongSecret_answersAreDropped() {
    RadiusEndpoint wrong =
        new RadiusEndpoint("127.0.0.1", radius.authPort, radius.acctPort, Secret.copyOf(b("x")));
    AuthResult r =
        run(
            new RadiusAuthenticator(client(300, wrong), "coati-test"),
            new AuthRequest.Plain("alice", b("alice-pass")));
    assertFalse(r.success());
  }

  /** The configuration path: coati.yaml with local-then-radius, through RemoteAccessSetup.aaa. */
  @Test
  void config_localThenRadius_throughRemoteAccessSetup() throws Exception {
    Path d = dir.resolve("gw");
    Files.createDirectories(d);
    for (String[] f :
        new String[][] {
          {"psk.txt", "s3cret"}, {"radius-secret.txt", FreeRadius.SECRET}, {"users.txt", ""}
        }) {
      Path p = d.resolve(f[0]);
      Files.writeString(p, f[1] + "\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(d.resolve("users.txt"), "carol:{plain}carol-pass\n");
    String yaml =
        """
        gateway: { listen: [127.0.0.1] }
        secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }
        users: { source: local-then-radius, file: users.txt }
        radius:
          servers: [ { address: 127.0.0.1, port: AUTH, secret_file: radius-secret.txt } ]
          timeout: 2s
          retries: 1
          nas_identifier: coati-cfg
          accounting: true
        dataplane: { tun: coati0, address: 10.99.99.1/24 }
        remote_access: { pool: 10.99.99.10-10.99.99.50 }
        """
            .replace("AUTH", Integer.toString(radius.authPort));
    Path cfg = d.resolve("coati.yaml");
    Files.writeString(cfg, yaml);
    GatewayConfig config = ConfigLoader.load(cfg);
    var aaa = RemoteAccessSetup.aaa(config, log);
    try {
      assertTrue(
          logBytes.toString().contains("coati: RADIUS 127.0.0.1:" + radius.authPort),
          logBytes.toString());
      AuthResult carol = run(aaa.auth(), new AuthRequest.Plain("carol", b("carol-pass")));
      assertTrue(carol.success(), carol.reason());
      AuthResult alice = run(aaa.auth(), new AuthRequest.Plain("alice", b("alice-pass")));
      assertTrue(alice.success(), alice.reason());
      assertEquals(Ipv4Address.parse("10.66.0.77"), alice.staticAddress().orElseThrow());
      AuthResult wrongLocal = run(aaa.auth(), new AuthRequest.Plain("carol", b("alice-pass")));
      assertFalse(wrongLocal.success());
      assertTrue(aaa.accounting() != null);
    } finally {
      aaa.workers().shutdown();
      aaa.accounting().close();
    }
  }

  @Test
  void accounting_startAndStop_reachTheDetailFile() throws Exception {
    try (RadiusAccounting acct =
        new RadiusAccounting(client(server(radius.authPort, radius.acctPort)), "coati-test", log)) {
      var s =
          new RadiusAccountingRecords.Session(
              "coati-it-4711",
              "alice",
              Ipv4Address.parse("10.66.0.77"),
              "192.0.2.10:4500",
              b("coati-class"),
              true);
      assertTrue(acct.start(s).get(10, TimeUnit.SECONDS), logBytes.toString());
      assertTrue(
          acct.interim(s, new RadiusAccountingRecords.Counters(1000, 2000, 10, 20, 30))
              .get(10, TimeUnit.SECONDS),
          logBytes.toString());
      var c = new RadiusAccountingRecords.Counters(123456, 654321, 100, 200, 42);
      assertTrue(
          acct.stop(s, c, RadiusAccountingRecords.TerminateCause.USER_REQUEST)
              .get(10, TimeUnit.SECONDS),
          logBytes.toString());
    }
    String d = radius.detail();
    for (String want :
        List.of(
            "Acct-Status-Type = Start",
            "Acct-Status-Type = Stop",
            "Acct-Status-Type = Interim-Update",
            "Acct-Input-Octets = 1000",
            "Class = 0x636f6174692d636c617373",
            "Acct-Session-Id = \"coati-it-4711\"",
            "User-Name = \"alice\"",
            "Framed-IP-Address = 10.66.0.77",
            "Calling-Station-Id = \"192.0.2.10:4500\"",
            "Acct-Input-Octets = 123456",
            "Acct-Output-Octets = 654321",
            "Acct-Session-Time = 42",
            "Acct-Terminate-Cause = User-Request",
            "NAS-Identifier = \"coati-test\"")) {
      assertTrue(d.contains(want), want + " not in the detail file:\n" + d);
    }
  }
}
