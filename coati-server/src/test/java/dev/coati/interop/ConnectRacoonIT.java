package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coati connect -u alice GATEWAY} against racoon (ipsec-tools 0.9.1) as the gateway in the
 * Debian VM, configured exactly as seed 002's gateway section (interop/vm/share/racoon-gateway.sh:
 * hybrid_rsa_server, aggressive, mode_cfg with a pool, auth_source system, banner, pfs_group 2,
 * ike_frag, esp_frag, dpd, nat_traversal force). The client prints the address and the banner,
 * pings the gateway's internal address, and {@code coati disconnect} restores routes and DNS. The
 * transcript is kept in target/connect-racoon/transcript.txt for the issue note.
 */
class ConnectRacoonIT {
  static final String BANNER = "Flying pigs LTD: welcome to our internal network, remote user.";

  @TempDir Path dir;
  private VmTopology net;
  private QemuVm vm;
  private Path netnsEtc;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assumeFalse("1".equals(System.getenv("COATI_SKIP_VM")), "COATI_SKIP_VM=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  @AfterEach
  void tearDown() throws Exception {
    Path keep = Path.of("target", "connect-racoon");
    if (vm != null) {
      vm.close();
      RacoonIT.copyTree(vm.share().resolve("out"), keep.resolve("out"));
      Files.copy(
          vm.share().resolve("console.log"),
          keep.resolve("console.log"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (netnsEtc != null) {
      Files.deleteIfExists(netnsEtc.resolve("resolv.conf"));
      Files.deleteIfExists(netnsEtc);
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void hybridRsa_seed002Gateway_addressBannerPingDisconnect() throws Exception {
    net = new VmTopology("cr");
    netnsEtc = Path.of("/etc/netns", net.srv);
    Files.createDirectories(netnsEtc);
    String resolvBefore = "nameserver 192.0.2.53\n";
    Files.writeString(netnsEtc.resolve("resolv.conf"), resolvBefore);
    String gw = "10.98.0.11";
    Path pki = dir.resolve("pki");
    RemoteAccessIT.coati("", "pki", "ca", "--out", pki.toString(), "--cn", "coati test CA");
    RemoteAccessIT.coati(
        "", "pki", "server", "--ca", pki.toString(), "--name", "vpngw.test", "--ip", gw);
    Path racoon = QemuVm.cacheDir().resolve("racoon/root/usr");
    Netns.Result build = Netns.tryRun(QemuVm.vmDir().resolve("build-racoon.sh").toString());
    assertEquals(0, build.code(), "build-racoon.sh: " + build.output());
    Path share = dir.resolve("vm");
    RacoonIT.copyTree(racoon, share.resolve("racoon/usr"));
    Files.copy(pki.resolve("vpngw.test.pem"), share.resolve("vpngw.crt"));
    Files.copy(pki.resolve("vpngw.test.key"), share.resolve("vpngw.key"));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("SCRIPT", "racoon-gateway.sh");
    p.put("USER", "alice");
    p.put("PASSWORD", "alice-pass");
    p.put("BANNER", BANNER);
    p.put("HOLD", "180");
    vm = net.boot(1, false, share, p);
    Map<String, String> r = vm.awaitResult(Duration.ofMinutes(4));
    assertEquals("yes", r.get("RACOON_UP"), r + RacoonIT.read(vm, "gateway.log"));
    String routesBefore = routes();
    String transcript;
    try (CoatiClient c =
        new CoatiClient(
            net.srv,
            dir,
            "  auth: hybrid-rsa\n  mode: aggressive\n  ca: pki/ca.pem\n"
                + "  nat_traversal: force\n  dpd: 20s\n  ike_fragment_size: 552\n"
                + "  ike_proposals: [aes128-sha1-modp1024]\n"
                + "  esp_proposals: [aes128-sha1-modp1024]\n  tun: cc-tun0\n  dns: file\n",
            null,
            "alice",
            "alice-pass",
            gw)) {
      assertTrue(c.awaitBound(60), c.output() + RacoonIT.read(vm, "racoon.log"));
      assertTrue(c.output().contains("Bound to address 10.99.99."), c.output());
      assertTrue(c.output().contains(BANNER), c.output());
      Netns.Result ping =
          Netns.tryRun(
              "ip",
              "netns",
              "exec",
              net.srv,
              "ping",
              "-c",
              "3",
              "-i",
              "0.5",
              "-w", // 3 replies within 15 s: racoon under TCG installs its IPsec SAs up to 2 s
              "15", // after coati, the quick mode initiator, has sent its last message
              "10.0.12.1");
      assertEquals(0, ping.code(), ping.output() + c.output());
      assertTrue(
          Files.readString(netnsEtc.resolve("resolv.conf")).contains("nameserver 10.0.12.1"));
      Netns.Result bye =
          CoatiProcess.cli("", "disconnect", "--profile", c.profile().toString(), gw);
      assertEquals(0, bye.code(), bye.output() + c.output());
      assertEquals(0, c.awaitExit(15), c.output());
      transcript =
          "$ coati connect -u alice "
              + gw
              + "\n"
              + c.output()
              + "$ coati disconnect "
              + gw
              + "\n"
              + bye.output();
    }
    Path keep = Path.of("target", "connect-racoon");
    Files.createDirectories(keep);
    Files.writeString(keep.resolve("transcript.txt"), transcript);
    assertEquals(routesBefore, routes(), "routes restored exactly");
    assertEquals(resolvBefore, Files.readString(netnsEtc.resolve("resolv.conf")));
    vm.signal("stop");
    Map<String, String> d = QemuVm.parse(vm.awaitFile("done.env", Duration.ofMinutes(2)));
    assertEquals("0", d.get("SAS_AFTER"), "racoon removed the IPsec SAs after our Delete: " + d);
  }

  private String routes() throws Exception {
    return Netns.run("ip", "-n", net.srv, "-4", "route", "show", "table", "all");
  }
}
