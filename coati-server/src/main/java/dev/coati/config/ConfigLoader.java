package dev.coati.config;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkePolicy.PfsPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and validates the YAML configuration; every error names file, line and key. */
public final class ConfigLoader {
  private final String file;
  private final Path dir;
  private final List<String> listen = new ArrayList<>(List.of("0.0.0.0"));
  private int ikePort = 500;
  private int natTPort = 4500;
  private String gatewayId;
  private final List<GatewayConfig.PskEntry> psks = new ArrayList<>();
  private final List<GatewayConfig.PeerConfig> peers = new ArrayList<>();
  private GatewayConfig.Tun tun;
  private UsersSection.Users users;
  private GatewayConfig.RadiusConfig radius;
  private List<IkeProposalSpec> ike;
  private long ikeLifetime = 28800;
  private long dpdDelay = 30;
  private long dpdTimeout = 120;
  private boolean natTraversal = true;
  private boolean force;
  private boolean parrot = true;
  private boolean legacy = true;
  private List<String> aggressiveIds = List.of();
  private List<EspProposalSpec> esp;
  private long espLifetime = 3600;
  private long espLifetimeKb;
  private GatewayConfig.RemoteAccessConfig remoteAccess;
  private YamlNode remoteAccessNode;
  private GatewayConfig.L2tpConfig l2tp;
  private String metrics;
  private String logFormat = "text";
  private GatewayConfig.EventsConfig events;
  private YamlNode l2tpNode;
  private final PkiSection pki = new PkiSection();
  private PfsPolicy pfs = PfsPolicy.OPTIONAL;
  private GatewayConfig.Control control = GatewayConfig.Control.DEFAULT;
  private YamlNode ikeProposalNode;
  private YamlNode espProposalNode;

  private ConfigLoader(Path path) {
    this.file = path.toString();
    this.dir = path.toAbsolutePath().getParent();
  }

  public static GatewayConfig load(Path path) throws ConfigException {
    return new ConfigLoader(path).read();
  }

  private GatewayConfig read() throws ConfigException {
    YamlNode root = YamlNode.read(Path.of(file));
    for (YamlNode section :
        root.entries(
            Set.of(
                "gateway",
                "secrets",
                "ike",
                "esp",
                "peers",
                "dataplane",
                "users",
                "remote_access",
                "l2tp",
                "metrics",
                "events",
                "radius",
                "control",
                "log"))) {
      switch (section.key()) {
        case "gateway" -> gateway(section);
        case "secrets" -> secrets(section);
        case "ike" -> ike(section);
        case "peers" -> peers(section);
        case "dataplane" -> tun = DataplaneSection.parse(section);
        case "users" -> users = UsersSection.parse(section, dir);
        case "radius" -> radius = RadiusSection.parse(section, dir);
        case "metrics" -> metrics = MetricsSection.parse(section);
        case "events" -> events = EventsSection.parse(section, dir);
        case "control" -> control = ControlSection.parse(section, dir);
        case "log" -> logFormat = LogSection.parse(section);
        case "l2tp" -> {
          l2tp = L2tpSection.parse(section, dir);
          l2tpNode = section;
        }
        case "remote_access" -> {
          remoteAccess = RemoteAccessSection.parse(section, dir);
          remoteAccessNode = section;
        }
        default -> esp(section);
      }
    }
    return finish(root);
  }

  private void gateway(YamlNode n) throws ConfigException {
    for (YamlNode e :
        n.entries(
            Set.of(
                "listen",
                "id",
                "ike_port",
                "nat_t_port",
                "certificate",
                "private_key",
                "ca",
                "crl"))) {
      if (pki.accepts(e.key())) {
        pki.read(e, dir);
        continue;
      }
      switch (e.key()) {
        case "listen" -> {
          listen.clear();
          for (YamlNode a : e.list()) {
            String s = a.string();
            if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
              throw a.error("expected an IPv4 address such as 0.0.0.0 or 192.0.2.1");
            }
            listen.add(s);
          }
        }
        case "id" -> gatewayId = e.string();
        case "ike_port" -> ikePort = e.port();
        default -> natTPort = e.port();
      }
    }
  }

  private void secrets(YamlNode n) throws ConfigException {
    for (YamlNode e : n.entries(Set.of("psk"))) {
      for (YamlNode entry : e.list()) {
        List<String> peers = List.of("any");
        Secret secret = null;
        for (YamlNode f : entry.entries(Set.of("peers", "secret_file"))) {
          if (f.key().equals("peers")) {
            peers = f.strings();
          } else {
            secret = secretFile(f);
          }
        }
        if (secret == null) {
          throw entry.error(
              "each psk entry needs secret_file: (a file of mode 0600 holding the key)");
        }
        psks.add(new GatewayConfig.PskEntry(peers, secret));
      }
    }
  }

  private Secret secretFile(YamlNode f) throws ConfigException {
    return secretFile(f, dir);
  }

  /** A secret from a file of mode 0600 (relative to the configuration's directory). */
  static Secret secretFile(YamlNode f, Path dir) throws ConfigException {
    Path p = dir.resolve(f.string());
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (perms.stream()
          .anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
        throw f.error(p + " is readable by others; run: chmod 600 " + p);
      }
      String s = Files.readString(p, StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw f.error(p + " is empty");
      }
      return Secret.wrap(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw f.error("cannot read " + p + ": " + e.getMessage());
    }
  }

  private void peers(YamlNode n) throws ConfigException {
    Set<String> keys =
        Set.of("name", "remote", "mode", "local_subnets", "remote_subnets", "secret_file", "start");
    for (YamlNode p : n.list()) {
      String name = null;
      String remote = null;
      boolean aggressive = false;
      List<String> local = List.of();
      List<String> remoteNets = List.of();
      Secret secret = null;
      boolean start = false;
      for (YamlNode e : p.entries(keys)) {
        switch (e.key()) {
          case "name" -> name = e.string();
          case "remote" -> remote = address(e);
          case "mode" -> aggressive = mode(e);
          case "local_subnets" -> local = subnets(e);
          case "remote_subnets" -> remoteNets = subnets(e);
          case "secret_file" -> secret = secretFile(e);
          default -> start = e.bool();
        }
      }
      if (name == null || remote == null) {
        throw p.error("a peer needs name: and remote: (its IPv4 address)");
      }
      if (local.isEmpty() || remoteNets.isEmpty()) {
        throw p.error("a peer needs local_subnets: and remote_subnets: (e.g. [10.1.0.0/24])");
      }
      peers.add(
          new GatewayConfig.PeerConfig(name, remote, aggressive, local, remoteNets, secret, start));
    }
  }

  private static String address(YamlNode e) throws ConfigException {
    String s = e.string();
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw e.error("expected an IPv4 address such as 192.0.2.7");
    }
    return s;
  }

  private static boolean mode(YamlNode e) throws ConfigException {
    return switch (e.string()) {
      case "main" -> false;
      case "aggressive" -> true;
      default -> throw e.error("expected main or aggressive");
    };
  }

  static List<String> subnets(YamlNode e) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (YamlNode s : e.list()) {
      String v = s.string();
      if (!v.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")
          || Integer.parseInt(v.substring(v.indexOf('/') + 1)) > 32) {
        throw s.error("expected a subnet such as 10.1.0.0/24");
      }
      out.add(v);
    }
    return out;
  }

  private void ike(YamlNode n) throws ConfigException {
    Set<String> keys =
        Set.of(
            "proposals",
            "lifetime",
            "legacy",
            "aggressive_ids",
            "dpd",
            "nat_traversal",
            "force_udp_encapsulation",
            "microsoft_nat_d_parrot");
    for (YamlNode e : n.entries(keys)) {
      switch (e.key()) {
        case "proposals" -> ikeProposalNode = e;
        case "lifetime" -> ikeLifetime = e.seconds();
        case "legacy" -> legacy = e.bool();
        case "aggressive_ids" -> aggressiveIds = e.strings();
        case "nat_traversal" -> natTraversal = e.bool();
        case "force_udp_encapsulation" -> force = e.bool();
        case "microsoft_nat_d_parrot" -> parrot = e.bool();
        default -> {
          for (YamlNode d : e.entries(Set.of("delay", "timeout"))) {
            if (d.key().equals("delay")) {
              dpdDelay = d.seconds();
            } else {
              dpdTimeout = d.seconds();
            }
          }
        }
      }
    }
  }

  private void esp(YamlNode n) throws ConfigException {
    for (YamlNode e : n.entries(Set.of("proposals", "lifetime", "lifetime_bytes", "pfs"))) {
      switch (e.key()) {
        case "proposals" -> espProposalNode = e;
        case "lifetime" -> espLifetime = e.seconds();
        case "lifetime_bytes" -> espLifetimeKb = e.kilobytes();
        default -> {
          try {
            pfs = PfsPolicy.valueOf(e.string().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException x) {
            throw e.error("expected none, optional or required");
          }
        }
      }
    }
  }

  /**
   * Whether some configured method needs secrets.psk: a peer without its own secret_file, PSK road
   * warriors, L2TP/IPsec (PSK phase 1), or a gateway that offers nothing else. A hybrid-RSA or
   * certificate-only gateway needs none.
   */
  private boolean needsGroupPsk() {
    if (peers.stream().anyMatch(p -> p.secret() == null) || l2tp != null) {
      return true;
    }
    if (remoteAccess == null) {
      return peers.isEmpty();
    }
    return remoteAccess.auth().contains("psk-xauth") || remoteAccess.auth().contains("psk");
  }

  private GatewayConfig finish(YamlNode root) throws ConfigException {
    ike =
        ikeProposalNode == null
            ? ProposalParser.parseIke(GatewayConfig.DEFAULT_IKE, legacy)
            : proposals(ikeProposalNode, true);
    esp =
        espProposalNode == null
            ? ProposalParser.parseEsp(GatewayConfig.defaultEsp(legacy), legacy)
            : proposals(espProposalNode, false);
    if (psks.isEmpty() && needsGroupPsk()) {
      throw root.error(
          "no pre-shared key: add secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }");
    }
    if (gatewayId == null) {
      gatewayId = "ipv4:" + listen.get(0);
    }
    GatewayConfig.Pki certs = pki.finish();
    if (remoteAccess != null) {
      RemoteAccessSection.check(remoteAccess, remoteAccessNode, users != null, tun, certs);
    }
    if (l2tp != null) {
      L2tpSection.check(l2tpNode, remoteAccess);
    }
    UsersSection.check(users, radius);
    return new GatewayConfig(
        List.copyOf(listen),
        ikePort,
        natTPort,
        gatewayId,
        List.copyOf(psks),
        ike,
        ikeLifetime,
        dpdDelay,
        dpdTimeout,
        natTraversal,
        force,
        parrot,
        aggressiveIds,
        esp,
        espLifetime,
        espLifetimeKb,
        pfs,
        List.copyOf(peers),
        tun,
        users == null ? null : users.file(),
        remoteAccess,
        certs,
        l2tp,
        metrics,
        events,
        radius,
        users == null ? GatewayConfig.UserSource.LOCAL : users.source(),
        control,
        logFormat);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> proposals(YamlNode n, boolean isIke) throws ConfigException {
    List<T> out = new ArrayList<>();
    for (YamlNode p : n.list()) {
      try {
        out.addAll(
            (List<T>)
                (isIke
                    ? ProposalParser.parseIke(p.string(), legacy)
                    : ProposalParser.parseEsp(p.string(), legacy)));
      } catch (IllegalArgumentException e) {
        throw p.error(e.getMessage());
      }
    }
    return out;
  }
}
