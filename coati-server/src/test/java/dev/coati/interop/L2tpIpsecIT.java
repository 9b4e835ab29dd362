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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L2TP/IPsec against coati as its own process in the gateway namespace, with real Linux clients:
 * Debian VMs under qemu ({@link QemuVm}, interop/vm) running strongSwan 5.9.8 (IKEv1 main mode PSK,
 * ESP transport mode for UDP/1701), xl2tpd and pppd, the client side of seed 001. Topology (all
 * namespaces made here): bridge l2br0 10.98.0.1/24 in the gateway namespace for VMs that see the
 * gateway directly; bridge 10.1.0.1/24 in a NAT namespace (MASQUERADE towards the gateway's
 * 10.98.1.1) for VMs behind one NAT; a LAN host 10.203.0.2 behind the gateway. Case g needs no VM:
 * a plain (non-IPsec) SCCRQ to UDP 1701 is dropped, counted, and never answered.
 */
class L2tpIpsecIT {
  static final String SRV = "coati-l2-srv";
  static final String NAT = "coati-l2-nat";
  static final String LAN = "coati-l2-lan";
  static final String DIRECT_GW = "10.98.0.1";
  static final String NAT_GW = "10.98.1.1";
  static final String LAN_HOST = "10.203.0.2";

  @TempDir Path dir;
  private final List<QemuVm> vms = new java.util.ArrayList<>();

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

  @org.junit.jupiter.api.AfterEach
  void tearDown() throws Exception {
    for (QemuVm vm : vms) {
      vm.close();
    }
    deleteNamespaces();
  }

  static void deleteNamespaces() throws Exception {
    Netns.remove(SRV, NAT, LAN);
  }

  /** The gateway namespace with both bridges' worlds and the LAN host behind it. */
  static void topology() throws Exception {
    deleteNamespaces();
    for (String ns : List.of(SRV, NAT, LAN)) {
      Netns.run("ip", "netns", "add", ns);
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Netns.run("ip", "-n", SRV, "link", "add", "l2br0", "type", "bridge");
    Netns.run("ip", "-n", SRV, "addr", "add", DIRECT_GW + "/24", "dev", "l2br0");
    Netns.run("ip", "-n", SRV, "link", "set", "l2br0", "up");
    Netns.run("ip", "-n", NAT, "link", "add", "l2br1", "type", "bridge");
    Netns.run("ip", "-n", NAT, "addr", "add", "10.1.0.1/24", "dev", "l2br1");
    Netns.run("ip", "-n", NAT, "link", "set", "l2br1", "up");
    Netns.veth(SRV, "l2s1", NAT_GW, NAT, "l2n1", "10.98.1.254");
    Netns.veth(SRV, "l2s2", "10.203.0.1", LAN, "l2l0", LAN_HOST);
    Netns.run("ip", "-n", LAN, "route", "add", "default", "via", "10.203.0.1");
    Netns.run("ip", "netns", "exec", SRV, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    Netns.masquerade(NAT, "l2n1");
  }

  /**
   * A client VM: on the gateway's bridge ({@code nat} false, address 10.98.0.N) or behind the NAT
   * (10.1.0.N, default route via the NAT box), routing the LAN through its PPP link.
   */
  QemuVm client(int n, boolean nat, Map<String, String> params) throws Exception {
    String ns = nat ? NAT : SRV;
    String tap = "l2tap" + n;
    QemuVm.tap(ns, tap);
    Netns.run("ip", "-n", ns, "link", "set", tap, "master", nat ? "l2br1" : "l2br0", "up");
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("MAC", String.format("52:54:00:98:%02x:%02x", nat ? 1 : 0, n));
    p.put("SERVER", nat ? NAT_GW : DIRECT_GW);
    p.put("VMIP", (nat ? "10.1.0." : "10.98.0.") + (10 + n) + "/24");
    if (nat) {
      p.put("VMGW", "10.1.0.1");
    }
    p.put("PSK", PSK);
    p.put("RIGHTID", "@vpn.test"); // CoatiProcess's gateway.id: fqdn:vpn.test
    p.put("ROUTES", "10.203.0.0/24");
    p.put("PING_TARGET", LAN_HOST);
    p.put("PING_SIZES", "56 1400");
    p.putAll(params);
    QemuVm vm = QemuVm.boot(ns, tap, dir.resolve("vm" + n), p);
    vms.add(vm);
    return vm;
  }

  static final String PSK = "it-l2tp-psk";

  /** coati in the gateway namespace on both of its client-facing addresses. */
  CoatiProcess gateway() throws Exception {
    return gateway("");
  }

  CoatiProcess gateway(String extra) throws Exception {
    return new CoatiProcess(SRV, DIRECT_GW + ", " + NAT_GW, dir, PSK, GATEWAY + extra);
  }

  /** The gateway's Prometheus endpoint, scraped from inside its namespace and parsed. */
  static Map<String, Double> scrape() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String text =
        Netns.run(
            Netns.inNs(
                    SRV,
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    HttpGet.class.getName(),
                    "http://" + DIRECT_GW + ":9465/metrics")
                .toArray(String[]::new));
    return dev.coati.server.metrics.MetricsTest.parse(text);
  }

  /** alice: plain text (CHAP-MD5 needs it); carol: PBKDF2 + NT hash by coati user add. */
  void standardUsers() throws Exception {
    users("alice:{plain}alice-pass\ndave:{plain}dave-pass::address=10.99.99.44\n");
    RemoteAccessIT.coati(
        "carol-pass\n",
        "user",
        "add",
        "carol",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
  }

  static void assertConnected(Map<String, String> r, String encap) {
    String all = r.toString();
    assertEquals("0", r.get("IPSEC_UP"), all);
    assertEquals("transport", r.get("ESP_MODE"), all);
    assertEquals(encap, r.get("ESP_ENCAP"), all);
    assertEquals("yes", r.get("L2TP_TUNNEL"), all);
    assertEquals("yes", r.get("PPP_UP"), all);
    assertTrue(r.get("PPP_IP").startsWith("10.99.99."), all);
    assertEquals("10.99.99.1", r.get("PPP_PEER"), all);
    assertEquals("10.99.99.53", r.get("PPP_DNS1"), all);
    assertEquals("0", r.get("PING_56"), "LAN host, 56 bytes: " + all);
    assertEquals("0", r.get("PING_1400"), "LAN host, 1400 bytes: " + all);
  }

  /** Case a: PSK + MS-CHAPv2 from the NT hash of the users file, plain ESP, LAN pinged. */
  @Test
  void a_msChapV2_addressDnsAndLanPings() throws Exception {
    topology();
    standardUsers();
    java.nio.file.Path hook = dir.resolve("hook.sh");
    java.nio.file.Files.writeString(
        hook,
        "#!/bin/sh\nenv | grep ^COATI_ | sort > " + dir.resolve("hook-$COATI_EVENT.env") + "\n");
    java.nio.file.Files.setPosixFilePermissions(
        hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    String extra =
        "metrics:\n  listen: "
            + DIRECT_GW
            + ":9465\n"
            + "events:\n  json_log: events.jsonl\n  up_script: hook.sh\n  down_script: hook.sh\n";
    try (CoatiProcess coati = gateway(extra)) {
      QemuVm vm =
          client(
              1,
              false,
              Map.of("USER", "carol", "PASSWORD", "carol-pass", "AUTH", "mschapv2", "HOLD", "60"));
      Map<String, String> r = vm.awaitResult(java.time.Duration.ofMinutes(5));
      assertConnected(r, "none");
      vm.awaitFile("up", java.time.Duration.ofMinutes(1));
      Map<String, Double> m = scrape(); // the session is up: the endpoint shows it
      assertEquals(1, m.get("coati_ppp_sessions"), m.toString());
      assertEquals(1, m.get("coati_l2tp_tunnels"), m.toString());
      assertEquals(1, m.get("coati_pool_addresses{state=\"leased\"}"), m.toString());
      assertEquals(1, m.get("coati_auth_total{method=\"mschapv2\",result=\"success\"}"));
      assertTrue(m.get("coati_dataplane_packets_total{direction=\"in\"}") >= 6, m.toString());
      assertTrue(m.get("coati_dataplane_bytes_total{direction=\"in\"}") > 3 * 1400, m.toString());
      assertEquals(0, m.get("coati_dataplane_drops_total{reason=\"spoofed\"}"), m.toString());
      vm.signal("stop");
      assertEquals("mschapv2", r.get("PPP_AUTH_PROTO"), r.toString());
      // this pppd sends no CCP (no compressors in the VM); its IPV6CP gets the Protocol-Reject
      // that CCP gets too (PppSessionClientsTest replays a Windows client's CCP)
      String ppp = java.nio.file.Files.readString(vm.share().resolve("out/pppd.log"));
      assertTrue(ppp.contains("Protocol-Reject for 'IPv6 Control Protocol'"), ppp);
      assertEquals(0, vm.awaitExit(java.time.Duration.ofSeconds(90)), "orderly disconnect");
      String log = coati.log();
      assertTrue(log.contains("PPP up user=carol address=" + r.get("PPP_IP") + " "), log);
      assertTrue(
          log.contains("address released user=carol"), "the address went back to the pool: " + log);
      coati.stop(); // flushes the event log
      List<String> events = java.nio.file.Files.readAllLines(dir.resolve("events.jsonl"));
      assertEquals(2, events.size(), events.toString());
      assertTrue(
          events.get(0).contains("\"event\":\"up\",\"kind\":\"l2tp\"")
              && events.get(0).contains("\"user\":\"carol\"")
              && events.get(0).contains("\"address\":\"" + r.get("PPP_IP") + "\""),
          events.toString());
      assertTrue(events.get(1).contains("\"event\":\"down\""), events.toString());
      // the PPP session's own counters: the pings (3 x 84 and 3 x 1428 bytes) at least
      java.util.regex.Matcher in =
          java.util.regex.Pattern.compile("\"bytes_in\":(\\d+),").matcher(events.get(1));
      assertTrue(in.find() && Long.parseLong(in.group(1)) >= 3 * 84 + 3 * 1428, events.get(1));
      String up = java.nio.file.Files.readString(dir.resolve("hook-up.env"));
      assertTrue(up.contains("COATI_USER=carol\n") && up.contains("COATI_INTERFACE=coati0\n"), up);
      String down = java.nio.file.Files.readString(dir.resolve("hook-down.env"));
      assertTrue(down.contains("COATI_ADDRESS=" + r.get("PPP_IP") + "\n"), down);
    }
  }

  /** Case b: CHAP-MD5 (alice, plain text) and PAP (carol, PBKDF2 hash), two clients at once. */
  @Test
  void b_chapMd5AndPap() throws Exception {
    topology();
    standardUsers();
    try (CoatiProcess coati = gateway()) {
      QemuVm chap =
          client(2, false, Map.of("USER", "alice", "PASSWORD", "alice-pass", "AUTH", "chap"));
      QemuVm pap =
          client(3, false, Map.of("USER", "carol", "PASSWORD", "carol-pass", "AUTH", "pap"));
      Map<String, String> c = chap.awaitResult(java.time.Duration.ofMinutes(5));
      Map<String, String> p = pap.awaitResult(java.time.Duration.ofMinutes(5));
      assertConnected(c, "none");
      assertConnected(p, "none");
      assertEquals("chap", c.get("PPP_AUTH_PROTO"), c.toString());
      assertEquals("pap", p.get("PPP_AUTH_PROTO"), p.toString());
      assertTrue(!c.get("PPP_IP").equals(p.get("PPP_IP")), c + " / " + p);
    }
  }

  /**
   * Cases c and d: two clients behind the same NAT at once, both on inner port 1701, ESP in UDP
   * 4500 with NAT-OA; both up, both ping; dave gets his static address.
   */
  @Test
  void cd_twoClientsBehindOneNat() throws Exception {
    topology();
    standardUsers();
    try (CoatiProcess coati = gateway()) {
      QemuVm one = client(4, true, Map.of("USER", "carol", "PASSWORD", "carol-pass", "HOLD", "60"));
      QemuVm two = client(5, true, Map.of("USER", "dave", "PASSWORD", "dave-pass", "HOLD", "60"));
      Map<String, String> r1 = one.awaitResult(java.time.Duration.ofMinutes(5));
      Map<String, String> r2 = two.awaitResult(java.time.Duration.ofMinutes(5));
      assertConnected(r1, "udp");
      assertConnected(r2, "udp");
      assertEquals("10.99.99.44", r2.get("PPP_IP"), "dave's static address: " + r2);
      // both sessions at the same time: each pings again while the other is still up
      one.awaitFile("up", java.time.Duration.ofMinutes(2));
      two.awaitFile("up", java.time.Duration.ofMinutes(2));
      String log = coati.log();
      assertTrue(
          log.contains("PPP up user=carol ")
              && log.contains("PPP up user=dave address=10.99.99.44 "),
          log);
      assertEquals(2, count(log, "PPP starts peer=10.98.1.254:"), "both via the NAT: " + log);
      one.signal("stop");
      two.signal("stop");
      assertEquals(0, one.awaitExit(java.time.Duration.ofSeconds(90)));
      assertEquals(0, two.awaitExit(java.time.Duration.ofSeconds(90)));
    }
  }

  /**
   * Case e: a wrong password fails PPP authentication with E=691 and leases nothing; case f: a
   * client VM powered off abruptly is found dead by LCP echo (no DPD) and its address released.
   */
  @Test
  void ef_wrongPasswordAndVanishedClient() throws Exception {
    topology();
    standardUsers();
    try (CoatiProcess coati = gateway()) {
      QemuVm wrong =
          client(6, false, Map.of("USER", "carol", "PASSWORD", "not-carols", "AUTH", "mschapv2"));
      QemuVm gone =
          client(7, false, Map.of("USER", "alice", "PASSWORD", "alice-pass", "HOLD", "300"));
      Map<String, String> w = wrong.awaitResult(java.time.Duration.ofMinutes(5));
      assertEquals("0", w.get("IPSEC_UP"), w.toString());
      assertEquals("yes", w.get("PPP_AUTH_FAILED"), w.toString());
      assertEquals("no", w.get("OK"), w.toString());
      String ppp = java.nio.file.Files.readString(wrong.share().resolve("out/pppd.log"));
      assertTrue(ppp.contains("E=691"), "MS-CHAPv2 failure code 691: " + ppp);
      Map<String, String> g = gone.awaitResult(java.time.Duration.ofMinutes(5));
      assertConnected(g, "none");
      gone.awaitFile("up", java.time.Duration.ofMinutes(1));
      String before = coati.log();
      assertTrue(before.contains("PPP authentication failed user=carol "), before);
      assertTrue(
          !before.contains("address assigned user=carol"), "no lease after a failure: " + before);
      long t0 = System.nanoTime();
      gone.powerOff();
      String released = "address=" + g.get("PPP_IP") + " reason=\"LCP echo timeout";
      for (int i = 0; i < 150 && !coati.log().contains(released); i++) {
        Thread.sleep(200);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(coati.log().contains(released), coati.log());
      // LCP echo every 2 s, dead after 3 unanswered: within about 3 intervals and a tick
      assertTrue(seconds < 12, "released after " + seconds + " s");
      System.out.printf("L2tpIpsecIT: vanished client released after %.1f s%n", seconds);
      // the CDN goes unanswered: the tunnel times out and the IKE SA (no DPD from Windows and
      // iOS clients) is deleted too
      String kicked = "its L2TP tunnel timed out";
      for (int i = 0; i < 300 && !coati.log().contains(kicked); i++) {
        Thread.sleep(200);
      }
      assertTrue(coati.log().contains(kicked), coati.log());
    }
  }

  /**
   * Case h: MS-CHAPv2 checked by a real FreeRADIUS (in the gateway namespace); its
   * Framed-IP-Address is the PPP address; {@code coati status --json} shows the L2TP session with
   * its user and client; {@code coati kick} ends it (StopCCN, Delete, address released) and the
   * accounting Stop carries the PPP session's counters and Admin-Reset.
   */
  @Test
  void h_msChapV2ThroughRadius_statusAndKick() throws Exception {
    topology();
    Path secret = dir.resolve("radius-secret.txt");
    java.nio.file.Files.writeString(secret, FreeRadius.SECRET + "\n");
    java.nio.file.Files.setPosixFilePermissions(
        secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (FreeRadius radius = new FreeRadius(dir.resolve("radius"), SRV)) {
      String gw =
          GATEWAY.replace("users:\n  file: users.txt\n", "users:\n  source: radius\n")
              + "radius:\n  servers: [ { address: 127.0.0.1, port: "
              + radius.authPort
              + ", acct_port: "
              + radius.acctPort
              + ", secret_file: radius-secret.txt } ]\n  accounting: true\n";
      try (CoatiProcess coati = new CoatiProcess(SRV, DIRECT_GW + ", " + NAT_GW, dir, PSK, gw)) {
        QemuVm vm =
            client(
                8,
                false,
                Map.of(
                    "USER", "carol", "PASSWORD", "carol-pass", "AUTH", "mschapv2", "HOLD", "120"));
        Map<String, String> r = vm.awaitResult(java.time.Duration.ofMinutes(5));
        assertConnected(r, "none");
        assertEquals("10.99.99.77", r.get("PPP_IP"), "RADIUS's Framed-IP-Address: " + r);
        assertEquals("mschapv2", r.get("PPP_AUTH_PROTO"), r.toString());
        Path sock = dir.resolve("coati.sock");
        Netns.Result st = CoatiProcess.cli("", "status", "--json", "--socket", sock.toString());
        String j = st.output();
        assertEquals(0, st.code(), j);
        assertTrue(j.contains("\"kind\":\"l2tp\""), j);
        assertTrue(j.contains("\"user\":\"carol\""), j);
        assertTrue(j.contains("\"address\":\"10.99.99.77\""), j);
        assertTrue(j.contains("\"auth\":\"psk+ppp\""), j);
        assertTrue(j.contains("(L2TP"), "client kind from the SCCRQ: " + j);
        assertTrue(j.contains("\"mode\":\"transport\""), j);
        String start = null;
        for (int i = 0; i < 100 && start == null; i++) {
          List<String> s = radius.records("Acct-Status-Type = Start", "User-Name = \"carol\"");
          start = s.isEmpty() ? null : s.get(0);
          Thread.sleep(100);
        }
        assertTrue(
            start != null && start.contains("Framed-IP-Address = 10.99.99.77"), radius.detail());
        Netns.Result kick = CoatiProcess.cli("", "kick", "carol", "--socket", sock.toString());
        assertEquals(0, kick.code(), kick.output());
        assertTrue(kick.output().contains("kicked l2tp-"), kick.output());
        String released = "address released user=carol address=10.99.99.77 ";
        for (int i = 0; i < 100 && !coati.log().contains(released); i++) {
          Thread.sleep(100);
        }
        assertTrue(coati.log().contains(released), coati.log());
        String stop = null;
        for (int i = 0; i < 100 && stop == null; i++) {
          List<String> s = radius.records("Acct-Status-Type = Stop", "User-Name = \"carol\"");
          stop = s.isEmpty() ? null : s.get(0);
          Thread.sleep(100);
        }
        assertTrue(stop != null, radius.detail() + coati.log());
        assertTrue(stop.contains("Acct-Terminate-Cause = Admin-Reset"), stop);
        // the client pinged the LAN host three times with 56 and three with 1400 bytes
        assertTrue(FreeRadius.value(stop, "Acct-Input-Packets") >= 6, stop);
        assertTrue(FreeRadius.value(stop, "Acct-Output-Packets") >= 6, stop);
        assertTrue(FreeRadius.value(stop, "Acct-Input-Octets") > 3 * 1428, stop);
        Netns.Result after = CoatiProcess.cli("", "status", "--socket", sock.toString());
        assertEquals("no sessions\n", after.output(), coati.log());
      }
    }
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

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
