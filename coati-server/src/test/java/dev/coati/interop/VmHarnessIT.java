package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian-VM harness itself (interop/vm, {@link QemuVm}), independent of coati: (a) a VM boots,
 * reads its parameters from the 9p share and pings the namespace over its tap; (b) the real
 * L2TP/IPsec client script (strongSwan transport mode, xl2tpd, pppd MS-CHAPv2) connects to a
 * reference server (strongSwan + xl2tpd + pppd in a second VM on the same bridge) and pings through
 * the tunnel, so the client is known good before it is pointed at coati.
 */
class VmHarnessIT {
  static final String NS = "coati-vm-h";
  static final String BRIDGE_ADDR = "10.98.0.1";

  @TempDir Path dir;
  private final List<QemuVm> vms = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assumeFalse("1".equals(System.getenv("COATI_SKIP_VM")), "COATI_SKIP_VM=1");
    assertTrue("root".equals(System.getProperty("user.name")), "needs root, or COATI_SKIP_VM=1");
    QemuVm.image();
    tearDownNs();
    Netns.run("ip", "netns", "add", NS);
    Netns.run("ip", "-n", NS, "link", "set", "lo", "up");
    Netns.run("ip", "-n", NS, "link", "add", "vmbr0", "type", "bridge");
    Netns.run("ip", "-n", NS, "addr", "add", BRIDGE_ADDR + "/24", "dev", "vmbr0");
    Netns.run("ip", "-n", NS, "link", "set", "vmbr0", "up");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (QemuVm vm : vms) {
      vm.close();
    }
    tearDownNs();
  }

  private static void tearDownNs() throws Exception {
    Netns.remove(NS);
  }

  /** A VM on a tap enslaved to the namespace's bridge. */
  private QemuVm vm(String name, String tap, String mac, Map<String, String> params)
      throws Exception {
    QemuVm.tap(NS, tap);
    Netns.run("ip", "-n", NS, "link", "set", tap, "master", "vmbr0", "up");
    Map<String, String> p = new java.util.LinkedHashMap<>(params);
    p.put("MAC", mac);
    QemuVm vm = QemuVm.boot(NS, tap, dir.resolve(name), p);
    vms.add(vm);
    return vm;
  }

  @Test
  void bootsAndPingsTheNamespaceOverItsTap() throws Exception {
    long t0 = System.nanoTime();
    QemuVm vm =
        vm(
            "ping",
            "vmtap0",
            "52:54:00:98:00:10",
            Map.of(
                "SCRIPT", "ping.sh",
                "VMIP", "10.98.0.10/24",
                "PING_TARGET", BRIDGE_ADDR,
                "PING_SIZES", "56 1400"));
    Map<String, String> r = vm.awaitResult(Duration.ofMinutes(4));
    assertEquals("0", r.get("PING_56"), r.toString());
    assertEquals("0", r.get("PING_1400"), r.toString());
    assertEquals("yes", r.get("OK"), r.toString());
    assertEquals(0, vm.awaitExit(Duration.ofSeconds(60)), "qemu exit code");
    System.out.printf(
        "VmHarnessIT: %s boot+ping in %.1f s (guest userland at %s s)%n",
        QemuVm.accel(),
        (System.nanoTime() - t0) / 1e9,
        QemuVm.parse(vm.share().resolve("out/vminit.env")).get("T_USERLAND"));
  }

  @Test
  void clientScriptWorksAgainstAReferenceServer() throws Exception {
    long t0 = System.nanoTime();
    Map<String, String> common =
        Map.of(
            "PSK",
            "vm-harness-psk",
            "USER",
            "alice",
            "PASSWORD",
            "alice's pass",
            "AUTH",
            "mschapv2");
    Map<String, String> srv = new java.util.LinkedHashMap<>(common);
    srv.putAll(
        Map.of(
            "SCRIPT", "l2tp-server.sh",
            "VMIP", "10.98.0.20/24",
            "PPP_LOCAL", "10.96.0.1",
            "PPP_POOL", "10.96.0.10-10.96.0.20",
            "DNS1", "10.96.0.53",
            "HOLD", "600"));
    QemuVm server = vm("srv", "vmtap1", "52:54:00:98:00:20", srv);
    Map<String, String> cli = new java.util.LinkedHashMap<>(common);
    cli.putAll(
        Map.of(
            "VMIP", "10.98.0.21/24",
            "SERVER", "10.98.0.20",
            "PING_SIZES", "56 1400",
            "HOLD", "120"));
    QemuVm client = vm("cli", "vmtap2", "52:54:00:98:00:21", cli);
    server.awaitFile("up", Duration.ofMinutes(4));
    Map<String, String> r = client.awaitResult(Duration.ofMinutes(5));
    long tResult = System.nanoTime();
    assertEquals("0", r.get("IPSEC_UP"), r.toString());
    assertEquals("transport", r.get("ESP_MODE"), r.toString());
    assertEquals("yes", r.get("L2TP_TUNNEL"), r.toString());
    assertEquals("yes", r.get("PPP_UP"), r.toString());
    assertEquals("no", r.get("PPP_AUTH_FAILED"), r.toString());
    assertEquals("mschapv2", r.get("PPP_AUTH_PROTO"), r.toString());
    assertTrue(r.get("PPP_IP").startsWith("10.96.0."), r.toString());
    assertEquals("10.96.0.1", r.get("PPP_PEER"), r.toString());
    assertEquals("10.96.0.53", r.get("PPP_DNS1"), r.toString());
    assertEquals("0", r.get("PING_56"), r.toString());
    assertEquals("0", r.get("PING_1400"), r.toString());
    assertEquals("yes", r.get("OK"), r.toString());
    // HOLD: the session stays up until the test says stop, then an orderly disconnect
    client.awaitFile("up", Duration.ofSeconds(30));
    client.signal("stop");
    Map<String, String> done = QemuVm.parse(client.awaitFile("done.env", Duration.ofMinutes(2)));
    assertEquals("stop", done.get("HOLD_END"), done.toString());
    assertEquals("0", done.get("IPSEC_DOWN"), done.toString());
    assertEquals(0, client.awaitExit(Duration.ofSeconds(60)), "client qemu exit code");
    server.signal("stop");
    Map<String, String> s = server.awaitResult(Duration.ofSeconds(60));
    assertEquals("1", s.get("PPP_SESSIONS"), s.toString());
    System.out.printf(
        "VmHarnessIT: %s reference L2TP/IPsec: client result after %.1f s (IPsec up at %s,"
            + " ppp0 at %s, pings done at %s s guest time), total %.1f s%n",
        QemuVm.accel(),
        (tResult - t0) / 1e9,
        r.get("T_IPSEC_UP"),
        r.get("T_PPP_UP"),
        r.get("T_PING"),
        (System.nanoTime() - t0) / 1e9);
  }
}
