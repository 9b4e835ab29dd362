package dev.coati.server.importer;

import static dev.coati.server.importer.BraceConfig.children;

import dev.coati.server.importer.BraceConfig.Stmt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * swanctl.conf of strongSwan: {@code connections} (version 1 or 0) with {@code pools} become remote
 * access or site-to-site peers, {@code secrets} the PSKs and Xauth/EAP users.
 */
final class SwanctlImport {
  private final ImportedConfig c;
  private final String file;
  private final Map<String, Stmt> pools = new HashMap<>();

  SwanctlImport(ImportedConfig c, String file) {
    this.c = c;
    this.file = file;
  }

  void run(String text) throws BraceConfig.SyntaxException {
    List<Stmt> top = BraceConfig.parse(text, true);
    for (Stmt s : top) {
      if (s.head().equals("pools")) {
        for (Stmt p : children(s)) {
          pools.put(p.head(), p);
        }
      }
    }
    for (Stmt s : top) {
      switch (s.head()) {
        case "connections" -> children(s).forEach(this::connection);
        case "secrets" -> children(s).forEach(this::secret);
        case "pools" -> {}
        default -> c.skip(at(s), "'" + s.head() + "' is not translated");
      }
    }
  }

  private void connection(Stmt conn) {
    Map<String, String> k = values(conn);
    if ("2".equals(k.get("version"))) {
      c.skip(at(conn), "connection " + conn.head() + " is IKEv2: coati speaks IKEv1 (planned)");
      return;
    }
    List<String> bad = new ArrayList<>();
    if (k.containsKey("proposals") && !k.get("proposals").equals("default")) {
      c.ikeProposals.addAll(Algorithms.proposals(k.get("proposals"), true, bad));
    }
    set(k.get("dpd_delay"), v -> c.dpdDelay = Algorithms.duration(v));
    set(k.get("dpd_timeout"), v -> c.dpdTimeout = Algorithms.duration(v));
    set(k.get("rekey_time"), v -> c.ikeLifetime = Algorithms.duration(v));
    if ("yes".equals(k.get("encap"))) {
      c.forceEncapsulation = true;
    }
    set(
        k.get("local_addrs"),
        v -> {
          if (IpsecConfImport.isAddress(v) && !c.listen.contains(v)) {
            c.listen.add(v);
          }
        });
    List<String> localTs = new ArrayList<>();
    List<String> remoteTs = new ArrayList<>();
    boolean transport = false;
    boolean xauth = false;
    boolean cert = false;
    for (Stmt s : children(conn)) {
      if (s.body() == null) {
        continue;
      }
      Map<String, String> sub = values(s);
      if (s.head().startsWith("local")) {
        cert |= "pubkey".equals(sub.get("auth")) || sub.containsKey("certs");
        set(sub.get("id"), v -> c.gatewayId = IpsecConfImport.identity(v));
        set(sub.get("certs"), v -> c.certificate = "/etc/swanctl/x509/" + v);
      } else if (s.head().startsWith("remote")) {
        xauth |= "xauth".equals(sub.get("auth")) || "xauth-generic".equals(sub.get("auth"));
      } else if (s.head().equals("children")) {
        for (Stmt child : children(s)) {
          Map<String, String> ch = values(child);
          transport |= "transport".equals(ch.get("mode"));
          split(ch.get("local_ts"), localTs);
          split(ch.get("remote_ts"), remoteTs);
          if (ch.containsKey("esp_proposals") && !ch.get("esp_proposals").equals("default")) {
            c.espProposals.addAll(Algorithms.proposals(ch.get("esp_proposals"), false, bad));
          }
          set(ch.get("rekey_time"), v -> c.espLifetime = Algorithms.duration(v));
        }
      }
    }
    for (String b : bad) {
      c.skip(at(conn), "proposal '" + b + "' has no coati equivalent");
    }
    String pool = k.get("pools");
    String remote = k.getOrDefault("remote_addrs", "%any");
    if (transport && localTs.stream().anyMatch(t -> t.contains("1701"))) {
      c.l2tp = true;
    } else if (pool != null) {
      remoteAccess(conn, pool, xauth, cert, localTs, k);
    } else if (IpsecConfImport.isAddress(remote) && !remoteTs.isEmpty()) {
      c.peers.add(
          new ImportedConfig.Peer(
              conn.head(), remote, "yes".equals(k.get("aggressive")), localTs, remoteTs, false));
    } else {
      c.skip(
          at(conn),
          "connection " + conn.head() + ": neither L2TP, a pool nor a peer with" + " remote_ts");
    }
  }

  private void remoteAccess(
      Stmt conn,
      String poolName,
      boolean xauth,
      boolean cert,
      List<String> localTs,
      Map<String, String> k) {
    Stmt pool = pools.get(poolName.split(",")[0].strip());
    if (pool == null) {
      c.skip(at(conn), "pool " + poolName + " is not defined in this file");
      return;
    }
    Map<String, String> p = values(pool);
    set(p.get("addrs"), v -> c.pool = v);
    split(p.get("dns"), c.dns);
    split(p.get("nbns"), c.nbns);
    c.remoteAccessAuth.add(cert ? "hybrid-rsa" : "psk-xauth");
    if (!xauth) {
      c.skip(
          at(conn),
          "connection "
              + conn.head()
              + " has no Xauth round: coati's road warriors"
              + " always log in");
    }
    for (String t : localTs) {
      if (!t.startsWith("0.0.0.0/0") && !t.equals("dynamic")) {
        c.splitInclude.add(t);
      }
    }
    if ("yes".equals(k.get("aggressive"))) {
      c.took(at(conn), "aggressive mode: list the clients' group names in ike.aggressive_ids");
    }
  }

  private void secret(Stmt s) {
    Map<String, String> k = values(s);
    String secret = k.get("secret");
    if (secret == null) {
      c.skip(at(s), "secret " + s.head() + " has no secret (keys and certificates: by hand)");
      return;
    }
    String id = null;
    for (Map.Entry<String, String> e : k.entrySet()) {
      if (e.getKey().startsWith("id")) {
        id = e.getValue();
      }
    }
    if (s.head().startsWith("ike")) {
      List<String> peers = id == null || id.equals("%any") ? List.of("any") : List.of(id);
      c.psks.add(new ImportedConfig.Psk(peers, secret, at(s)));
    } else if (s.head().startsWith("xauth") || s.head().startsWith("eap")) {
      if (id == null) {
        c.skip(at(s), s.head() + ": a user secret without id");
      } else {
        c.user(new ImportedConfig.User(id, secret, null, at(s)));
      }
    } else {
      c.skip(at(s), "secret " + s.head() + " is not translated");
    }
  }

  private static Map<String, String> values(Stmt s) {
    Map<String, String> out = new HashMap<>();
    for (Stmt v : children(s)) {
      if (v.body() == null && v.words().size() >= 2) {
        out.put(v.head(), String.join(" ", v.words().subList(1, v.words().size())));
      }
    }
    return out;
  }

  private static void split(String v, Collection<String> into) {
    if (v != null) {
      for (String p : v.split("[,\\s]+")) {
        if (!p.isBlank()) {
          into.add(p);
        }
      }
    }
  }

  private interface Setter {
    void set(String v);
  }

  private static void set(String v, Setter s) {
    if (v != null && !v.isBlank()) {
      s.set(v);
    }
  }

  private String at(Stmt s) {
    return file + ":" + s.line();
  }
}
