package dev.coati.nativeio.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The FFM TUN device for real: {@link TunEcho} creates and configures ctun0 inside a network
 * namespace made here, and ping through it gets its answers; with offload on, a TCP transfer across
 * the device comes out of read(2) as super-packets that {@code ip.TcpSegmenter} cuts into segments
 * the kernel's TCP receive path accepts ({@link TunReflect}). Needs root (CAP_NET_ADMIN).
 */
class LinuxTunIT {
  static final String NS = "ct-tun-ping";
  static final String OFFLOAD_NS = "ct-tun-offload";

  static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @Test
  void pingThroughTheTunDevice_isAnsweredByOurReadAndWrite() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertEquals("root", System.getProperty("user.name"), "needs root for TUN and netns");
    sh("ip", "netns", "del", NS);
    assertEquals(0, sh("ip", "netns", "add", NS));
    Process echo = null;
    try {
      sh("ip", "-n", NS, "link", "set", "lo", "up");
      String java = ProcessHandle.current().info().command().orElse("java");
      echo =
          new ProcessBuilder(
                  List.of(
                      "ip",
                      "netns",
                      "exec",
                      NS,
                      java,
                      "--enable-native-access=ALL-UNNAMED",
                      "-cp",
                      System.getProperty("java.class.path"),
                      TunEcho.class.getName(),
                      "ctun0",
                      "10.96.0.1",
                      "24",
                      "3"))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertEquals("ready ctun0", first);
      Process ping =
          new ProcessBuilder(
                  "ip", "netns", "exec", NS, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.96.0.2")
              .redirectErrorStream(true)
              .start();
      String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(ping.waitFor(20, TimeUnit.SECONDS));
      assertTrue(pingOut.contains("3 received"), pingOut);
      assertEquals("answered 3", out.readLine());
      assertTrue(echo.waitFor(10, TimeUnit.SECONDS));
      assertEquals(0, echo.exitValue());
    } finally {
      if (echo != null && echo.isAlive()) {
        echo.destroyForcibly();
      }
      sh("ip", "netns", "del", NS);
    }
  }

  /** Runs TunReflect in a fresh namespace; returns its result line's key=value pairs. */
  static Map<String, String> reflect(String mode, int megabytes, String pcap) throws Exception {
    sh("ip", "netns", "del", OFFLOAD_NS);
    assertEquals(0, sh("ip", "netns", "add", OFFLOAD_NS));
    Process p = null;
    try {
      sh("ip", "-n", OFFLOAD_NS, "link", "set", "lo", "up");
      String java = ProcessHandle.current().info().command().orElse("java");
      p =
          new ProcessBuilder(
                  List.of(
                      "ip",
                      "netns",
                      "exec",
                      OFFLOAD_NS,
                      java,
                      "--enable-native-access=ALL-UNNAMED",
                      "-cp",
                      System.getProperty("java.class.path"),
                      TunReflect.class.getName(),
                      "ctoff0",
                      mode,
                      String.valueOf(megabytes),
                      "40",
                      pcap))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
      assertEquals(0, p.exitValue(), out);
      Map<String, String> kv = new HashMap<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("mode=")) {
          for (String f : line.trim().split(" ")) {
            String[] e = f.split("=", 2);
            kv.put(e[0], e[1]);
          }
        }
      }
      assertTrue(kv.containsKey("bytes"), out);
      kv.put("output", out);
      return kv;
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      sh("ip", "netns", "del", OFFLOAD_NS);
    }
  }

  @Test
  void offload_readsSuperPackets_andTheSegmentsAreAcceptedByTcp() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertEquals("root", System.getProperty("user.name"), "needs root for TUN and netns");
    java.nio.file.Path pcap = java.nio.file.Path.of("target", "tun-offload-segments.pcap");
    java.nio.file.Files.deleteIfExists(pcap);
    Map<String, String> r = reflect("on", 48, pcap.toAbsolutePath().toString());
    String out = r.get("output");
    assertEquals("10", r.get("vnet"), out);
    assertEquals(String.valueOf(48L << 20), r.get("bytes"), out);
    assertEquals("true", r.get("crcOk"), out);
    assertTrue(Long.parseLong(r.get("superPackets")) > 0, out);
    assertTrue(Integer.parseInt(r.get("maxGso")) > 0, out);
    assertTrue(Integer.parseInt(r.get("maxGso")) <= TunReflect.MTU - 40, out);
    assertTrue(Integer.parseInt(r.get("maxRead")) > TunReflect.MTU, out);
    assertTrue(Long.parseLong(r.get("segments")) > Long.parseLong(r.get("reads")), out);
    assertEquals("0", r.get("badChecksums"), out);
    assertEquals("0", r.get("oversized"), out);
    assertEquals("0", r.get("drops"), out);
    assertTsharkFindsGoodChecksums(pcap);
  }

  /** tshark, checking IP and TCP checksums, on the segments cut from the kernel's super-packets. */
  static void assertTsharkFindsGoodChecksums(java.nio.file.Path pcap) throws Exception {
    if ("1".equals(System.getenv("COATI_SKIP_TSHARK"))) {
      return;
    }
    Process p =
        new ProcessBuilder(
                "tshark",
                "-n",
                "-r",
                pcap.toString(),
                "-o",
                "tcp.check_checksum:TRUE",
                "-o",
                "ip.check_checksum:TRUE",
                "-T",
                "fields",
                "-e",
                "ip.checksum.status",
                "-e",
                "tcp.checksum.status",
                "-e",
                "tcp.len")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.strip().split("\n");
    assertEquals(TunReflect.CAPTURE, lines.length, out);
    for (String line : lines) {
      String[] f = line.split("\t");
      assertEquals("1", f[0], "IP checksum good: " + line);
      assertEquals("1", f[1], "TCP checksum good: " + line);
      assertTrue(Integer.parseInt(f[2]) > 0, line);
    }
  }

  @Test
  void plainMode_readsNothingLargerThanTheMtu() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertEquals("root", System.getProperty("user.name"), "needs root for TUN and netns");
    Map<String, String> r = reflect("off", 8, "");
    String out = r.get("output");
    assertEquals("0", r.get("vnet"), out);
    assertEquals("true", r.get("crcOk"), out);
    assertEquals(String.valueOf(8L << 20), r.get("bytes"), out);
    assertEquals("0", r.get("superPackets"), out);
    assertTrue(Integer.parseInt(r.get("maxRead")) <= TunReflect.MTU, out);
    assertEquals("0", r.get("badChecksums"), out);
  }

  @Test
  void badName_isAClearError() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () -> LinuxTun.open("a-name-far-too-long-for-linux", new byte[4], 24, 1400));
    assertTrue(e.getMessage().contains("too long"), e.getMessage());
  }
}
