package dev.coati.server.importer;

import static dev.coati.server.importer.BraceConfig.children;

import dev.coati.server.importer.BraceConfig.Stmt;
import dev.coati.util.Hex;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SoftEther VPN Server's vpn_server.config ({@code declare NAME { type key value }}): the IPsec
 * section (L2TP over IPsec, its pre-shared key), the L2TP default hub's password users (their
 * AuthNtLmSecureHash is the NT hash, which serves MS-CHAPv2, Xauth and PAP as it is) and its
 * SecureNAT DHCP pool, DNS and virtual host address.
 */
final class SoftEtherImport {
  private static final Pattern DECLARE_NEWLINE = Pattern.compile("(declare\\s+\\S+)\\s*\\n\\s*\\{");

  private final ImportedConfig c;
  private final String file;

  SoftEtherImport(ImportedConfig c, String file) {
    this.c = c;
    this.file = file;
  }

  void run(String text) throws BraceConfig.SyntaxException {
    List<Stmt> top =
        BraceConfig.parse(DECLARE_NEWLINE.matcher(text).replaceAll("$1 {"), true, false);
    Stmt root = child(top, "root");
    if (root == null) {
      c.skip(file, "no 'declare root' block: not a SoftEther configuration");
      return;
    }
    String hub = ipsec(child(children(root), "IPsec"));
    Stmt hubs = child(children(root), "VirtualHUB");
    Stmt h = hubs == null ? null : child(children(hubs), hub);
    if (h == null) {
      c.skip(file, "the L2TP hub " + hub + " is not in this file: add users and the pool by hand");
      return;
    }
    Stmt db = child(children(h), "SecurityAccountDatabase");
    Stmt users = db == null ? null : child(children(db), "UserList");
    if (users != null) {
      children(users).forEach(this::user);
    }
    secureNat(child(children(h), "SecureNAT"));
  }

  /** The IPsec section; returns the L2TP default hub's name. */
  private String ipsec(Stmt ipsec) {
    if (ipsec == null) {
      c.skip(file, "no IPsec section: L2TP over IPsec was never configured");
      return "DEFAULT";
    }
    Map<String, String> v = values(ipsec);
    if ("true".equals(v.get("L2TP_IPsec"))) {
      c.l2tp = true;
      c.took(at(ipsec), "L2TP_IPsec true -> l2tp:");
    } else {
      c.skip(at(ipsec), "L2TP_IPsec is off in SoftEther: coati's l2tp: was turned on anyway");
      c.l2tp = true;
    }
    String secret = text(v.get("IPsec_Secret"));
    if (secret != null && !secret.isEmpty()) {
      c.psks.add(new ImportedConfig.Psk(List.of("any"), secret, at(ipsec)));
    }
    if ("true".equals(v.get("L2TP_Raw"))) {
      c.skip(at(ipsec), "L2TP_Raw (L2TP without IPsec): coati accepts L2TP only inside IPsec");
    }
    if ("true".equals(v.get("EtherIP_IPsec"))) {
      c.skip(at(ipsec), "EtherIP_IPsec (site bridging): not offered by coati");
    }
    String hub = text(v.get("L2TP_DefaultHub"));
    return hub == null || hub.isEmpty() ? "DEFAULT" : hub;
  }

  private void user(Stmt u) {
    String name = u.words().size() > 1 ? u.words().get(1) : "";
    Map<String, String> v = values(u);
    String type = v.getOrDefault("AuthType", "?");
    String nt = v.get("AuthNtLmSecureHash");
    if (!type.equals("1") || nt == null) {
      String kind =
          switch (type) {
            case "0" -> "anonymous";
            case "2" -> "user certificate";
            case "3" -> "signed certificate";
            case "4" -> "RADIUS (set users.source: radius and radius.servers)";
            case "5" -> "NT domain";
            default -> "type " + type;
          };
      c.skip(at(u), "user " + name + " authenticates by " + kind + ": not carried over");
      return;
    }
    byte[] hash;
    try {
      hash = Base64.getDecoder().decode(nt);
    } catch (IllegalArgumentException e) {
      hash = new byte[0];
    }
    if (hash.length != 16) {
      c.skip(at(u), "user " + name + ": AuthNtLmSecureHash is not a 16-byte NT hash");
      return;
    }
    c.user(new ImportedConfig.User(name, null, Hex.encode(hash), null, at(u)));
  }

  private void secureNat(Stmt nat) {
    if (nat == null || "true".equals(values(nat).get("Disabled"))) {
      c.skip(
          file,
          "SecureNAT is off (an outside DHCP server gave addresses): set"
              + " remote_access.pool and dataplane.address by hand");
      return;
    }
    Map<String, String> v = values(nat);
    String start = text(v.get("DhcpLeaseIPStart"));
    String end = text(v.get("DhcpLeaseIPEnd"));
    if (start != null && end != null) {
      c.pool = start + "-" + end;
    }
    for (String k : List.of("DhcpDnsServerAddress", "DhcpDnsServerAddress2")) {
      String d = text(v.get(k));
      if (d != null && IpsecConfImport.isAddress(d) && !d.equals("0.0.0.0")) {
        c.dns.add(d);
      }
    }
    String domain = text(v.get("DhcpDomainName"));
    if (domain != null && !domain.isEmpty()) {
      c.domain = domain;
    }
    String host = text(v.get("VirtualHostIp"));
    if (host != null && IpsecConfImport.isAddress(host)) {
      c.tunAddress = host;
    }
    c.took(
        at(nat),
        "SecureNAT's DHCP pool, DNS and virtual host address -> remote_access.pool,"
            + " dns and dataplane.address (coati routes; its clients' traffic is NATed by the host,"
            + " see README)");
  }

  /** The statement {@code declare NAME} among {@code stmts}, or null. */
  private static Stmt child(List<Stmt> stmts, String name) {
    for (Stmt s : stmts) {
      if (s.body() != null && s.words().size() == 2 && s.words().get(1).equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** {@code type key value} lines of a block (nested blocks flattened one level for SecureNAT). */
  private static Map<String, String> values(Stmt block) {
    Map<String, String> out = new HashMap<>();
    for (Stmt s : children(block)) {
      if (s.body() == null && s.words().size() >= 3) {
        out.put(s.words().get(1), s.words().get(2));
      } else if (s.body() != null) {
        for (Stmt inner : children(s)) {
          if (inner.body() == null && inner.words().size() >= 3) {
            out.putIfAbsent(inner.words().get(1), inner.words().get(2));
          }
        }
      }
    }
    return out;
  }

  /** SoftEther's string encoding: {@code $} is empty, {@code $XX} a hex-escaped byte. */
  static String text(String v) {
    if (v == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch == '$' && i + 3 <= v.length() && v.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
        out.append((char) Integer.parseInt(v.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (ch != '$') {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private String at(Stmt s) {
    return file + ":" + s.line();
  }
}
