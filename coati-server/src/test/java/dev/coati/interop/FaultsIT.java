package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults and the process itself: SIGHUP under {@code nohup}, no core dumps, the drop from root to
 * {@code gateway.user} (checked for every thread in /proc), with a real strongSwan client still
 * served afterwards.
 */
class FaultsIT {
  @TempDir Path dir;

  /** CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13). */
  static final long THREE_CAPS = (1L << 10) | (1L << 12) | (1L << 13);

  @BeforeEach
  void needsRoot() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  static String field(String status, String name) {
    return status
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .findFirst()
        .orElseThrow()
        .substring(name.length() + 1)
        .trim();
  }

  @Test
  void underNohup_sighupReloads_andNoCoreDumps() throws Exception {
    try (Netns ns = new Netns();
        CoatiProcess coati =
            new CoatiProcess(dir, "rf-psk-1", "", "", List.of("nohup"), List.of())) {
      String sigIgn =
          field(Files.readString(Path.of("/proc/" + coati.pid() + "/status")), "SigIgn");
      assertEquals(0, Long.parseLong(sigIgn, 16) & 1, "SIGHUP no longer ignored: " + sigIgn);
      assertTrue(coati.log().contains("SIGHUP was ignored (nohup?)"), coati.log());
      Netns.run("kill", "-HUP", Long.toString(coati.pid()));
      for (int i = 0; i < 50 && !coati.log().contains("coati: reload: reloaded"); i++) {
        Thread.sleep(100);
      }
      assertTrue(coati.log().contains("coati: reload: reloaded"), coati.log());
      String limits = Files.readString(Path.of("/proc/" + coati.pid() + "/limits"));
      assertTrue(
          limits.lines().anyMatch(l -> l.matches("Max core file size\\s+0\\s+0\\s+bytes.*")),
          limits);
      assertEquals(0, coati.stop() == -1 ? 1 : 0, "still alive and stops on SIGTERM");
    }
  }

  @Test
  void startedAsRoot_dropsToGatewayUser_onEveryThread_andStillServes() throws Exception {
    RemoteAccessIT.coati(
        "nobody-pass\n",
        "user",
        "add",
        "alice",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    // nobody must reach its state directory through the test's 0700 temporary directory
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati =
            new CoatiProcess(
                dir,
                "rf-psk-2",
                RemoteAccessIT.GATEWAY,
                "  user: nobody\n",
                List.of(),
                List.of("--state-dir", state.toString()))) {
      assertTrue(coati.log().contains("coati: dropped root: now user nobody"), coati.log());
      List<Path> tasks;
      try (Stream<Path> s = Files.list(Path.of("/proc/" + coati.pid() + "/task"))) {
        tasks = s.toList();
      }
      assertTrue(tasks.size() > 5, "a JVM has many threads: " + tasks);
      List<String> bad = new ArrayList<>();
      int withCaps = 0;
      for (Path t : tasks) {
        String st = Files.readString(t.resolve("status"));
        String name = field(st, "Name");
        if (!field(st, "Uid").equals("65534\t65534\t65534\t65534")
            || !field(st, "Gid").equals("65534\t65534\t65534\t65534")
            || !field(st, "Groups").isEmpty()) {
          bad.add(
              name
                  + ": "
                  + field(st, "Uid")
                  + " / "
                  + field(st, "Gid")
                  + " / "
                  + field(st, "Groups"));
        }
        long eff = Long.parseLong(field(st, "CapEff"), 16);
        long prm = Long.parseLong(field(st, "CapPrm"), 16);
        long inh = Long.parseLong(field(st, "CapInh"), 16);
        long amb = Long.parseLong(field(st, "CapAmb"), 16);
        if ((eff & ~THREE_CAPS) != 0 || (prm & ~THREE_CAPS) != 0 || inh != 0 || amb != 0) {
          bad.add(name + ": CapEff " + Long.toHexString(eff) + " CapPrm " + Long.toHexString(prm));
        }
        if (eff == THREE_CAPS) {
          withCaps++;
        }
      }
      assertEquals(List.of(), bad, "every thread runs as nobody with at most the three caps");
      assertTrue(withCaps >= 1, "the socket thread keeps the three capabilities");
      try (Charon c =
          new Charon(
              dir.resolve("cli"),
              RemoteAccessIT.client("rf-psk-2", false, "alice", "nobody-pass"))) {
        Netns.Result up = c.swanctl("--initiate", "--child", "rw");
        assertEquals(0, up.code(), up.output() + coati.log() + c.log());
        String vip = RemoteAccessIT.virtualIp(c.swanctl("--list-sas").output());
        Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
        assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
        Path leases = state.resolve("leases");
        for (int i = 0;
            i < 30 && !(Files.exists(leases) && Files.readString(leases).contains(vip));
            i++) {
          Thread.sleep(100);
        }
        assertTrue(Files.readString(leases).contains(vip + " alice "), "saved as nobody");
        assertEquals("nobody", Files.getOwner(leases).getName());
      }
      assertFalse(coati.log().contains("nobody-pass"));
      assertEquals(143, coati.stop(), "a clean stop after the drop: " + coati.log());
      assertTrue(coati.log().contains("coati: stopped"), coati.log());
    }
  }

  /** strongSwan with DPD off: child rekey every 20 s, restart when an exchange times out. */
  static String noDpdClient(String psk, String user, String password) {
    return RemoteAccessIT.client(psk, false, user, password)
        .replace("dpd_delay = 2s", "dpd_delay = 0s")
        .replace(
            "esp_proposals = aes128-sha1 }",
            "esp_proposals = aes128-sha1\n rekey_time = 20s\n rand_time = 0s\n"
                + " dpd_action = restart }");
  }

  /** The gateway without SA resumption: what the lease store and INVALID-SPI do alone. */
  static final String NO_RESUME = RemoteAccessIT.GATEWAY + "state:\n  resume_sas: false\n";

  /**
   * kill -9 and a restart without SA resumption ({@code state.resume_sas: false}; ResumeIT has it
   * on): the old client's address is held for it (a new client gets another), its tunnel comes back
   * by itself (no DPD) with the same address, and the black-hole time is printed. The restarted
   * gateway answers the old client's ESP with INVALID-SPI notifies.
   */
  @Test
  void killNine_restart_leaseHeld_andTheClientWithoutDpdComesBack() throws Exception {
    for (String[] u : new String[][] {{"alice", "alice-pass"}, {"bob", "bob-pass"}}) {
      RemoteAccessIT.coati(
          u[1] + "\n",
          "user",
          "add",
          u[0],
          "--file",
          dir.resolve("users.txt").toString(),
          "--password-stdin");
    }
    Path state = dir.resolve("state");
    List<String> args = List.of("--state-dir", state.toString());
    try (Netns ns = new Netns().addLan().addSecondClient();
        Charon alice =
            new Charon(dir.resolve("alice"), noDpdClient("rf-psk-3", "alice", "alice-pass"))) {
      String vip;
      String firstLog;
      try (CoatiProcess coati = new CoatiProcess(dir, "rf-psk-3", NO_RESUME, "", List.of(), args)) {
        Netns.Result up = alice.swanctl("--initiate", "--child", "rw");
        assertEquals(0, up.code(), up.output() + coati.log() + alice.log());
        vip = RemoteAccessIT.virtualIp(alice.swanctl("--list-sas").output());
        Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
        assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
        for (int i = 0; i < 30 && !Files.readString(state.resolve("leases")).contains(vip); i++) {
          Thread.sleep(100);
        }
        assertTrue(Files.readString(state.resolve("leases")).contains(vip + " alice "));
        firstLog = coati.log();
      } // close() = SIGKILL: no Delete reaches the client
      long killed = System.nanoTime();
      try (CoatiProcess coati = new CoatiProcess(dir, "rf-psk-3", NO_RESUME, "", List.of(), args)) {
        assertTrue(
            coati.log().contains("1 address held for the sessions from before"), coati.log());
        try (Charon bob =
            new Charon(
                Netns.CLI2,
                dir.resolve("bob"),
                RemoteAccessIT.client("rf-psk-3", false, "bob", "bob-pass"),
                "")) {
          Netns.Result up = bob.swanctl("--initiate", "--child", "rw");
          assertEquals(0, up.code(), up.output() + coati.log() + bob.log());
          String bobVip = RemoteAccessIT.virtualIp(bob.swanctl("--list-sas").output());
          assertFalse(bobVip.equals(vip), "bob must not get alice's held " + vip);
        }
        long back = -1;
        int lost = 0;
        for (int i = 0; i < 240 && back < 0; i++) { // at most ~120-240 s
          Netns.Result p = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 1, "56");
          if (TunnelTrafficIT.received(p.output()) == 1) {
            back = System.nanoTime();
          } else {
            lost++;
            Thread.sleep(300);
          }
        }
        String log = coati.log();
        assertTrue(back > 0, "alice's tunnel never came back:\n" + log + alice.log());
        System.out.printf(
            "FaultsIT: strongSwan (no DPD) black hole after kill -9: %.1f s (%d probes lost);"
                + " INVALID-SPI notifies seen by charon: %s%n",
            (back - killed) / 1e9, lost, alice.log().contains("INVALID_SPI"));
        String sas = alice.swanctl("--list-sas").output();
        assertEquals(vip, RemoteAccessIT.virtualIp(sas), "alice got her address back");
        assertTrue(log.contains("address assigned user=alice address=" + vip), log);
        assertFalse(firstLog.contains("alice-pass") || log.contains("alice-pass"));
      }
    }
  }

  /**
   * vpnc (aggressive mode, group PSK + Xauth, userspace ESP on its own TUN) connects and pings;
   * after kill -9 and a restart without SA resumption its address is held, its ESP is answered with
   * INVALID-SPI notifies (counted in the metrics), and how long it stays black-holed is printed
   * (vpnc does not act on unauthenticated notifies and has no DPD here).
   */
  @Test
  void vpnc_connects_andAfterKillNine_getsInvalidSpiNotifies() throws Exception {
    RemoteAccessIT.coati(
        "alice-pass\n",
        "user",
        "add",
        "alice",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
    Path conf = Vpnc.config(dir, "rf-psk-4", "rfvpnc0");
    String gateway = NO_RESUME + "metrics:\n  listen: " + Netns.SRV_ADDR + ":9465\n";
    List<String> args = List.of("--state-dir", dir.resolve("state").toString());
    Process vpnc = null;
    try (Netns ns = new Netns()) {
      String vip;
      try (CoatiProcess coati = new CoatiProcess(dir, "rf-psk-4", gateway, "", List.of(), args)) {
        vpnc =
            new ProcessBuilder(Netns.inNs(Netns.CLI, "vpnc", conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("vpnc.log").toFile())
                .start();
        vip = Vpnc.awaitConnect(dir, coati); // its script has routed the tunnel
        Netns.Result ping =
            Netns.tryRun(
                Netns.inNs(Netns.CLI, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.99.1")
                    .toArray(String[]::new));
        assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
        for (int i = 0;
            i < 30 && !Files.readString(dir.resolve("state/leases")).contains(vip);
            i++) {
          Thread.sleep(100);
        }
      } // SIGKILL
      long killed = System.nanoTime();
      try (CoatiProcess coati = new CoatiProcess(dir, "rf-psk-4", gateway, "", List.of(), args)) {
        assertTrue(
            coati.log().contains("1 address held for the sessions from before"), coati.log());
        int lost = 0;
        long back = -1;
        for (int i = 0; i < 20 && back < 0; i++) {
          Netns.Result p =
              Netns.tryRun(
                  Netns.inNs(Netns.CLI, "ping", "-c", "1", "-W", "1", "10.99.99.1")
                      .toArray(String[]::new));
          if (TunnelTrafficIT.received(p.output()) == 1) {
            back = System.nanoTime();
          } else {
            lost++;
          }
        }
        double sent =
            MetricsScrape.scrape(Netns.SRV, Netns.SRV_ADDR + ":9465")
                .get("coati_esp_invalid_spi_notifies_total{result=\"sent\"}");
        assertTrue(sent >= 1, "vpnc's ESP was answered: " + sent);
        assertTrue(vpnc.isAlive(), "vpnc still thinks it is connected");
        System.out.printf(
            "FaultsIT: vpnc (no DPD) after kill -9: %s; %d probes lost; %.0f INVALID-SPI notifies%n",
            back < 0
                ? String.format(
                    "still black-holed after %.1f s", (System.nanoTime() - killed) / 1e9)
                : String.format("back after %.1f s", (back - killed) / 1e9),
            lost,
            sent);
      }
    } finally {
      if (vpnc != null) {
        vpnc.destroy();
        vpnc.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        vpnc.destroyForcibly();
      }
    }
  }

  /** Scrapes /metrics from inside a namespace (as L2tpIpsecIT does). */
  static final class MetricsScrape {
    static java.util.Map<String, Double> scrape(String ns, String hostPort) throws Exception {
      String java = ProcessHandle.current().info().command().orElse("java");
      String text =
          Netns.run(
              Netns.inNs(
                      ns,
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      HttpGet.class.getName(),
                      "http://" + hostPort + "/metrics")
                  .toArray(String[]::new));
      return dev.coati.server.metrics.MetricsTest.parse(text);
    }
  }
}
