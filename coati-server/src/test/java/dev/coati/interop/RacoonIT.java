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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * racoon (ipsec-tools 0.9.1, the seeds' own daemon; built by interop/vm/build-racoon.sh, run in the
 * Debian VM since it needs kernel IPsec) against coati as its own process, configured exactly as
 * seed 002's client section: aggressive mode, hybrid_rsa_client, mode_cfg, ike_frag, esp_frag,
 * dpd_delay 20, nat_traversal force, compression_algorithm deflate, phase1_up/down scripts; up with
 * {@code racoonctl vc -u USER GATEWAY}, down with {@code racoonctl vd GATEWAY}. And PSK + Xauth
 * with the saved password ({@code xauth_login}, seed 002's last section). The user is added with
 * {@code coati user add} (hashed). Topology (all namespaces made here, prefixed): bridge
 * 10.98.0.1/24 in the gateway namespace for a VM that sees the gateway directly; bridge 10.1.0.1/24
 * in a NAT namespace (MASQUERADE towards the gateway's 10.98.1.1); a LAN host 10.203.0.2.
 */
class RacoonIT {
  static final String SRV = Netns.PREFIX + "rc-srv";
  static final String NAT = Netns.PREFIX + "rc-nat";
  static final String LAN = Netns.PREFIX + "rc-lan";
  static final String DIRECT_GW = "10.98.0.1";
  static final String NAT_GW = "10.98.1.1";
  static final String LAN_HOST = "10.203.0.2";
  static final String PSK = "it-racoon-group-psk";
  static final String BANNER = "Flying pigs LTD: welcome, remote user";

  static final String GATEWAY =
      """
      users:
        file: users.txt
      ike:
        aggressive_ids: [vpngroup]
      remote_access:
        auth: [psk-xauth, hybrid-rsa]
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
        domain: corp.test
        banner: banner.txt
        split_include: [10.203.0.0/24]
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      """;

  @TempDir Path dir;
  private final List<QemuVm> vms = new ArrayList<>();

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assumeFalse("1".equals(System.getenv("COATI_SKIP_VM")), "COATI_SKIP_VM=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  @AfterEach
  void tearDown(TestInfo info) throws Exception {
    Path keep = Path.of("target", "racoon-it", info.getTestMethod().orElseThrow().getName());
    for (QemuVm vm : vms) {
      vm.close();
      // the VM's logs (racoon.log, net.txt, console) outlive the temporary directory
      copyTree(vm.share().resolve("out"), keep.resolve("out"));
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
    Netns.remove(SRV, NAT, LAN);
  }

  /** Case a: hybrid RSA exactly as seed 002, the VM sees the gateway directly. */
  @Test
  void a_hybridRsa_seed002Client_direct() throws Exception {
    connect("hybrid", false);
  }

  /** Case b: PSK + Xauth with the saved password (xauth_login), behind a MASQUERADE NAT. */
  @Test
  void b_pskXauth_savedPassword_behindNat() throws Exception {
    connect("psk", true);
  }

  private void connect(String auth, boolean nat) throws Exception {
    topology();
    RemoteAccessIT.coati(
        "alice-pass\n",
        "user",
        "add",
        "alice",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
    Files.writeString(dir.resolve("banner.txt"), BANNER + "\n");
    Path pki = dir.resolve("pki");
    RemoteAccessIT.coati("", "pki", "ca", "--out", pki.toString(), "--cn", "coati test CA");
    RemoteAccessIT.coati(
        "", "pki", "server", "--ca", pki.toString(), "--name", "vpn.test", "--ip", DIRECT_GW);
    String cert =
        "  certificate: PKI/vpn.test.pem\n  private_key: PKI/vpn.test.key\n"
            .replace("PKI", pki.toString());
    try (CoatiProcess coati =
        new CoatiProcess(SRV, DIRECT_GW + ", " + NAT_GW, dir, PSK, GATEWAY, cert)) {
      QemuVm vm = client(1, nat, auth, pki.resolve("ca.pem"));
      Map<String, String> r = vm.awaitResult(Duration.ofMinutes(4));
      String all = r + "\n" + read(vm, "vc.txt") + "\n" + coati.log();
      assertEquals("0", r.get("VC_RC"), all);
      assertEquals("yes", r.get("VC_ESTABLISHED"), all);
      // racoonctl 0.9.1 prints the banner, not the address: the phase1_up script gets it
      assertTrue(r.get("INTERNAL_ADDR4").startsWith("10.99.99."), all);
      assertEquals("corp.test", r.get("DEFAULT_DOMAIN"), all);
      assertEquals("10.99.99.53", r.get("INTERNAL_DNS4"), all);
      assertEquals("10.203.0.0/24", r.get("SPLIT_INCLUDE_CIDR"), all);
      assertTrue(read(vm, "vc.txt").contains(BANNER), "banner: " + all);
      assertEquals("yes", r.get("PHASE2"), all);
      assertEquals("0", r.get("PING_56"), "LAN host, 56 bytes: " + all);
      assertEquals("0", r.get("PING_1400"), "LAN host, 1400 bytes: " + all);
      assertEquals("udp", r.get("ESP_ENCAP"), "nat_traversal force: " + all);
      assertTrue(
          coati.log().contains(auth.equals("psk") ? "auth=65001" : "auth=64221"), coati.log());
      if (auth.equals("hybrid")) {
        // the certificate does not fit in 552 bytes: coati cut its reply, racoon reassembled it
        String log = read(vm, "racoon.log");
        assertTrue(log.contains("fragmented IKE phase 1 payload"), "IKE fragments: " + log);
      }
      vm.signal("stop");
      Map<String, String> d = QemuVm.parse(vm.awaitFile("done.env", Duration.ofMinutes(2)));
      assertEquals("0", d.get("VD_RC"), d + read(vm, "vd.txt"));
      assertEquals("yes", d.get("PHASE1_DOWN"), d.toString());
      assertEquals(0, vm.awaitExit(Duration.ofSeconds(60)));
      waitFor(coati, "deleted by peer", Duration.ofSeconds(10));
    }
  }

  private static void waitFor(CoatiProcess coati, String text, Duration d) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    while (!coati.log().contains(text) && System.nanoTime() < end) {
      Thread.sleep(200);
    }
    assertTrue(coati.log().contains(text), text + ": " + coati.log());
  }

  private static String read(QemuVm vm, String name) throws Exception {
    Path f = vm.share().resolve("out").resolve(name);
    return Files.exists(f) ? Files.readString(f) : "(no " + name + ")";
  }

  private void topology() throws Exception {
    Netns.remove(SRV, NAT, LAN);
    for (String ns : List.of(SRV, NAT, LAN)) {
      Netns.run("ip", "netns", "add", ns);
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Netns.run("ip", "-n", SRV, "link", "add", "rcbr0", "type", "bridge");
    Netns.run("ip", "-n", SRV, "addr", "add", DIRECT_GW + "/24", "dev", "rcbr0");
    Netns.run("ip", "-n", SRV, "link", "set", "rcbr0", "up");
    Netns.run("ip", "-n", NAT, "link", "add", "rcbr1", "type", "bridge");
    Netns.run("ip", "-n", NAT, "addr", "add", "10.1.0.1/24", "dev", "rcbr1");
    Netns.run("ip", "-n", NAT, "link", "set", "rcbr1", "up");
    Netns.veth(SRV, "rcs1", NAT_GW, NAT, "rcn1", "10.98.1.254");
    Netns.veth(SRV, "rcs2", "10.203.0.1", LAN, "rcl0", LAN_HOST);
    Netns.run("ip", "-n", LAN, "route", "add", "default", "via", "10.203.0.1");
    Netns.run("ip", "netns", "exec", SRV, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    Netns.masquerade(NAT, "rcn1");
  }

  /** A racoon VM on the gateway's bridge or behind the NAT, with racoon's build in its share. */
  private QemuVm client(int n, boolean nat, String auth, Path caPem) throws Exception {
    Path racoon = QemuVm.cacheDir().resolve("racoon/root/usr");
    Netns.Result build = Netns.tryRun(QemuVm.vmDir().resolve("build-racoon.sh").toString());
    assertEquals(0, build.code(), "build-racoon.sh: " + build.output());
    Path share = dir.resolve("vm" + n);
    copyTree(racoon, share.resolve("racoon/usr"));
    Files.copy(caPem, share.resolve("ca.crt"));
    String hash = Netns.run("openssl", "x509", "-hash", "-noout", "-in", caPem.toString()).trim();
    String ns = nat ? NAT : SRV;
    String tap = "rctap" + n;
    QemuVm.tap(ns, tap);
    Netns.run("ip", "-n", ns, "link", "set", tap, "master", nat ? "rcbr1" : "rcbr0", "up");
    Map<String, String> p = new LinkedHashMap<>();
    p.put("SCRIPT", "racoon-client.sh");
    p.put("MAC", String.format("52:54:00:9c:%02x:%02x", nat ? 1 : 0, n));
    p.put("SERVER", nat ? NAT_GW : DIRECT_GW);
    p.put("VMIP", (nat ? "10.1.0." : "10.98.0.") + (10 + n) + "/24");
    if (nat) {
      p.put("VMGW", "10.1.0.1");
    }
    p.put("AUTH", auth);
    p.put("USER", "alice");
    p.put("PASSWORD", "alice-pass");
    p.put("PSK", PSK);
    p.put("CA_HASH", hash);
    p.put("PING_TARGET", LAN_HOST);
    p.put("PING_SIZES", "56 1400");
    p.put("HOLD", "120");
    QemuVm vm = QemuVm.boot(ns, tap, share, p);
    vms.add(vm);
    return vm;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path dst = to.resolve(from.relativize(f).toString());
        if (Files.isSymbolicLink(f)) {
          Files.deleteIfExists(dst);
          Files.createSymbolicLink(dst, Files.readSymbolicLink(f));
        } else if (Files.isDirectory(f)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(
              f, dst, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
