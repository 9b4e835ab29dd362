package dev.coati.server.client;

import dev.coati.ike.RemoteAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code coati connect} changes on this host and gives back at disconnect, exactly: the routes
 * (the split-include networks through the TUN device, or all traffic as 0.0.0.0/1 and 128.0.0.0/1
 * with a host route to the gateway kept on its old path) and DNS (systemd-resolved through
 * resolvectl, resolvconf, or /etc/resolv.conf rewritten in place after saving it). Commands run
 * without a shell; each route added is remembered and deleted again, nothing else is touched.
 */
final class HostNetwork {
  static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
  private static final long COMMAND_SECONDS = 10;

  private final String tun;
  private final String dnsMode;
  private final PrintStream log;
  private final List<String> routes = new ArrayList<>();
  private String dnsApplied;
  private byte[] savedResolvConf;

  HostNetwork(String tun, String dnsMode, PrintStream log) {
    this.tun = tun;
    this.dnsMode = dnsMode;
    this.log = log;
  }

  /** The networks the tunnel carries: the split includes, or everything. */
  static List<String> tunnelNetworks(RemoteAccess.ClientConfig cfg) {
    return cfg.splitInclude().isEmpty() ? List.of("0.0.0.0/0") : cfg.splitInclude();
  }

  /** Routes and DNS for {@code cfg}; {@code gateway} keeps its route outside the tunnel. */
  void up(String gateway, RemoteAccess.ClientConfig cfg) throws IOException {
    if (cfg.splitInclude().isEmpty()) {
      String via = pathTo(gateway);
      addRoute(gateway + "/32" + via);
      addRoute("0.0.0.0/1 dev " + tun);
      addRoute("128.0.0.0/1 dev " + tun);
    } else {
      for (String net : cfg.splitInclude()) {
        addRoute(net + " dev " + tun);
      }
    }
    dns(cfg);
  }

  /** " via A dev D" (or " dev D"): how the gateway is reached now. */
  private String pathTo(String gateway) throws IOException {
    String out = run(List.of("ip", "-4", "route", "get", gateway), null);
    String[] w = out.strip().split("\\s+");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < w.length; i++) {
      if (w[i].equals("via") || w[i].equals("dev")) {
        b.append(' ').append(w[i]).append(' ').append(w[i + 1]);
      }
    }
    if (b.indexOf(" dev ") < 0) {
      throw new IOException("no route to the gateway " + gateway + ": " + out.strip());
    }
    return b.toString();
  }

  private void addRoute(String spec) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-4", "route", "add"));
    cmd.addAll(List.of(spec.split(" ")));
    run(cmd, null);
    routes.add(spec);
  }

  private void dns(RemoteAccess.ClientConfig cfg) throws IOException {
    if (cfg.dns().isEmpty() || dnsMode.equals("off")) {
      return;
    }
    String mode = dnsMode.equals("auto") ? detect() : dnsMode;
    List<String> servers = new ArrayList<>();
    for (byte[] d : cfg.dns()) {
      servers.add(InetAddress.getByAddress(d).getHostAddress());
    }
    List<String> domains = new ArrayList<>(cfg.splitDns());
    if (cfg.defaultDomain() != null && !domains.contains(cfg.defaultDomain())) {
      domains.add(0, cfg.defaultDomain());
    }
    switch (mode) {
      case "resolved" -> resolved(servers, cfg);
      case "resolvconf" ->
          run(List.of("resolvconf", "-a", tun + ".coati"), resolvConf(servers, domains));
      default -> {
        savedResolvConf = Files.exists(RESOLV_CONF) ? Files.readAllBytes(RESOLV_CONF) : null;
        // in place, not by rename: under ip netns exec the file is a bind mount
        Files.writeString(RESOLV_CONF, resolvConf(servers, domains), StandardCharsets.UTF_8);
      }
    }
    dnsApplied = mode;
    log.println("coati: DNS " + servers + " via " + mode);
  }

  private void resolved(List<String> servers, RemoteAccess.ClientConfig cfg) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("resolvectl", "dns", tun));
    cmd.addAll(servers);
    run(cmd, null);
    List<String> dom = new ArrayList<>(List.of("resolvectl", "domain", tun));
    if (cfg.splitDns().isEmpty() && cfg.splitInclude().isEmpty()) {
      dom.add("~."); // all names through the tunnel, as all traffic goes there
    }
    for (String d : cfg.splitDns()) {
      dom.add("~" + d);
    }
    if (cfg.defaultDomain() != null) {
      dom.add(cfg.defaultDomain());
    }
    if (dom.size() > 3) {
      run(dom, null);
    }
  }

  private static String resolvConf(List<String> servers, List<String> domains) {
    StringBuilder b = new StringBuilder("# written by coati connect; restored at disconnect\n");
    if (!domains.isEmpty()) {
      b.append("search ").append(String.join(" ", domains)).append('\n');
    }
    for (String s : servers) {
      b.append("nameserver ").append(s).append('\n');
    }
    return b.toString();
  }

  private static String detect() {
    if (onPath("resolvectl") && Files.isDirectory(Path.of("/run/systemd/resolve"))) {
      return "resolved";
    }
    return onPath("resolvconf") ? "resolvconf" : "file";
  }

  private static boolean onPath(String cmd) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cmd))) {
        return true;
      }
    }
    return false;
  }

  /** Gives back what {@link #up} took: routes deleted in reverse order, DNS as it was. */
  void down() {
    for (int i = routes.size() - 1; i >= 0; i--) {
      List<String> cmd = new ArrayList<>(List.of("ip", "-4", "route", "del"));
      cmd.addAll(List.of(routes.get(i).split(" ")));
      try {
        run(cmd, null);
      } catch (IOException e) {
        // the TUN device's routes go with the device
        if (!routes.get(i).contains(" dev " + tun)) {
          log.println("coati: could not remove route " + routes.get(i) + ": " + e.getMessage());
        }
      }
    }
    routes.clear();
    try {
      restoreDns();
    } catch (IOException e) {
      log.println("coati: could not restore DNS: " + e.getMessage());
    }
  }

  private void restoreDns() throws IOException {
    if (dnsApplied == null) {
      return;
    }
    switch (dnsApplied) {
      case "resolved" -> run(List.of("resolvectl", "revert", tun), null);
      case "resolvconf" -> run(List.of("resolvconf", "-d", tun + ".coati"), null);
      default -> {
        if (savedResolvConf != null) {
          Files.write(RESOLV_CONF, savedResolvConf);
        } else {
          Files.deleteIfExists(RESOLV_CONF);
        }
      }
    }
    dnsApplied = null;
  }

  /** Runs {@code cmd} (no shell), {@code input} on its stdin; its output, or why it failed. */
  static String run(List<String> cmd, String input) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no answer in " + COMMAND_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + out.strip());
    }
    return out;
  }
}
