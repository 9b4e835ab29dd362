package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.MessageType;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L2TP/IPsec against coati as its own process in the gateway namespace. Case g needs no VM: a plain
 * (non-IPsec) SCCRQ to UDP 1701 is dropped, counted, and never answered.
 */
class L2tpIpsecIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  static final String GATEWAY =
      """
      users:
        file: users.txt
      remote_access:
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
      l2tp:
        lcp_echo_interval: 2s
        lcp_echo_failures: 3
        hello_interval: 5s
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      """;

  void users(String lines) throws Exception {
    Path f = dir.resolve("users.txt");
    java.nio.file.Files.writeString(f, lines);
    java.nio.file.Files.setPosixFilePermissions(
        f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  /** Case g: L2TP without IPsec reaches the gateway's port 1701 and is dropped unanswered. */
  @Test
  void plainSccrq_isDroppedAndCounted() throws Exception {
    users("alice:{plain}wonderland\n");
    byte[] sccrq =
        ControlMessage.of(
                0,
                0,
                MessageType.SCCRQ,
                List.of(
                    Avps.protocolVersion(1, 0),
                    Avps.framingCapabilities(Avps.FRAMING_SYNC | Avps.FRAMING_ASYNC),
                    Avps.hostName("plain-client"),
                    Avps.assignedTunnelId(4711),
                    Avps.receiveWindowSize(4)))
            .encode();
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "it-psk-l2tp", GATEWAY)) {
      String java = ProcessHandle.current().info().command().orElse("java");
      String out =
          Netns.run(
              Netns.inNs(
                      Netns.CLI,
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      UdpProbe.class.getName(),
                      Netns.SRV_ADDR,
                      "1701",
                      HexFormat.of().formatHex(sccrq),
                      "1701",
                      "1500")
                  .toArray(String[]::new));
      assertEquals("NONE", out.strip(), "a plain SCCRQ gets no answer at all: " + out);
      coati.stop();
      String log = coati.log();
      assertTrue(log.contains(" plain_l2tp=1 "), "exactly one plain L2TP datagram counted: " + log);
      assertTrue(log.contains("L2TP/IPsec: on"), log);
    }
  }
}
