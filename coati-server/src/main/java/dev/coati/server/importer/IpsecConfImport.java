package dev.coati.server.importer;

import dev.coati.util.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ipsec.conf of strongSwan 5 (stroke) and Libreswan: each {@code conn} (with {@code also=} and
 * {@code %default} applied) becomes L2TP/IPsec (transport mode, UDP/1701), Cisco-style remote
 * access (a pool and Xauth) or a site-to-site peer; {@code left} is taken as this gateway.
 */
final class IpsecConfImport {
  private record Conn(String name, int line, Map<String, String> keys, List<String> also) {}

  private final ImportedConfig c;
  private final String file;
  private final Map<String, Conn> conns = new LinkedHashMap<>();

  IpsecConfImport(ImportedConfig c, String file) {
    this.c = c;
    this.file = file;
  }

  void run(String text) {
    parse(text);
    for (Conn conn : conns.values()) {
      if (conn.name().equals("%default")) {
        continue;
      }
      Map<String, String> k = resolved(conn, 0);
      if ("ignore".equals(k.get("auto"))) {
        c.took(at(conn), "conn " + conn.name() + ": auto=ignore, skipped");
      } else {
        translate(conn, k);
      }
    }
  }

  private void parse(String text) {
    String[] lines = text.split("\n", -1);
    Conn current = null;
    for (int i = 0; i < lines.length; i++) {
      String raw = lines[i];
      String l = stripComment(raw).strip();
      if (l.isEmpty()) {
        continue;
      }
      boolean indented = Character.isWhitespace(raw.charAt(0));
      if (!indented) {
        current = null;
        if (l.startsWith("conn ")) {
          String name = l.substring(5).strip();
          current = new Conn(name, i + 1, new LinkedHashMap<>(), new ArrayList<>());
          conns.put(name, current);
        } else if (!l.equals("config setup") && !l.startsWith("version")) {
          c.skip(file + ":" + (i + 1), "'" + l + "' is not translated");
        }
        continue;
      }
      int eq = l.indexOf('=');
      if (eq < 0 || current == null) {
        continue;
      }
      String key = l.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = unquote(l.substring(eq + 1).strip());
      if (key.equals("also")) {
        current.also().add(value);
      } else {
        current.keys().put(key, value);
      }
    }
  }

  private Map<String, String> resolved(Conn conn, int depth) {
    Map<String, String> k = new LinkedHashMap<>();
    Conn def = conns.get("%default");
    if (def != null && depth == 0) {
      k.putAll(def.keys());
    }
    for (String a : conn.also()) {
      Conn base = conns.get(a);
      if (base != null && depth < 8) {
        k.putAll(resolved(base, depth + 1));
      }
    }
    k.putAll(conn.keys());
    return k;
  }

  private void translate(Conn conn, Map<String, String> k) {
    String ke = k.getOrDefault("keyexchange", k.getOrDefault("ikev2", "ikev1"));
    if (ke.equals("ikev2") || ke.equals("insist") || ke.equals("yes") && k.containsKey("ikev2")) {
      c.skip(at(conn), "conn " + conn.name() + " is IKEv2: coati speaks IKEv1 (IKEv2 is planned)");
      return;
    }
    common(conn, k);
    boolean transport = "transport".equals(k.get("type"));
    String leftPort = k.getOrDefault("leftprotoport", "");
    if (transport && (leftPort.endsWith("/1701") || leftPort.endsWith("l2tp"))) {
      c.l2tp = true;
      c.took(at(conn), "conn " + conn.name() + ": L2TP/IPsec (transport mode, UDP/1701)");
      return;
    }
    String pool = first(k, "rightsourceip", "rightaddresspool");
    String right = k.getOrDefault("right", "%any");
    if (pool != null && !pool.startsWith("%")) {
      remoteAccess(conn, k, pool);
    } else if (!right.startsWith("%") && k.containsKey("rightsubnet")) {
      site(conn, k, right);
    } else {
      c.skip(
          at(conn),
          "conn "
              + conn.name()
              + ": neither L2TP (transport, leftprotoport=17/1701),"
              + " a pool (rightsourceip/rightaddresspool) nor a peer with rightsubnet");
    }
  }

  private void common(Conn conn, Map<String, String> k) {
    List<String> bad = new ArrayList<>();
    if (k.containsKey("ike")) {
      c.ikeProposals.addAll(Algorithms.proposals(k.get("ike"), true, bad));
    }
    String esp = first(k, "esp", "phase2alg");
    if (esp != null) {
      c.espProposals.addAll(Algorithms.proposals(esp, false, bad));
    }
    for (String b : bad) {
      c.skip(at(conn), "proposal '" + b + "' has no coati equivalent");
    }
    set(k, "ikelifetime", v -> c.ikeLifetime = Algorithms.duration(v));
    String life = first(k, "lifetime", "keylife", "salifetime");
    if (life != null) {
      c.espLifetime = Algorithms.duration(life);
    }
    set(k, "dpddelay", v -> c.dpdDelay = Algorithms.duration(v));
    set(k, "dpdtimeout", v -> c.dpdTimeout = Algorithms.duration(v));
    if ("yes".equals(k.get("forceencaps")) || "yes".equals(k.get("encapsulation"))) {
      c.forceEncapsulation = true;
    }
    String left = k.get("left");
    if (left != null && isAddress(left) && !c.listen.contains(left)) {
      c.listen.add(left);
    }
    set(k, "leftid", v -> c.gatewayId = identity(v));
    set(k, "leftcert", v -> c.certificate = v.startsWith("/") ? v : "/etc/ipsec.d/certs/" + v);
    if (k.containsKey("pfs") && "no".equals(k.get("pfs"))) {
      c.pfs = "none";
    }
  }

  private void remoteAccess(Conn conn, Map<String, String> k, String pool) {
    c.pool = pool.contains("/") || pool.contains("-") ? pool : pool + "/32";
    String auth = k.getOrDefault("authby", "");
    boolean xauth =
        auth.startsWith("xauth")
            || "xauth".equals(k.get("rightauth2"))
            || "yes".equals(k.get("leftxauthserver"))
            || "server".equals(k.get("xauth"))
            || "xauth".equals(k.get("rightauth"));
    boolean cert = k.containsKey("leftcert") || auth.contains("rsa");
    if (!xauth) {
      c.skip(
          at(conn),
          "conn "
              + conn.name()
              + ": a pool without Xauth; coati's road warriors"
              + " always log in (psk-xauth was set)");
    }
    c.remoteAccessAuth.add(cert && !auth.equals("xauthpsk") ? "hybrid-rsa" : "psk-xauth");
    String dns = first(k, "rightdns", "modecfgdns", "modecfgdns1");
    if (dns != null) {
      for (String d : dns.split("[,\\s]+")) {
        c.dns.add(d);
      }
    }
    set(k, "modecfgdomains", v -> c.domain = v.split("[,\\s]+")[0]);
    set(
        k,
        "modecfgbanner",
        v ->
            c.skip(
                at(conn),
                "modecfgbanner: write the text to a file and" + " set remote_access.banner"));
    String subnet = k.get("leftsubnet");
    if (subnet != null && !subnet.equals("0.0.0.0/0")) {
      for (String s : subnet.split("[,\\s]+")) {
        c.splitInclude.add(s);
      }
    }
    if ("push".equals(k.get("modecfgpull")) || "push".equals(k.get("leftmodecfgserver"))) {
      c.modeConfig = "push";
    }
    if ("yes".equals(k.get("aggressive")) || "yes".equals(k.get("aggrmode"))) {
      c.took(at(conn), "aggressive mode: list the clients' group names in ike.aggressive_ids");
    }
    c.took(at(conn), "conn " + conn.name() + ": remote access with pool " + c.pool);
  }

  private void site(Conn conn, Map<String, String> k, String right) {
    if (!isAddress(right)) {
      c.skip(at(conn), "conn " + conn.name() + ": right=" + right + " is not an IPv4 address");
      return;
    }
    List<String> local =
        List.of(k.getOrDefault("leftsubnet", k.getOrDefault("left", "")).split("[,\\s]+"));
    List<String> remote = List.of(k.get("rightsubnet").split("[,\\s]+"));
    boolean aggressive = "yes".equals(k.get("aggressive")) || "yes".equals(k.get("aggrmode"));
    boolean start = "start".equals(k.get("auto")) || "route".equals(k.get("auto"));
    c.peers.add(new ImportedConfig.Peer(conn.name(), right, aggressive, local, remote, start));
  }

  /** strongSwan's "@vpn.example.com" / Libreswan's "@vpn" as fqdn:, an address as ipv4:. */
  static String identity(String v) {
    if (v.startsWith("@#")) {
      return "keyid:" + v.substring(2);
    }
    if (v.startsWith("@")) {
      return "fqdn:" + v.substring(1);
    }
    if (isAddress(v)) {
      return "ipv4:" + v;
    }
    return v.contains("@") ? "user:" + v : "fqdn:" + v;
  }

  private interface Setter {
    void set(String value);
  }

  private static void set(Map<String, String> k, String key, Setter s) {
    String v = k.get(key);
    if (v != null && !v.isEmpty()) {
      s.set(v);
    }
  }

  private static String first(Map<String, String> k, String... keys) {
    for (String key : keys) {
      if (k.containsKey(key)) {
        return k.get(key);
      }
    }
    return null;
  }

  static boolean isAddress(String s) {
    try {
      Ipv4Address.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String stripComment(String l) {
    boolean quoted = false;
    for (int i = 0; i < l.length(); i++) {
      char ch = l.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == '#' && !quoted) {
        return l.substring(0, i);
      }
    }
    return l;
  }

  static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }

  private String at(Conn conn) {
    return file + ":" + conn.line();
  }
}
