package dev.coati.interop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespaces for gateway tests with client VMs (all made here, named with {@link Netns#PREFIX} and
 * a tag per test class): the gateway namespace with a bridge 10.98.0.1/24 for VMs that see the
 * gateway directly; a NAT namespace with a bridge 10.1.0.1/24 whose traffic is MASQUERADEd towards
 * the gateway's 10.98.1.1; a LAN host 10.203.0.2 behind the gateway.
 */
final class VmTopology implements AutoCloseable {
  static final String DIRECT_GW = "10.98.0.1";
  static final String NAT_GW = "10.98.1.1";
  static final String LAN_HOST = "10.203.0.2";

  final String srv;
  final String nat;
  final String lan;
  private final String tag;

  /** {@code tag}: two lower-case letters, unique per test class (names of bridges and taps). */
  VmTopology(String tag) throws Exception {
    this.tag = tag;
    this.srv = Netns.PREFIX + tag + "-srv";
    this.nat = Netns.PREFIX + tag + "-nat";
    this.lan = Netns.PREFIX + tag + "-lan";
    close();
    for (String ns : List.of(srv, nat, lan)) {
      Netns.run("ip", "netns", "add", ns);
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    bridge(srv, tag + "br0", DIRECT_GW);
    bridge(nat, tag + "br1", "10.1.0.1");
    Netns.veth(srv, tag + "s1", NAT_GW, nat, tag + "n1", "10.98.1.254");
    Netns.veth(srv, tag + "s2", "10.203.0.1", lan, tag + "l0", LAN_HOST);
    Netns.run("ip", "-n", lan, "route", "add", "default", "via", "10.203.0.1");
    Netns.run("ip", "netns", "exec", srv, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    Netns.masquerade(nat, tag + "n1");
  }

  private static void bridge(String ns, String name, String address) throws Exception {
    Netns.run("ip", "-n", ns, "link", "add", name, "type", "bridge");
    Netns.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", name);
    Netns.run("ip", "-n", ns, "link", "set", name, "up");
  }

  /** Both client-facing addresses, for coati's gateway.listen. */
  static String listen() {
    return DIRECT_GW + ", " + NAT_GW;
  }

  /**
   * Boots VM {@code n} on the gateway's bridge ({@code behindNat} false: 10.98.0.(10+n)) or behind
   * the NAT (10.1.0.(10+n)); sets SERVER, VMIP, VMGW (the gateway itself when direct, so clients
   * that want a default route have one) and MAC, then {@code params}.
   */
  QemuVm boot(int n, boolean behindNat, Path share, Map<String, String> params) throws Exception {
    String ns = behindNat ? nat : srv;
    String tap = tag + "tap" + n;
    QemuVm.tap(ns, tap);
    Netns.run("ip", "-n", ns, "link", "set", tap, "master", tag + (behindNat ? "br1" : "br0"));
    Netns.run("ip", "-n", ns, "link", "set", tap, "up");
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "MAC", String.format("52:54:00:%02x:%02x:%02x", (int) tag.charAt(0), behindNat ? 1 : 0, n));
    p.put("SERVER", behindNat ? NAT_GW : DIRECT_GW);
    p.put("VMIP", (behindNat ? "10.1.0." : "10.98.0.") + (10 + n) + "/24");
    p.put("VMGW", behindNat ? "10.1.0.1" : DIRECT_GW);
    p.putAll(params);
    return QemuVm.boot(ns, tap, share, p);
  }

  @Override
  public void close() throws Exception {
    Netns.remove(srv, nat, lan);
  }
}
