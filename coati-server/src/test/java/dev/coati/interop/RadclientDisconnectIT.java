package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.radius.DisconnectRequest;
import dev.coati.server.radius.DynamicAuthServer;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coati's Dynamic Authorization Server against FreeRADIUS' {@code radclient} as the Dynamic
 * Authorization Client (RFC 5176), on 127.0.0.1 with a free port: radclient checks our ACK and NAK
 * (Response Authenticator, Message-Authenticator) and prints them with {@code -x}.
 */
class RadclientDisconnectIT {
  static final Path RADCLIENT = Path.of("/usr/bin/radclient");
  static final String SECRET = "dae-testing123";
  @TempDir Path dir;
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  final List<DisconnectRequest> seen = new CopyOnWriteArrayList<>();
  DynamicAuthServer server;

  record Run(int exit, String output) {}

  @BeforeAll
  static void needsRadclient() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(
        Files.isExecutable(RADCLIENT),
        "needs FreeRADIUS' radclient at "
            + RADCLIENT
            + " (apt-get install freeradius-utils), or COATI_SKIP_INTEROP=1");
  }

  /** alice has one session; nobody else has any. */
  @BeforeEach
  void start() throws IOException {
    var config =
        new GatewayConfig.DynamicAuthorization(
            "127.0.0.1",
            0,
            List.of(
                new GatewayConfig.DaeClient(
                    "127.0.0.1", Secret.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)))));
    server =
        new DynamicAuthServer(
                config,
                new DisconnectRequest.Nas("coati-it", Set.of(Ipv4Address.parse("127.0.0.1"))),
                r -> {
                  seen.add(r);
                  return "alice".equals(r.userName()) ? 1 : 0;
                },
                log,
                Clock.systemUTC())
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * {@code echo attributes | radclient -x -r 1 -t 2 127.0.0.1:PORT disconnect SECRET}, output to a
   * file so a hung radclient cannot block us; killed by PID after 20 s.
   */
  Run radclient(String attributes, String secret) throws Exception {
    Path in = dir.resolve("request.txt");
    Path out = dir.resolve("radclient.log");
    Files.writeString(in, attributes + "\n");
    Process p =
        new ProcessBuilder(
                RADCLIENT.toString(),
                "-x",
                "-r",
                "1",
                "-t",
                "2",
                "127.0.0.1:" + server.port(),
                "disconnect",
                secret)
            .redirectInput(in.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "radclient (pid " + p.pid() + ") did not finish in 20 s:\n" + Files.readString(out));
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  String context(Run r) {
    return "radclient exit " + r.exit() + ":\n" + r.output() + "\ncoati log:\n" + logBytes;
  }

  @Test
  void knownUser_radclientReceivesDisconnectAck() throws Exception {
    Run r =
        radclient(
            "User-Name = \"alice\"\nAcct-Session-Id = \"coati-17\"\nNAS-Identifier = \"coati-it\"",
            SECRET);
    assertEquals(0, r.exit(), context(r));
    assertTrue(r.output().contains("Received Disconnect-ACK"), context(r));
    assertEquals(1, seen.size(), context(r));
    assertEquals("alice", seen.get(0).userName());
    assertEquals("coati-17", seen.get(0).acctSessionId());
    assertTrue(
        logBytes
            .toString()
            .contains(
                "coati: RADIUS Disconnect-Request from 127.0.0.1 (User-Name alice, Acct-Session-Id"
                    + " coati-17): 1 session ended, Disconnect-ACK"),
        context(r));
    assertEquals(1, server.stats().acks());
  }

  /** radclient computes a Message-Authenticator for a zero placeholder; coati verifies it. */
  @Test
  void requestWithMessageAuthenticator_verifies() throws Exception {
    Run r = radclient("User-Name = \"alice\"\nMessage-Authenticator = 0x00", SECRET);
    assertEquals(0, r.exit(), context(r));
    assertTrue(r.output().contains("Received Disconnect-ACK"), context(r));
    assertEquals(1, seen.size(), context(r));
  }

  @Test
  void unknownUser_radclientReceivesDisconnectNak503() throws Exception {
    Run r = radclient("User-Name = \"mallory\"", SECRET);
    assertTrue(r.output().contains("Received Disconnect-NAK"), context(r));
    assertTrue(r.output().contains("Error-Cause = Session-Context-Not-Found"), context(r));
    assertEquals("mallory", seen.get(0).userName());
    assertEquals(1, server.stats().naks());
  }

  @Test
  void anotherNas_isNak403_andUnsupportedAttribute401_withoutTheHandler() throws Exception {
    Run r = radclient("User-Name = \"alice\"\nNAS-Identifier = \"gw2\"", SECRET);
    assertTrue(r.output().contains("Error-Cause = NAS-Identification-Mismatch"), context(r));
    r = radclient("User-Name = \"alice\"\nNAS-Port = 7", SECRET);
    assertTrue(r.output().contains("Error-Cause = Unsupported-Attribute"), context(r));
    assertTrue(seen.isEmpty(), context(r));
  }

  @Test
  void wrongSecret_radclientGetsNoAnswer_andTheHandlerIsNotCalled() throws Exception {
    Run r = radclient("User-Name = \"alice\"", "not-the-secret");
    assertNotEquals(0, r.exit(), context(r));
    assertTrue(r.output().contains("No reply from server"), context(r));
    assertFalse(r.output().contains("Received Disconnect"), context(r));
    assertTrue(seen.isEmpty(), context(r));
    assertTrue(server.stats().dropped() >= 1, context(r));
    String l = logBytes.toString();
    assertTrue(l.contains("wrong Request Authenticator"), l);
    assertFalse(l.contains(SECRET) || l.contains("not-the-secret"), l);
  }
}
