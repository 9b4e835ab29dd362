package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unmodified strongSwan 5.9 charon (IKEv1 initiator, userspace ESP via kernel-libipsec, which
 * always floats to UDP 4500) negotiates with coati running as its own process in another network
 * namespace. Needs root and the Debian packages strongswan-charon, strongswan-swanctl and
 * libcharon-extra-plugins (.ci/run installs them); fails without them unless COATI_SKIP_INTEROP=1.
 */
class StrongSwanInteropIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(
        Netns.available(),
        "needs root and strongSwan (apt-get install strongswan-charon strongswan-swanctl "
            + "libcharon-extra-plugins), or COATI_SKIP_INTEROP=1");
  }

  static String connection(
      String name, boolean aggressive, String localId, String ike, String esp) {
    return """
        NAME {
          version = 1
          aggressive = AGGR
          remote_addrs = SRV
          proposals = IKE
          local { auth = psk
                  LOCALID }
          remote { auth = psk
                   id = fqdn:vpn.test }
          children { NAME { remote_ts = 10.200.0.0/24
                            esp_proposals = ESP } }
        }
        """
        .replace("NAME", name)
        .replace("AGGR", aggressive ? "yes" : "no")
        .replace("SRV", Netns.SRV_ADDR)
        .replace("IKE", ike)
        .replace("ESP", esp)
        .replace("LOCALID", localId == null ? "" : "id = " + localId);
  }

  static String swanctl(String psk, String... connections) {
    return "connections {\n"
        + String.join("\n", connections)
        + "}\n"
        + "secrets { ike-it { secret = \""
        + psk
        + "\" } }\n";
  }

  static void assertUp(Charon c, String child) throws Exception {
    Netns.Result r = c.swanctl("--initiate", "--child", child);
    assertEquals(0, r.code(), child + ": " + r.output());
    String sas = c.swanctl("--list-sas").output();
    assertTrue(sas.contains("ESTABLISHED, IKEv1"), sas);
    assertTrue(sas.contains("INSTALLED, TUNNEL-in-UDP"), sas);
  }

  @Test
  void mainModePsk_thenPoliteShutdown() throws Exception {
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "it-psk-1", "");
        Charon c =
            new Charon(
                dir.resolve("cli"),
                swanctl(
                    "it-psk-1",
                    connection("mm", false, null, "aes256-sha256-modp2048", "aes256-sha256")))) {
      assertUp(c, "mm");
      assertTrue(coati.log().contains("CHILD SA established"), coati.log());
      assertEquals(143, coati.stop(), "the JVM reports 128+SIGTERM after its shutdown hooks ran");
      assertTrue(coati.log().contains("coati: stopped"), coati.log());
      Thread.sleep(500);
      String log = c.log();
      // the ISAKMP Delete goes first (vpnc answers ESP Deletes that come first with a new quick
      // mode, VpncIT); strongSwan then deletes the IKE_SA with its CHILD_SAs, and nothing is left
      assertTrue(log.contains("received DELETE for IKE_SA"), log);
      assertTrue(log.contains("deleting IKE_SA mm[1]"), log);
      String sas = c.swanctl("--list-sas").output();
      assertFalse(sas.contains("ESTABLISHED") || sas.contains("INSTALLED"), sas);
    }
  }

  @Test
  void aggressiveModePsk_withKeyId() throws Exception {
    try (Netns ns = new Netns();
        CoatiProcess coati =
            new CoatiProcess(dir, "it-psk-2", "ike:\n  aggressive_ids: [vpngroup]\n");
        Charon c =
            new Charon(
                dir.resolve("cli"),
                swanctl(
                    "it-psk-2",
                    connection(
                        "am", true, "keyid:vpngroup", "aes128-sha1-modp2048", "aes128-sha1")))) {
      assertUp(c, "am");
      assertTrue(coati.log().contains(" mode=aggressive "), coati.log());
      assertTrue(coati.log().contains(" id=keyid:vpngroup "), "a readable key ID: " + coati.log());
    }
  }

  @Test
  void proposalSweep_everyCombinationOfIssue3() throws Exception {
    List<String[]> sweep =
        List.of(
            new String[] {"aes128-sha1-modp1024", "aes128-sha1"},
            new String[] {"aes256-sha256-modp2048", "aes256-sha256"},
            new String[] {"aes256-sha384-ecp384", "aes128gcm16"},
            new String[] {"aes128-sha256-ecp256", "aes256gcm16"},
            new String[] {"3des-md5-modp1024", "3des-md5"});
    StringBuilder conns = new StringBuilder();
    for (int i = 0; i < sweep.size(); i++) {
      conns.append(connection("p" + i, false, null, sweep.get(i)[0], sweep.get(i)[1]));
    }
    String coatiCfg =
        "ike:\n  proposals: [aes128-sha1-modp1024, aes256-sha256-modp2048, aes256-sha384-ecp384,"
            + " aes128-sha256-ecp256, 3des-md5-modp1024]\n"
            + "esp:\n  proposals: [aes128-sha1, aes256-sha256, aes128gcm16, aes256gcm16, 3des-md5]\n";
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "it-psk-3", coatiCfg);
        Charon c = new Charon(dir.resolve("cli"), swanctl("it-psk-3", conns.toString()))) {
      for (int i = 0; i < sweep.size(); i++) {
        Netns.Result r = c.swanctl("--initiate", "--child", "p" + i);
        assertEquals(0, r.code(), String.join("/", sweep.get(i)) + ": " + r.output());
      }
      String sas = c.swanctl("--list-sas").output();
      assertEquals(5, sas.split("INSTALLED, TUNNEL-in-UDP", -1).length - 1, sas);
      assertTrue(sas.contains("AES_GCM_16-128"), sas);
      assertTrue(sas.contains("3DES_CBC/HMAC_MD5_96"), sas);
    }
  }

  @Test
  void wrongPsk_failsCleanly_thenTheRightPeerWorks() throws Exception {
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "it-psk-4", "")) {
      try (Charon bad =
          new Charon(
              dir.resolve("bad"),
              swanctl(
                  "not-the-key",
                  connection("bad", false, null, "aes128-sha1-modp2048", "aes128-sha1")))) {
        Netns.Result r = bad.swanctl("--initiate", "--child", "bad");
        assertFalse(r.code() == 0, r.output());
        assertFalse(bad.swanctl("--list-sas").output().contains("INSTALLED"));
      }
      assertFalse(coati.log().contains("CHILD SA established"), coati.log());
      assertTrue(
          coati.log().contains(" phase 1 authentication failed peer=")
              && coati.log().contains("the pre-shared keys differ"),
          "a wrong PSK is named: " + coati.log());
      try (Charon good =
          new Charon(
              dir.resolve("good"),
              swanctl(
                  "it-psk-4",
                  connection("good", false, null, "aes128-sha1-modp2048", "aes128-sha1")))) {
        assertUp(good, "good");
      }
    }
  }

  /** Issue #3 case e: coati starts a site-to-site tunnel towards strongSwan as responder. */
  @Test
  void coatiInitiates_siteToSite_toStrongSwanResponder() throws Exception {
    String responder =
        TunnelTrafficIT.siteToSiteResponder("it-psk-5", "aes256-sha256-modp2048", "aes256-sha256");
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.201.0.1/32", "dev", "lo");
      try (Charon c = new Charon(dir.resolve("resp"), responder);
          CoatiProcess coati =
              new CoatiProcess(dir, "it-psk-5", TunnelTrafficIT.siteToSiteCoati(""))) {
        TunnelTrafficIT.awaitInstalled(c, coati);
        String sas = c.swanctl("--list-sas").output();
        assertTrue(sas.contains("ESTABLISHED, IKEv1"), sas + coati.log());
        assertTrue(sas.contains("INSTALLED, TUNNEL"), sas + coati.log() + c.log());
        assertTrue(sas.contains("10.201.0.0/24") && sas.contains("10.200.0.0/24"), sas);
        assertTrue(coati.log().contains("peer branch: initiating"), coati.log());
      }
    }
  }

  /**
   * Issue #3 case a: traffic through the tunnel. The client's inner address 10.202.0.1 reaches the
   * gateway's LAN address 10.200.0.1 through strongSwan's ESP-in-UDP, coati's ESP and TUN, and the
   * replies come back the same way; 56- and 1400-byte payloads.
   */
  @Test
  void pingThroughTheTunnel_bothSizes() throws Exception {
    String client =
        swanctl(
            "it-psk-6",
            """
            ping {
              version = 1
              remote_addrs = SRV
              proposals = aes256-sha256-modp2048
              local { auth = psk }
              remote { auth = psk
                       id = fqdn:vpn.test }
              children { ping { local_ts = 10.202.0.1/32
                                remote_ts = 10.200.0.0/24
                                esp_proposals = aes128gcm16 } }
            }
            """
                .replace("SRV", Netns.SRV_ADDR));
    String dataplane = "dataplane:\n  tun: coati0\n  address: 10.202.0.254/24\n";
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-6", dataplane);
          Charon c = new Charon(dir.resolve("cli"), client)) {
        Netns.Result up = c.swanctl("--initiate", "--child", "ping");
        assertEquals(0, up.code(), up.output() + coati.log());
        for (String size : List.of("56", "1400")) {
          Netns.Result r =
              Netns.tryRun(
                  Netns.inNs(
                          Netns.CLI,
                          "ping",
                          "-c",
                          "3",
                          "-i",
                          "0.2",
                          "-W",
                          "2",
                          "-s",
                          size,
                          "-I",
                          "10.202.0.1",
                          "10.200.0.1")
                      .toArray(String[]::new));
          assertTrue(r.output().contains("3 received"), size + ": " + r.output() + coati.log());
        }
        String sas = c.swanctl("--list-sas").output();
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("(in|out) +\\w+, +\\d+ bytes, +(\\d+) packets")
                .matcher(sas);
        int directions = 0;
        while (m.find()) {
          // 3 small pings and 3 big ones, which the 1400-byte tunnel MTU fragments in two
          assertTrue(Integer.parseInt(m.group(2)) >= 9, sas);
          directions++;
        }
        assertEquals(2, directions, sas);
      }
    }
  }

  /** Issue #3 case c: the client behind a NAT box (iptables MASQUERADE); ESP-in-UDP through it. */
  @Test
  void throughANatBox_mainModeAndPing() throws Exception {
    String client =
        swanctl(
            "it-psk-7",
            """
            nat {
              version = 1
              remote_addrs = SRV
              proposals = aes128-sha1-ecp256
              local { auth = psk }
              remote { auth = psk
                       id = fqdn:vpn.test }
              children { nat { local_ts = 10.202.0.1/32
                               remote_ts = 10.200.0.0/24
                               esp_proposals = aes256-sha256 } }
            }
            """
                .replace("SRV", Netns.SRV_ADDR));
    String dataplane = "dataplane:\n  tun: coati0\n  address: 10.202.0.254/24\n";
    try (Netns ns = new Netns(true)) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-7", dataplane);
          Charon c = new Charon(dir.resolve("cli"), client)) {
        Netns.Result up = c.swanctl("--initiate", "--child", "nat");
        assertEquals(0, up.code(), up.output() + coati.log());
        assertTrue(
            coati.log().contains("IKE SA established peer=" + Netns.NAT_OUTSIDE + ":"),
            "coati sees the NAT box's address: " + coati.log());
        Netns.Result r =
            Netns.tryRun(
                Netns.inNs(
                        Netns.CLI,
                        "ping",
                        "-c",
                        "3",
                        "-i",
                        "0.2",
                        "-W",
                        "2",
                        "-I",
                        "10.202.0.1",
                        "10.200.0.1")
                    .toArray(String[]::new));
        assertTrue(r.output().contains("3 received"), r.output() + coati.log());
      }
    }
  }

  /** Issue #3 case f (DPD part): the peer's charon is killed; coati removes the SAs. */
  @Test
  void deadPeer_isRemovedByDpd() throws Exception {
    String client =
        swanctl(
            "it-psk-8",
            connection("dpd", false, null, "aes128-sha1-modp2048", "aes128-sha1")
                .replace("version = 1", "version = 1\n  dpd_delay = 2s"));
    String cfg = "ike:\n  dpd: { delay: 2s, timeout: 6s }\n";
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, "it-psk-8", cfg)) {
      try (Charon c = new Charon(dir.resolve("cli"), client)) {
        assertUp(c, "dpd");
        c.kill();
      }
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < 150 && !coati.log().contains("DPD timeout"); i++) {
        Thread.sleep(100);
      }
      long took = System.currentTimeMillis() - t0;
      assertTrue(
          coati.log().contains("IKE SA deleted peer=")
              && coati.log().contains(" reason=\"DPD timeout"),
          coati.log());
      assertTrue(coati.log().contains("CHILD SA deleted"), coati.log());
      assertTrue(took < 12_000, "removed within delay + timeout (+ a tick): " + took + " ms");
    }
  }

  /**
   * Issue #3 case f (rekey part): strongSwan rekeys phase 2 every 8 s and phase 1 every 12 s while
   * a ping every 0.2 s runs for 20 s; the test reports and bounds the replies lost.
   */
  @Test
  void rekeyingByThePeer_keepsTrafficFlowing() throws Exception {
    String client =
        swanctl(
            "it-psk-9",
            """
            rk {
              version = 1
              remote_addrs = SRV
              proposals = aes128-sha1-modp2048
              rekey_time = 12s
              over_time = 10s
              rand_time = 0s
              local { auth = psk }
              remote { auth = psk
                       id = fqdn:vpn.test }
              children { rk { local_ts = 10.202.0.1/32
                              remote_ts = 10.200.0.0/24
                              rekey_time = 8s
                              life_time = 16s
                              rand_time = 0s
                              esp_proposals = aes128-sha1 } }
            }
            """
                .replace("SRV", Netns.SRV_ADDR));
    String dataplane = "dataplane:\n  tun: coati0\n  address: 10.202.0.254/24\n";
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-9", dataplane);
          Charon c = new Charon(dir.resolve("cli"), client)) {
        Netns.Result up = c.swanctl("--initiate", "--child", "rk");
        assertEquals(0, up.code(), up.output() + coati.log());
        Netns.Result r =
            Netns.tryRun(
                Netns.inNs(
                        Netns.CLI,
                        "ping",
                        "-c",
                        "100",
                        "-i",
                        "0.2",
                        "-W",
                        "1",
                        "-I",
                        "10.202.0.1",
                        "10.200.0.1")
                    .toArray(String[]::new));
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("(\\d+) received").matcher(r.output());
        assertTrue(m.find(), r.output());
        int received = Integer.parseInt(m.group(1));
        System.out.println("rekey test: " + received + "/100 ping replies while rekeying");
        String log = c.log();
        assertTrue(log.contains("rekeying") || log.contains("rekey"), "strongSwan rekeyed");
        String rekeys =
            String.join(
                "\n",
                log.lines()
                    .filter(
                        l ->
                            l.contains("QUICK")
                                || l.contains("CHILD")
                                || l.contains("rekey")
                                || l.contains("INFORMATIONAL")
                                || l.contains("error"))
                    .toList());
        assertTrue(
            coati.log().split("CHILD SA established", -1).length - 1 >= 3, rekeys + coati.log());
        assertTrue(received >= 98, received + "/100 replies; " + rekeys + "\n" + coati.log());
      }
    }
  }

  /**
   * Issue #3 case f, coati's side: as site-to-site initiator with a 12 s ESP lifetime coati rekeys
   * phase 2 itself at 90% (make-before-break) and deletes the old SA at 12 s, while strongSwan's
   * side pings through the tunnel.
   */
  @Test
  void coatiRekeysItsOwnChildSa_trafficKeepsFlowing() throws Exception {
    String responder = TunnelTrafficIT.siteToSiteResponder("it-psk-10");
    String cfg = TunnelTrafficIT.siteToSiteCoati("esp:\n  lifetime: 12s\n");
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.201.0.1/32", "dev", "lo");
      try (Charon c = new Charon(dir.resolve("resp"), responder);
          CoatiProcess coati = new CoatiProcess(dir, "it-psk-10", cfg)) {
        TunnelTrafficIT.awaitInstalled(c, coati);
        Netns.Result r =
            Netns.tryRun(
                Netns.inNs(
                        Netns.CLI,
                        "ping",
                        "-c",
                        "100",
                        "-i",
                        "0.2",
                        "-W",
                        "1",
                        "-I",
                        "10.201.0.1",
                        "10.200.0.1")
                    .toArray(String[]::new));
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("(\\d+) received").matcher(r.output());
        assertTrue(m.find(), r.output());
        int received = Integer.parseInt(m.group(1));
        System.out.println("own rekey test: " + received + "/100 ping replies");
        assertTrue(coati.log().contains("rekeying child"), coati.log());
        assertTrue(coati.log().contains("expired"), coati.log());
        assertTrue(received >= 98, received + "/100; " + coati.log());
      }
    }
  }
}
