package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libreswan 4.10 (Debian's package, in its own VM image made by interop/vm/build-libreswan.sh,
 * since it needs kernel ESP and conflicts with strongSwan) against coati as its own process: a
 * Cisco-style IKEv1 client with PSK + Xauth + mode config ({@code modecfgpull=yes}) in main mode
 * and in aggressive mode, each through a MASQUERADE NAT and without one, across coati's child rekey
 * and ISAKMP SA expiry (case f), and the IPsec layer (transport mode, PSK) of an L2TP/IPsec client
 * with xl2tpd and pppd. Users are added with {@code coati user add} (hashed). Namespaces and
 * addresses: {@link VmTopology}.
 */
class LibreswanIT {
  static final String PSK = "it-libreswan-group-psk";
  static final String BANNER = "coati test gateway: authorised users only";

  static final String GATEWAY =
      """
      users:
        file: users.txt
      ike:
        aggressive_ids: [vpngroup]
      remote_access:
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
        domain: corp.test
        banner: banner.txt
      l2tp:
        hello_interval: 5s
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      """;

  @TempDir Path dir;
  private final List<QemuVm> vms = new ArrayList<>();
  private VmTopology net;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assumeFalse("1".equals(System.getenv("COATI_SKIP_VM")), "COATI_SKIP_VM=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  @AfterEach
  void tearDown(TestInfo info) throws Exception {
    Path keep = Path.of("target", "libreswan-it", info.getTestMethod().orElseThrow().getName());
    for (QemuVm vm : vms) {
      vm.close();
      RacoonIT.copyTree(vm.share().resolve("out"), keep.resolve("out"));
      Files.copy(
          vm.share().resolve("console.log"),
          keep.resolve("console.log"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.exists(dir.resolve("coati.log"))) {
      Files.createDirectories(keep);
      Files.copy(
          dir.resolve("coati.log"), keep.resolve("coati.log"), StandardCopyOption.REPLACE_EXISTING);
    }
    if (net != null) {
      net.close();
    }
  }

  /** Case a: main mode PSK + Xauth + mode config, the VM sees the gateway directly. */
  @Test
  void a_xauthModeConfig_mainMode_direct() throws Exception {
    xauth(false, false);
  }

  /** Case b: aggressive mode (group ID vpngroup), behind a MASQUERADE NAT. */
  @Test
  void b_xauthModeConfig_aggressiveMode_behindNat() throws Exception {
    xauth(true, true);
  }

  /** Case d: main mode behind the MASQUERADE NAT. */
  @Test
  void d_xauthModeConfig_mainMode_behindNat() throws Exception {
    xauth(false, true);
  }

  /** Case e: aggressive mode, the VM sees the gateway directly. */
  @Test
  void e_xauthModeConfig_aggressiveMode_direct() throws Exception {
    xauth(true, false);
  }

  /** Case f's coati lifetimes (s) and the 0.2 s ping across both of them. */
  static final int LT_ESP = 60;

  static final int LT_IKE = 75;
  static final int LT_PINGS = 450;

  /**
   * Pings case f may lose: none. Libreswan, the quick mode responder, adds the new outbound SA with
   * its reply and Linux sends on the newest SA of a reqid at once, so a packet can overtake the
   * reply; coati, the initiator, can install its inbound SA only once that reply is processed (its
   * keys need the responder's nonce and PFS share), so such packets wait for it (EarlyEsp). Before
   * that: 1 of 450 lost in one run of two; before the PFS fix: 16 of 450.
   */
  static final int LT_MAX_LOSS = 0;

  /**
   * Case f (issue #12 deliver 6): main mode behind the NAT, coati's ESP lifetime 60 s and ISAKMP
   * lifetime 75 s, Libreswan's own an hour (it ignores RESPONDER-LIFETIME, and with {@code
   * rekey=no} never renegotiates): coati rekeys the child Libreswan started at 95%, then lets its
   * ISAKMP SA expire with the new child living on. A ping every 0.2 s across both: at most {@link
   * #LT_MAX_LOSS} lost.
   */
  @Test
  void f_mainMode_behindNat_childRekeyedByCoati_isakmpSaExpires_noLoss() throws Exception {
    xauth(false, true, true);
  }

  /**
   * Case c: Libreswan as the IPsec layer (main mode PSK, ESP transport mode for UDP/1701) of an
   * L2TP/IPsec client with xl2tpd and pppd (MS-CHAPv2 from the NT hash {@code coati user add}
   * stores), behind the NAT: address, DNS, LAN pings, orderly disconnect.
   */
  @Test
  void c_l2tpIpsec_libreswanTransportMode_behindNat() throws Exception {
    l2tp(true);
  }

  /** Case g: the same L2TP/IPsec client seeing the gateway directly (plain ESP, no NAT-T). */
  @Test
  void g_l2tpIpsec_libreswanTransportMode_direct() throws Exception {
    l2tp(false);
  }

  private void l2tp(boolean behindNat) throws Exception {
    try (CoatiProcess coati = gateway()) {
      QemuVm vm =
          boot(
              behindNat,
              Map.of(
                  "SCRIPT", "l2tp-client.sh",
                  "IPSEC_STACK", "libreswan",
                  "AUTH", "mschapv2",
                  "ROUTES", "10.203.0.0/24",
                  "HOLD", "120"));
      Map<String, String> r = vm.awaitResult(Duration.ofMinutes(4));
      L2tpIpsecIT.assertConnected(r, behindNat ? "udp" : "none");
      vm.signal("stop");
      Map<String, String> d = QemuVm.parse(vm.awaitFile("done.env", Duration.ofMinutes(2)));
      assertEquals("stop", d.get("HOLD_END"), d.toString());
      assertEquals("0", d.get("IPSEC_DOWN"), d + RacoonIT.read(vm, "ipsec-down.log"));
      assertEquals(0, vm.awaitExit(Duration.ofSeconds(60)));
      RacoonIT.waitFor(coati, "deleted by peer", Duration.ofSeconds(10));
    }
  }

  /** Case f: coati rekeyed the child, its ISAKMP SA expired, and the ping lost nothing. */
  private static void assertLifetimes(Map<String, String> r, String log, String all) {
    int tx = Integer.parseInt(r.get("PING_LONG_TX"));
    int rx = Integer.parseInt(r.get("PING_LONG_RX"));
    System.out.println("Libreswan lifetimes: " + rx + "/" + tx + " pings");
    log.lines()
        .filter(l -> l.matches(".*(expired|rekeying|CHILD SA|deleted).*"))
        .forEach(l -> System.out.println("  " + l));
    assertEquals(LT_PINGS, tx, all);
    assertTrue(log.contains("ISAKMP SA lifetime expired"), "the ISAKMP SA really expired: " + all);
    assertTrue(log.contains("the peer has not rekeyed"), "coati rekeyed the child: " + all);
    assertTrue(
        log.lines()
                .filter(l -> l.contains("CHILD SA established") && l.contains("-modp2048 "))
                .count()
            >= 2,
        "Libreswan took the rekey, with PFS: " + all);
    assertTrue(tx - rx <= LT_MAX_LOSS, (tx - rx) + " pings lost across the lifetimes: " + all);
  }

  private CoatiProcess gateway() throws Exception {
    return gateway(GATEWAY);
  }

  private CoatiProcess gateway(String config) throws Exception {
    net = new VmTopology("ls");
    RemoteAccessIT.coati(
        "alice-pass\n",
        "user",
        "add",
        "alice",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
    Files.writeString(dir.resolve("banner.txt"), BANNER + "\n");
    return new CoatiProcess(net.srv, VmTopology.listen(), dir, PSK, config, "");
  }

  private QemuVm boot(boolean behindNat, Map<String, String> params) throws Exception {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put("IMAGE", QemuVm.libreswanImage());
    p.put("PSK", PSK);
    p.put("USER", "alice");
    p.put("PASSWORD", "alice-pass");
    p.put("RIGHTID", "@vpn.test"); // CoatiProcess's gateway.id: fqdn:vpn.test
    p.put("PING_TARGET", VmTopology.LAN_HOST);
    p.put("PING_SIZES", "56 1400");
    QemuVm vm = net.boot(vms.size() + 1, behindNat, dir.resolve("vm" + (vms.size() + 1)), p);
    vms.add(vm);
    return vm;
  }

  private void xauth(boolean aggressive, boolean behindNat) throws Exception {
    xauth(aggressive, behindNat, false);
  }

  private void xauth(boolean aggressive, boolean behindNat, boolean lifetimes) throws Exception {
    String config =
        lifetimes
            ? GATEWAY.replace("ike:\n", "ike:\n  lifetime: " + LT_IKE + "s\n")
                + "esp:\n  lifetime: "
                + LT_ESP
                + "s\n"
            : GATEWAY;
    try (CoatiProcess coati = gateway(config)) {
      QemuVm vm =
          boot(
              behindNat,
              Map.of(
                  "SCRIPT", "libreswan-client.sh",
                  "AGGRESSIVE", aggressive ? "yes" : "no",
                  "GROUP", "vpngroup",
                  "SUBNET", "10.203.0.0/24",
                  "LONG_PING", lifetimes ? String.valueOf(LT_PINGS) : "0",
                  // aggressive mode behind the NAT: pluto logs the NAT-D hash inputs (which
                  // address and port it hashes into its third message, sent on 4500)
                  "PLUTODEBUG", aggressive && behindNat ? "all" : "none",
                  "HOLD", "120"));
      Map<String, String> r = vm.awaitResult(Duration.ofMinutes(lifetimes ? 7 : 4));
      String all = r + "\n" + RacoonIT.read(vm, "ipsec-up.log") + "\n" + coati.log();
      assertEquals("0", r.get("IPSEC_UP"), all);
      assertTrue(r.get("PLUTO_MY_SOURCEIP").startsWith("10.99.99."), all);
      assertEquals("10.99.99.53", r.get("PLUTO_PEER_DNS_INFO"), all);
      assertTrue(r.get("PLUTO_PEER_BANNER").contains(BANNER), all);
      assertEquals("corp.test", r.get("PLUTO_PEER_DOMAIN_INFO"), all);
      assertEquals("0", r.get("PING_56"), "LAN host, 56 bytes: " + all);
      assertEquals("0", r.get("PING_1400"), "LAN host, 1400 bytes: " + all);
      assertEquals(behindNat ? "udp" : "none", r.get("ESP_ENCAP"), all);
      assertTrue(coati.log().contains(aggressive ? " mode=aggressive " : " mode=main "), all);
      assertTrue(
          coati.log().contains(" nat=" + (behindNat ? "peer" : "none") + " "),
          "NAT seen right (the gateway is not behind one): " + all);
      if (lifetimes) {
        assertLifetimes(r, coati.log(), all);
      }
      vm.signal("stop");
      Map<String, String> d = QemuVm.parse(vm.awaitFile("done.env", Duration.ofMinutes(2)));
      assertEquals("0", d.get("IPSEC_DOWN"), d.toString());
      assertEquals("0", d.get("SAS_AFTER_DOWN"), d.toString());
      assertEquals(0, vm.awaitExit(Duration.ofSeconds(60)));
      // case f: the ISAKMP SA had expired, so the Delete of its last child ends it ("lifetime
      // expired"); either way the session ends with the client's down
      RacoonIT.waitFor(
          coati, lifetimes ? "session down" : "deleted by peer", Duration.ofSeconds(10));
    }
  }
}
