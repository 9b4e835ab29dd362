package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13 finding 3: logging never blocks packet processing. coati's standard output and error
 * are a one-page pipe that nobody reads (a stalled journald); with a log queue of 16 lines it fills
 * after a few events. A strongSwan road warrior (bob) then connects as fast as against a gateway
 * whose log is read, while another one's (alice's) 0.2 s pings through the tunnel neither stall nor
 * get lost; the dropped lines are counted (coati_log_dropped_total) and summarised in the log. A
 * flood of spoofed packets writes 10 lines and one summary.
 */
class StalledLogIT {
  private static final int CONNECTS = 6;
  private static final int PINGS = 60;

  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  private static final String CONFIG =
      RemoteAccessIT.GATEWAY
          + "metrics:\n  listen: "
          + Netns.SRV_ADDR
          + ":9465\n"
          + "ike:\n  dpd: { delay: 30s, timeout: 120s }\n";

  private static String config() {
    return CONFIG.replace("ike:\n  aggressive_ids: [vpngroup]\n", "");
  }

  @Test
  void aStalledLogReaderDelaysNeitherAConnectNorAnExistingTunnel() throws Exception {
    for (String u : List.of("alice", "bob")) {
      RemoteAccessIT.coati(
          u + "-pass\n",
          "user",
          "add",
          u,
          "--file",
          dir.resolve("users.txt").toString(),
          "--password-stdin");
    }
    List<Long> quiet;
    try (Netns ns = new Netns().addLan().addSecondClient()) {
      Path q = Files.createDirectories(dir.resolve("quiet"));
      Files.copy(dir.resolve("users.txt"), q.resolve("users.txt"));
      try (CoatiProcess coati = new CoatiProcess(q, "stall-psk-1", config());
          Charon bob = bob(q)) {
        quiet = connects(bob, coati);
      }
      Path s = Files.createDirectories(dir.resolve("stalled"));
      Files.copy(dir.resolve("users.txt"), s.resolve("users.txt"));
      try (CoatiProcess coati =
              CoatiProcess.withStalledOutput(
                  s, "stall-psk-1", config(), List.of("-Dcoati.log.queue=16"));
          Charon alice =
              new Charon(
                  s.resolve("alice"),
                  RemoteAccessIT.client("stall-psk-1", false, "alice", "alice-pass"));
          Charon bob = bob(s)) {
        assertEquals(0, alice.swanctl("--initiate", "--child", "rw").code(), alice.log());
        String vip = RemoteAccessIT.virtualIp(alice.swanctl("--list-sas").output());
        Process ping =
            new ProcessBuilder(
                    Netns.inNs(
                        Netns.CLI,
                        "ping",
                        "-c",
                        Integer.toString(PINGS),
                        "-i",
                        "0.2",
                        "-W",
                        "1",
                        "-I",
                        vip,
                        Netns.LAN_HOST))
                .redirectErrorStream(true)
                .start();
        List<Long> stalled = connects(bob, coati);
        assertTrue(ping.waitFor(60, TimeUnit.SECONDS), "ping ends");
        String pings = new String(ping.getInputStream().readAllBytes());
        double dropped = metric("coati_log_dropped_total");
        Path drained = s.resolve("drained.log");
        Process cat = coati.drainStalledOutput(drained);
        coati.stop();
        assertTrue(cat.waitFor(10, TimeUnit.SECONDS), "the pipe closes when coati exits");
        String log = Files.readString(drained);
        System.out.printf(
            "StalledLogIT: connects (ms) quiet %s, with a stalled log %s; %s; %.0f log lines"
                + " dropped%n",
            quiet, stalled, summary(pings), dropped);
        assertTrue(dropped > 0, "the log really stalled (lines were dropped): " + log);
        // every connect succeeded (asserted in connects); typical times within 2x (+0.5 s for a
        // shared machine); the old synchronous log never let one through once the pipe was full
        assertTrue(
            median(stalled) <= 2 * median(quiet) + 500,
            "connects with a stalled log " + stalled + " ms, quiet " + quiet + " ms");
        assertEquals(PINGS, TunnelTrafficIT.received(pings), pings);
        assertTrue(maxRttMillis(pings) < 1000, "no ping stalled: " + pings);
        assertTrue(log.contains(" log lines dropped (the log reader is too slow; total="), log);
        assertTrue(log.contains("IKE SA established peer="), log);
      }
    }
  }

  /**
   * 2000 spoofed main mode first messages without an SA payload (random cookies, from the client
   * namespace): at most {@code PacketLineLimiter.PER_WINDOW} lines about them per 10 s, then one
   * summary line with the number suppressed.
   */
  @Test
  void aFloodOfUnauthenticatedPacketsIsRateLimitedAndSummarised() throws Exception {
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "stall-psk-2", "")) {
      String send =
          """
          import os, socket
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          hdr = bytes([1, 0x10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 28])  # SA next, v1.0, ID_PROT, len 28
          for _ in range(2000):
              s.sendto(os.urandom(8) + bytes(8) + hdr, ("SRV", 500))
          """
              .replace("SRV", Netns.SRV_ADDR);
      Netns.run(Netns.inNs(Netns.CLI, "python3", "-c", send).toArray(String[]::new));
      String summary = " more lines about unauthenticated packets suppressed (logger=";
      for (int i = 0; i < 150 && !coati.log().contains(summary); i++) {
        Thread.sleep(100);
      }
      String log = coati.log();
      long lines = log.lines().filter(l -> l.contains(" dropped malformed message 0: ")).count();
      Matcher m = Pattern.compile("coati: (\\d+)" + Pattern.quote(summary)).matcher(log);
      assertTrue(m.find(), log);
      System.out.printf(
          "StalledLogIT: 2000 spoofed packets, %d lines written, summary: %s%n", lines, m.group());
      assertTrue(lines >= 1 && lines <= 2 * 10, lines + " lines: " + log);
      assertTrue(Long.parseLong(m.group(1)) >= 100, m.group());
    }
  }

  private static Charon bob(Path d) throws Exception {
    return new Charon(
        Netns.CLI2,
        d.resolve("bob"),
        RemoteAccessIT.client("stall-psk-1", false, "bob", "bob-pass"),
        "");
  }

  /** Connects and disconnects bob {@link #CONNECTS} times; each connect's time in ms. */
  private static List<Long> connects(Charon bob, CoatiProcess coati) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < CONNECTS; i++) {
      long t0 = System.nanoTime();
      Netns.Result up = bob.swanctl("--initiate", "--child", "rw");
      times.add((System.nanoTime() - t0) / 1_000_000);
      assertEquals(0, up.code(), up.output() + coati.log() + bob.log());
      assertEquals(0, bob.swanctl("--terminate", "--ike", "rw").code());
    }
    return times;
  }

  private static long median(List<Long> times) {
    List<Long> s = new ArrayList<>(times);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static double metric(String name) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String text =
        Netns.run(
            Netns.inNs(
                    Netns.SRV,
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    HttpGet.class.getName(),
                    "http://" + Netns.SRV_ADDR + ":9465/metrics")
                .toArray(String[]::new));
    Map<String, Double> m = dev.coati.server.metrics.MetricsTest.parse(text);
    assertTrue(m.containsKey(name), text);
    return m.get(name);
  }

  private static double maxRttMillis(String ping) {
    Matcher m = Pattern.compile("= [\\d.]+/[\\d.]+/([\\d.]+)/").matcher(ping);
    assertTrue(m.find(), ping);
    return Double.parseDouble(m.group(1));
  }

  private static String summary(String ping) {
    List<String> l = new ArrayList<>();
    for (String line : ping.split("\n")) {
      if (line.contains("received") || line.contains("rtt")) {
        l.add(line.strip());
      }
    }
    return String.join("; ", l);
  }
}
