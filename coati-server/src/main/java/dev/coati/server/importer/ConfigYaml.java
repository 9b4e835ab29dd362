package dev.coati.server.importer;

import dev.coati.util.Ipv4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Renders an {@link ImportedConfig} as a coati.yaml, with the secret files it names. */
final class ConfigYaml {
  static final String PSK_FILE = "psk.txt";
  static final String USERS_FILE = "users.txt";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+][A-Za-z0-9_./@+: -]*");
  private static final Pattern LOOKS_TYPED =
      Pattern.compile("(?i)(true|false|yes|no|on|off|null|~|[+-]?[0-9]*\\.?[0-9]+(e[+-]?[0-9]+)?)");

  /** A secret file to write next to the configuration (mode 0600). */
  record SecretFile(String name, String content) {}

  private final StringBuilder y = new StringBuilder();
  private final List<SecretFile> secrets = new ArrayList<>();

  private ConfigYaml() {}

  /** The YAML text; the secret files it refers to are added to {@code secretFiles}. */
  static String render(ImportedConfig c, List<SecretFile> secretFiles) {
    ConfigYaml r = new ConfigYaml();
    r.all(c);
    secretFiles.addAll(r.secrets);
    return r.y.toString();
  }

  private void all(ImportedConfig c) {
    y.append("# written by coati import; check it with: coati check --config coati.yaml\n");
    gateway(c);
    secrets(c);
    ike(c);
    esp(c);
    peers(c);
    String tun = tunAddress(c);
    if (c.remoteAccess()) {
      section("users");
      kv(1, "file", USERS_FILE);
      kv(1, "source", c.usersSource);
      remoteAccess(c);
    }
    if (!c.radiusServers.isEmpty()) {
      section("radius");
      line(1, "servers:");
      int n = 0;
      for (ImportedConfig.RadiusServer s : c.radiusServers) {
        String file = n++ == 0 ? "radius-secret.txt" : "radius-secret-" + n + ".txt";
        secrets.add(new SecretFile(file, s.secret() + "\n"));
        line(2, "- address: " + scalar(s.address()));
        line(3, "secret_file: " + file);
      }
    }
    if (c.l2tp) {
      section("l2tp");
      list(1, "auth", c.pppAuth);
      kv(1, "lcp_echo_interval", c.lcpEchoInterval);
      kv(1, "lcp_echo_failures", c.lcpEchoFailures);
      kv(1, "host_name", c.hostName);
    }
    if (tun != null) {
      section("dataplane");
      kv(1, "tun", "coati0");
      kv(1, "address", tun);
    }
  }

  private void gateway(ImportedConfig c) {
    if (c.listen.isEmpty() && c.gatewayId == null && c.certificate == null) {
      return;
    }
    section("gateway");
    list(1, "listen", c.listen);
    kv(1, "id", c.gatewayId);
    kv(1, "certificate", c.certificate);
    kv(1, "private_key", c.privateKey);
    list(1, "ca", c.ca);
  }

  private void secrets(ImportedConfig c) {
    if (c.psks.isEmpty()) {
      return;
    }
    section("secrets");
    line(1, "psk:");
    int n = 0;
    for (ImportedConfig.Psk p : c.psks) {
      String file = n++ == 0 ? PSK_FILE : "psk-" + n + ".txt";
      secrets.add(new SecretFile(file, p.secret() + "\n"));
      boolean any = p.peers().size() == 1 && p.peers().get(0).equals("any");
      line(2, "- peers: " + (any ? "any" : flow(p.peers())) + "    # from " + p.origin());
      line(3, "secret_file: " + file);
    }
  }

  private void ike(ImportedConfig c) {
    boolean dpd = c.dpdDelay != null || c.dpdTimeout != null;
    if (c.ikeProposals.isEmpty()
        && c.ikeLifetime == null
        && c.aggressiveIds.isEmpty()
        && !dpd
        && c.forceEncapsulation == null) {
      return;
    }
    section("ike");
    list(1, "proposals", c.ikeProposals);
    kv(1, "lifetime", c.ikeLifetime);
    list(1, "aggressive_ids", c.aggressiveIds);
    if (dpd) {
      line(1, "dpd:");
      kv(2, "delay", c.dpdDelay);
      kv(2, "timeout", c.dpdTimeout);
    }
    if (c.forceEncapsulation != null) {
      kv(1, "force_udp_encapsulation", c.forceEncapsulation.toString());
    }
  }

  private void esp(ImportedConfig c) {
    if (c.espProposals.isEmpty() && c.espLifetime == null && c.pfs == null) {
      return;
    }
    section("esp");
    list(1, "proposals", c.espProposals);
    kv(1, "lifetime", c.espLifetime);
    kv(1, "pfs", c.pfs);
  }

  private void peers(ImportedConfig c) {
    if (c.peers.isEmpty()) {
      return;
    }
    section("peers");
    for (ImportedConfig.Peer p : c.peers) {
      line(1, "- name: " + scalar(p.name()));
      line(2, "remote: " + scalar(p.remote()));
      if (p.aggressive()) {
        line(2, "mode: aggressive");
      }
      line(2, "local_subnets: " + flow(p.localSubnets()));
      line(2, "remote_subnets: " + flow(p.remoteSubnets()));
      line(2, "start: " + p.start());
    }
  }

  private void remoteAccess(ImportedConfig c) {
    section("remote_access");
    list(1, "auth", c.remoteAccessAuth);
    kv(1, "pool", c.pool);
    list(1, "dns", c.dns);
    list(1, "nbns", c.nbns);
    kv(1, "domain", c.domain);
    kv(1, "banner", c.banner);
    list(1, "split_include", c.splitInclude);
    kv(1, "mode_config", c.modeConfig);
    kv(1, "idle_timeout", c.idleTimeout);
  }

  /**
   * The gateway's tunnel address with the prefix that covers the pool: the imported one (xl2tpd's
   * local ip) or the first address of that prefix outside the pool.
   */
  static String tunAddress(ImportedConfig c) {
    if (c.pool == null) {
      return c.tunAddress == null ? null : c.tunAddress + "/24";
    }
    long[] range = poolRange(c.pool);
    long lo = range[0];
    long hi = range[1];
    if (c.tunAddress != null) {
      long t = Ipv4Address.parse(c.tunAddress).unsigned();
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    int prefix = 24;
    while (prefix > 8 && (lo >>> (32 - prefix)) != (hi >>> (32 - prefix))) {
      prefix--;
    }
    if (c.tunAddress != null) {
      return c.tunAddress + "/" + prefix;
    }
    for (; prefix >= 8; prefix--) {
      long size = 1L << (32 - prefix);
      long net = lo & ~(size - 1);
      for (long a = net + 1; a < net + size - 1; a++) {
        if (a < range[0] || a > range[1]) {
          return new Ipv4Address((int) a) + "/" + prefix;
        }
      }
    }
    return null;
  }

  /** First and last address of a pool written as "a-b" or as a CIDR (without network/broadcast). */
  static long[] poolRange(String pool) {
    int dash = pool.indexOf('-');
    if (dash > 0) {
      return new long[] {
        Ipv4Address.parse(pool.substring(0, dash).trim()).unsigned(),
        Ipv4Address.parse(pool.substring(dash + 1).trim()).unsigned()
      };
    }
    int slash = pool.indexOf('/');
    int bits = Integer.parseInt(pool.substring(slash + 1).trim());
    long size = 1L << (32 - bits);
    long net =
        Ipv4Address.parse(pool.substring(0, slash).trim()).unsigned() & ~(size - 1) & 0xffffffffL;
    return new long[] {net + 1, net + size - 2};
  }

  private void section(String name) {
    y.append(name).append(":\n");
  }

  private void kv(int depth, String key, String value) {
    if (value != null) {
      line(depth, key + ": " + scalar(value));
    }
  }

  private void list(int depth, String key, Collection<String> values) {
    if (!values.isEmpty()) {
      line(depth, key + ": " + flow(values));
    }
  }

  private void line(int depth, String text) {
    y.append("  ".repeat(depth)).append(text).append('\n');
  }

  static String flow(Collection<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(scalar(v));
    }
    return "[" + String.join(", ", out) + "]";
  }

  /** A YAML scalar: plain where that reads back as the same string, else double-quoted. */
  static String scalar(String v) {
    if (PLAIN.matcher(v).matches()
        && !v.endsWith(" ")
        && !v.contains(": ")
        && !v.endsWith(":")
        && !LOOKS_TYPED.matcher(v).matches()) {
      return v;
    }
    StringBuilder q = new StringBuilder("\"");
    for (char ch : v.toCharArray()) {
      switch (ch) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> {
          if (ch < 0x20) {
            q.append(String.format("\\x%02x", (int) ch));
          } else {
            q.append(ch);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
