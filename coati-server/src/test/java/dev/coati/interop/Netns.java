package dev.coati.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair: a client (10.97.0.2) and a gateway (10.97.0.1, with
 * 10.200.0.1 on lo as the "LAN"). Traffic never leaves them; {@link #close()} removes them.
 */
final class Netns implements AutoCloseable {
  /**
   * Prefix of the namespace names; {@code -Dcoati.netns.prefix=x-} lets two checkouts run their ITs
   * on one machine at once.
   */
  static final String PREFIX = System.getProperty("coati.netns.prefix", "coati-it-");

  static final String CLI = PREFIX + "cli";
  static final String SRV = PREFIX + "srv";
  static final String NAT = PREFIX + "nat";
  static final String LAN = PREFIX + "lan";
  static final String CLI2 = PREFIX + "cli2";

  /** A second client (see {@link #addSecondClient()}), reaching the gateway via 10.97.1.1. */
  static final String CLI2_ADDR = "10.97.1.2";

  /** A host on the gateway's LAN (see {@link #addLan()}), and the gateway's address there. */
  static final String LAN_HOST = "10.203.0.2";

  static final String LAN_GW = "10.203.0.1";

  /** The client's address behind the NAT box, and the box's outside address. */
  static final String NATTED_CLI = "10.1.0.2";

  static final String NAT_OUTSIDE = "10.97.0.254";
  static final String CLI_ADDR = "10.97.0.2";
  static final String SRV_ADDR = "10.97.0.1";

  /**
   * With {@code nat}: client 10.1.0.2 - NAT box (10.1.0.1 | 10.97.0.254, iptables MASQUERADE) -
   * gateway 10.97.0.1, which has no route back to 10.1.0.0/24.
   */
  Netns(boolean nat) throws Exception {
    if (!nat) {
      setUp();
      return;
    }
    close();
    run("ip", "netns", "add", CLI);
    run("ip", "netns", "add", SRV);
    run("ip", "netns", "add", NAT);
    run(
        "ip", "link", "add", "cit0", "netns", CLI, "type", "veth", "peer", "name", "nit0", "netns",
        NAT);
    run(
        "ip", "link", "add", "sit0", "netns", SRV, "type", "veth", "peer", "name", "nit1", "netns",
        NAT);
    run("ip", "-n", CLI, "addr", "add", NATTED_CLI + "/24", "dev", "cit0");
    run("ip", "-n", NAT, "addr", "add", "10.1.0.1/24", "dev", "nit0");
    run("ip", "-n", NAT, "addr", "add", NAT_OUTSIDE + "/24", "dev", "nit1");
    run("ip", "-n", SRV, "addr", "add", SRV_ADDR + "/24", "dev", "sit0");
    run("ip", "-n", SRV, "addr", "add", "10.200.0.1/32", "dev", "lo");
    for (String ns : List.of(CLI, SRV, NAT)) {
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    run("ip", "-n", CLI, "link", "set", "cit0", "up");
    run("ip", "-n", NAT, "link", "set", "nit0", "up");
    run("ip", "-n", NAT, "link", "set", "nit1", "up");
    run("ip", "-n", SRV, "link", "set", "sit0", "up");
    run("ip", "-n", CLI, "route", "add", "default", "via", "10.1.0.1");
    masquerade(NAT, "nit1");
  }

  Netns() throws Exception {
    setUp();
  }

  private void setUp() throws Exception {
    close();
    run("ip", "netns", "add", CLI);
    run("ip", "netns", "add", SRV);
    run(
        "ip", "link", "add", "cit0", "netns", CLI, "type", "veth", "peer", "name", "sit0", "netns",
        SRV);
    run("ip", "-n", CLI, "addr", "add", CLI_ADDR + "/24", "dev", "cit0");
    run("ip", "-n", SRV, "addr", "add", SRV_ADDR + "/24", "dev", "sit0");
    run("ip", "-n", SRV, "addr", "add", "10.200.0.1/32", "dev", "lo");
    for (String ns : List.of(CLI, SRV)) {
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    run("ip", "-n", CLI, "link", "set", "cit0", "up");
    run("ip", "-n", SRV, "link", "set", "sit0", "up");
  }

  /**
   * A third namespace behind the gateway: LAN host 10.203.0.2/24 - gateway 10.203.0.1/24, which
   * forwards between its TUN device and the LAN (ip_forward); the host routes everything via it.
   */
  Netns addLan() throws Exception {
    run("ip", "netns", "add", LAN);
    run(
        "ip", "link", "add", "sit1", "netns", SRV, "type", "veth", "peer", "name", "lit0", "netns",
        LAN);
    run("ip", "-n", SRV, "addr", "add", LAN_GW + "/24", "dev", "sit1");
    run("ip", "-n", LAN, "addr", "add", LAN_HOST + "/24", "dev", "lit0");
    run("ip", "-n", LAN, "link", "set", "lo", "up");
    run("ip", "-n", LAN, "link", "set", "lit0", "up");
    run("ip", "-n", SRV, "link", "set", "sit1", "up");
    run("ip", "-n", LAN, "route", "add", "default", "via", LAN_GW);
    run("ip", "netns", "exec", SRV, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    return this;
  }

  /**
   * A second client namespace on its own link to the gateway: 10.97.1.2/24 - 10.97.1.1/24, its
   * default route via the gateway, which reaches it directly (two road warriors at once).
   */
  Netns addSecondClient() throws Exception {
    run("ip", "netns", "add", CLI2);
    run(
        "ip", "link", "add", "sit2", "netns", SRV, "type", "veth", "peer", "name", "cit2", "netns",
        CLI2);
    run("ip", "-n", SRV, "addr", "add", "10.97.1.1/24", "dev", "sit2");
    run("ip", "-n", CLI2, "addr", "add", CLI2_ADDR + "/24", "dev", "cit2");
    run("ip", "-n", CLI2, "link", "set", "lo", "up");
    run("ip", "-n", CLI2, "link", "set", "cit2", "up");
    run("ip", "-n", SRV, "link", "set", "sit2", "up");
    run("ip", "-n", CLI2, "route", "add", "default", "via", "10.97.1.1");
    return this;
  }

  /** Runs a command (bounded to 60 s) and returns its output; fails on a non-zero exit. */
  static String run(String... cmd) throws IOException, InterruptedException {
    Result r = tryRun(cmd);
    if (r.code != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output);
    }
    return r.output;
  }

  record Result(int code, String output) {}

  static Result tryRun(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " timed out");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/lib/ipsec/charon"))
        && Files.isExecutable(Path.of("/usr/sbin/swanctl"))
        && "root".equals(System.getProperty("user.name"));
  }

  static List<String> inNs(String ns, String... cmd) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    out.addAll(List.of(cmd));
    return out;
  }

  @Override
  public void close() throws Exception {
    remove(CLI, CLI2, SRV, NAT, LAN);
  }

  /** Kills what still runs in these namespaces (by PID) and deletes them; absent ones are fine. */
  static void remove(String... namespaces) throws IOException, InterruptedException {
    for (String ns : namespaces) {
      Result pids = tryRun("ip", "netns", "pids", ns);
      if (pids.code == 0) {
        for (String pid : pids.output.trim().split("\\s+")) {
          if (!pid.isEmpty()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
      tryRun("ip", "netns", "del", ns);
    }
  }

  /**
   * A veth pair {@code if1}@{@code ns1} ({@code a1}/24) - {@code if2}@{@code ns2} ({@code a2}/24).
   */
  static void veth(String ns1, String if1, String a1, String ns2, String if2, String a2)
      throws IOException, InterruptedException {
    run("ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2, "netns", ns2);
    run("ip", "-n", ns1, "addr", "add", a1 + "/24", "dev", if1);
    run("ip", "-n", ns2, "addr", "add", a2 + "/24", "dev", if2);
    run("ip", "-n", ns1, "link", "set", if1, "up");
    run("ip", "-n", ns2, "link", "set", if2, "up");
  }

  /** Forwarding on, and source NAT of everything leaving {@code ns} through {@code outIf}. */
  static void masquerade(String ns, String outIf) throws IOException, InterruptedException {
    run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    run(
        inNs(ns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", outIf, "-j", "MASQUERADE")
            .toArray(String[]::new));
  }
}
