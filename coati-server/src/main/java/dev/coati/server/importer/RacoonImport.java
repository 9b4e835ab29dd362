package dev.coati.server.importer;

import static dev.coati.server.importer.BraceConfig.children;

import dev.coati.server.importer.BraceConfig.Stmt;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * racoon.conf (ipsec-tools; seed 002's gateway) and the pre-shared key file it names: remote
 * anonymous with Xauth / hybrid becomes remote access, mode_cfg the pool and attributes, sainfo the
 * ESP proposals, remote ADDRESS + sainfo address... a site-to-site peer.
 */
final class RacoonImport {
  /** Statements racoon needs and coati does by itself, with why. */
  private static final Set<String> BUILT_IN =
      Set.of(
          "generate_policy",
          "proposal_check",
          "passive",
          "support_proxy",
          "initial_contact",
          "verify_cert",
          "send_cert",
          "send_cr",
          "verify_identifier",
          "my_identifier",
          "peers_identifier",
          "weak_phase1_check",
          "mode_cfg",
          "nat_traversal");

  private final ImportedConfig c;
  private final Path file;
  private final List<Stmt> sainfos = new ArrayList<>();
  private Path pskFile;
  private String certDir;

  private final List<Path> given;
  private final RacoonModeCfg modeCfg;

  /** {@code given}: the files handed to coati import (racoon's PSK file may be among them). */
  RacoonImport(ImportedConfig c, Path file, List<Path> given) {
    this.c = c;
    this.file = file;
    this.given = given;
    this.modeCfg = new RacoonModeCfg(c, file.toString());
  }

  void run(String text) throws BraceConfig.SyntaxException, IOException {
    List<Stmt> top = BraceConfig.parse(text, false);
    for (Stmt s : top) {
      if (s.head().equals("path")) {
        path(s);
      }
    }
    for (Stmt s : top) {
      switch (s.head()) {
        case "path" -> {}
        case "listen" -> listen(s);
        case "remote" -> remote(s);
        case "mode_cfg" -> modeCfg.modeCfg(s);
        case "sainfo" -> sainfos.add(s);
        case "radiuscfg" -> modeCfg.radius(s);
        case "timer", "padding", "log", "privsep" ->
            c.took(at(s), "'" + s.head() + "': coati's own defaults apply (nothing to set)");
        default -> c.skip(at(s), "'" + s.text() + "' is not translated");
      }
    }
    for (Stmt s : sainfos) {
      sainfo(s);
    }
    if (pskFile != null) {
      pskFile();
    }
  }

  private void path(Stmt s) {
    String kind = s.arg(0);
    String value = s.arg(1);
    if (value == null) {
      c.skip(at(s), "'" + s.text() + "': no path given");
    } else if ("pre_shared_key".equals(kind)) {
      pskFile = resolve(value);
    } else if ("certificate".equals(kind)) {
      certDir = value;
    } else {
      c.took(at(s), "path " + kind + ": not needed by coati");
    }
  }

  private void listen(Stmt s) {
    for (Stmt l : children(s)) {
      if ((l.head().equals("isakmp") || l.head().equals("isakmp_natt")) && l.arg(0) != null) {
        String a = l.arg(0).replaceAll("\\[.*", "");
        if (!c.listen.contains(a)) {
          c.listen.add(a);
        }
      } else if (l.head().equals("adminsock")) {
        c.took(at(l), "adminsock: coati's control socket is control.socket (coati status/kick)");
      } else {
        c.skip(at(l), "listen '" + l.text() + "' is not translated");
      }
    }
  }

  private void remote(Stmt s) {
    String who = s.arg(0);
    boolean anonymous = who == null || who.equals("anonymous");
    boolean aggressive = false;
    List<String> auth = new ArrayList<>();
    for (Stmt r : children(s)) {
      switch (r.head()) {
        case "exchange_mode" -> aggressive = r.args().get(0).equals("aggressive");
        case "certificate_type" -> {
          c.certificate = inCertDir(r.arg(1));
          c.privateKey = inCertDir(r.arg(2));
          c.took(at(r), "certificate -> gateway.certificate/private_key (PEM files)");
        }
        case "ca_type" -> c.ca.add(inCertDir(r.arg(1)));
        case "dpd_delay" -> c.dpdDelay = Algorithms.duration(r.arg(0), "s");
        case "dpd_maxfail", "dpd_retry" ->
            c.skip(at(r), r.head() + ": coati declares a peer dead after ike.dpd.timeout instead");
        case "nat_traversal" -> {
          if ("force".equals(r.arg(0))) {
            c.forceEncapsulation = true;
          }
        }
        case "ike_frag" ->
            c.took(
                at(r),
                "ike_frag: coati announces IKE fragmentation and cuts its messages above"
                    + " ike.fragment_size (552) for peers that announce it too");
        case "esp_frag" -> {
          c.espFragmentSize = r.arg(0);
          c.took(at(r), "esp_frag " + r.arg(0) + " -> esp.fragment_size (inner packets)");
        }
        case "lifetime" -> c.ikeLifetime = Algorithms.duration(r.arg(1), r.arg(2));
        case "proposal" -> proposal(r, auth);
        case "script", "xauth_login" ->
            c.skip(at(r), r.head() + " is for racoon as a client: use coati's events.hooks");
        default -> {
          if (!BUILT_IN.contains(r.head())) {
            c.skip(at(r), "remote '" + r.text() + "' is not translated");
          }
        }
      }
    }
    if (!anonymous) {
      site(s, who, aggressive);
      return;
    }
    for (String a : auth) {
      if (a.equals("psk")) {
        c.skip(
            at(s),
            "plain pre_shared_key for anonymous peers: coati gives it only to L2TP/IPsec"
                + " clients and configured peers; road warriors need xauth_psk_server (psk-xauth)");
      } else {
        c.remoteAccessAuth.add(a);
      }
    }
    if (aggressive && auth.contains("psk-xauth")) {
      c.took(
          at(s),
          "aggressive mode with PSK: the group names from the PSK file become"
              + " ike.aggressive_ids");
    }
  }

  private void proposal(Stmt p, List<String> auth) {
    String enc = null;
    String bits = null;
    String hash = null;
    String dh = null;
    for (Stmt s : children(p)) {
      switch (s.head()) {
        case "encryption_algorithm" -> {
          enc = s.arg(0);
          bits = s.words().size() > 2 ? s.words().get(2) : null;
        }
        case "hash_algorithm" -> hash = s.arg(0);
        case "dh_group" -> dh = s.arg(0);
        case "authentication_method" -> {
          String m = method(s.arg(0));
          if (m == null) {
            c.skip(at(s), "authentication_method " + s.arg(0) + " has no coati equivalent");
          } else if (!auth.contains(m)) {
            auth.add(m);
          }
        }
        case "lifetime" -> c.ikeLifetime = Algorithms.duration(s.arg(1), s.arg(2));
        default -> c.skip(at(s), "proposal '" + s.text() + "' is not translated");
      }
    }
    String cipher = enc == null ? null : Algorithms.racoonCipher(enc, bits);
    String h = hash == null ? null : Algorithms.racoonHash(hash);
    String g = dh == null ? null : Algorithms.dhGroup(dh);
    if (cipher != null
        && h != null
        && g != null
        && Algorithms.valid(cipher + "-" + h + "-" + g, true)) {
      c.ikeProposals.add(cipher + "-" + h + "-" + g);
    } else {
      c.skip(
          at(p),
          "proposal ("
              + enc
              + ", "
              + hash
              + ", dh "
              + dh
              + ") has no coati equivalent; coati's default proposals are used");
    }
  }

  private static String method(String racoon) {
    return switch (racoon == null ? "" : racoon) {
      case "pre_shared_key" -> "psk";
      case "xauth_psk_server" -> "psk-xauth";
      case "hybrid_rsa_server" -> "hybrid-rsa";
      case "xauth_rsa_server" -> "rsa-xauth";
      case "rsasig" -> "rsa";
      default -> null;
    };
  }

  private void site(Stmt s, String who, boolean aggressive) {
    try {
      Ipv4Address.parse(who);
    } catch (IllegalArgumentException e) {
      c.skip(at(s), "remote " + who + ": only IPv4 addresses are translated");
      return;
    }
    List<String> local = new ArrayList<>();
    List<String> remote = new ArrayList<>();
    for (Stmt sa : sainfos) {
      List<String> w = sa.words();
      if (w.size() >= 7 && w.get(1).equals("address") && w.get(4).equals("address")) {
        local.add(w.get(2));
        remote.add(w.get(5));
      }
    }
    if (local.isEmpty()) {
      c.skip(at(s), "remote " + who + ": no 'sainfo address ... address ...' for its subnets");
      return;
    }
    c.peers.add(
        new ImportedConfig.Peer(
            "peer-" + who.replace('.', '-'), who, aggressive, local, remote, false));
  }

  private void sainfo(Stmt s) {
    List<String> ciphers = new ArrayList<>();
    List<String> auths = new ArrayList<>();
    for (Stmt a : children(s)) {
      switch (a.head()) {
        case "encryption_algorithm" -> {
          for (String[] e : Algorithms.racoonList(a.words())) {
            String cipher = Algorithms.racoonCipher(e[0], e[1]);
            if (cipher == null) {
              c.skip(at(a), "ESP cipher " + e[0] + " has no coati equivalent");
            } else {
              ciphers.add(cipher);
            }
          }
        }
        case "authentication_algorithm" -> {
          for (String[] e : Algorithms.racoonList(a.words())) {
            String h = Algorithms.racoonHash(e[0]);
            if (h == null) {
              c.skip(at(a), "ESP integrity " + e[0] + " has no coati equivalent");
            } else {
              auths.add(h);
            }
          }
        }
        case "lifetime" -> c.espLifetime = Algorithms.duration(a.arg(1), a.arg(2));
        case "pfs_group" -> c.pfs = "optional";
        case "compression_algorithm" ->
            c.took(
                at(a),
                "compression_algorithm "
                    + a.arg(0)
                    + ": coati does not do IPComp; it chooses an ESP-only proposal (what racoon"
                    + " configured like this offers) and refuses an IPCOMP-only bundle cleanly");
        default -> c.skip(at(a), "sainfo '" + a.text() + "' is not translated");
      }
    }
    for (String ci : ciphers) {
      for (String au : auths) {
        if (Algorithms.valid(ci + "-" + au, false)) {
          c.espProposals.add(ci + "-" + au);
        }
      }
    }
  }

  /** racoon's PSK file: "identifier key" a line; an address is a peer, a word a group name. */
  private void pskFile() throws IOException {
    if (!Files.isReadable(pskFile)) {
      c.skip(
          file.toString(),
          "the pre-shared key file "
              + pskFile
              + " cannot be read: give it"
              + " to coati import too, or write secrets.psk by hand");
      return;
    }
    List<String> lines = Files.readAllLines(pskFile);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] p = l.split("\\s+", 2);
      String origin = pskFile + ":" + (i + 1);
      if (p.length < 2) {
        c.skip(origin, "a line without a key");
        continue;
      }
      String id = p[0];
      String key = p[1];
      c.psks.add(new ImportedConfig.Psk(List.of(id.equals("*") ? "any" : id), key, origin));
      if (!IpsecConfImport.isAddress(id) && !id.equals("*")) {
        c.aggressiveIds.add(id);
      }
    }
  }

  private String inCertDir(String name) {
    if (name == null) {
      return null;
    }
    return certDir == null || name.startsWith("/") ? name : certDir + "/" + name;
  }

  private Path resolve(String value) {
    Path p = Path.of(value);
    for (Path g : given) {
      if (g.getFileName().equals(p.getFileName())) {
        return g;
      }
    }
    if (Files.isReadable(p)) {
      return p;
    }
    Path sibling = file.toAbsolutePath().getParent().resolve(p.getFileName());
    return Files.isReadable(sibling) ? sibling : p;
  }

  private String at(Stmt s) {
    return file + ":" + s.line();
  }
}
