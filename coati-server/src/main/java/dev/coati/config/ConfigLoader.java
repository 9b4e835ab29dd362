package dev.coati.config;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkePolicy.PfsPolicy;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
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
  private String runAs;
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
  private int fragmentSize = GatewayConfig.DEFAULT_IKE_FRAGMENT_SIZE;
  private boolean fragmentation = true;
  private boolean legacy = true;
  private List<String> aggressiveIds = List.of();
  private List<EspProposalSpec> esp;
  private long espLifetime = 3600;
  private long espLifetimeKb;
  private int espFragmentSize;
  private GatewayConfig.RemoteAccessConfig remoteAccess;
  private YamlNode remoteAccessNode;
  private YamlNode radiusNode;
  private GatewayConfig.L2tpConfig l2tp;
  private String metrics;
  private String logFormat = "text";
  private boolean resumeSas = true;
  private GatewayConfig.EventsConfig events;
  private YamlNode l2tpNode;
  private final PkiSection pki = new PkiSection();
  private PfsPolicy pfs = PfsPolicy.OPTIONAL;
  private GatewayConfig.Control control = GatewayConfig.Control.DEFAULT;
  private GatewayConfig.Limits limits = GatewayConfig.Limits.DEFAULT;
  private YamlNode ikeProposalNode;
  private YamlNode espProposalNode;
  private YamlNode dynamicMainModePeer;
  private YamlNode anyPsk;
  private Secret anyPskSecret;
  private YamlNode root;
  private final List<String> warnings = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Path path) {
    this.file = path.toString();
    this.dir = path.toAbsolutePath().getParent();
  }

  public static GatewayConfig load(Path path) throws ConfigException {
    return new ConfigLoader(path).read();
  }

  /**
   * The configuration with what {@code coati check} reports besides hard errors: {@code problems}
   * that make the gateway fail at its work though it starts (a users file that does not exist:
   * every login fails), and {@code warnings} about legal but likely wrong settings; each as {@code
   * file:line: key: text}.
   */
  public record Inspection(GatewayConfig config, List<String> problems, List<String> warnings) {}

  /**
   * Every key the loader accepts in the sections and entries {@code path} has (dotted, lists as
   * {@code []}: {@code radius.servers[].address}), whether or not the file sets it; loading a file
   * with every section gives the whole reference (docs/CONFIG.md is checked against it).
   */
  public static Set<String> acceptedKeys(Path path) throws ConfigException {
    ConfigLoader l = new ConfigLoader(path);
    l.read();
    return Collections.unmodifiableSet(l.root.accepted());
  }

  public static Inspection inspect(Path path) throws ConfigException {
    ConfigLoader l = new ConfigLoader(path);
    GatewayConfig c = l.read();
    return new Inspection(c, List.copyOf(l.problems), List.copyOf(l.warnings));
  }

  /**
   * Loads {@code text} as if read from {@code path} (relative file names resolve against its
   * directory): the fuzz target's way in, without a file write per input.
   */
  static GatewayConfig load(Path path, String text) throws ConfigException {
    return new ConfigLoader(path).read(YamlNode.parse(path.toString(), text));
  }

  private GatewayConfig read() throws ConfigException {
    return read(YamlNode.read(Path.of(file)));
  }

  private GatewayConfig read(YamlNode node) throws ConfigException {
    root = node;
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
                "log",
                "limits",
                "state"))) {
      switch (section.key()) {
        case "gateway" -> gateway(section);
        case "secrets" -> secrets(section);
        case "ike" -> ike(section);
        case "peers" -> {
          peers.addAll(PeersSection.parse(section, dir));
          dynamicMainModePeer = PeersSection.dynamicMainMode(section, peers);
        }
        case "dataplane" -> tun = DataplaneSection.parse(section);
        case "users" -> users = UsersSection.parse(section, dir);
        case "radius" -> {
          radius = RadiusSection.parse(section, dir);
          radiusNode = section;
        }
        case "metrics" -> metrics = MetricsSection.parse(section);
        case "events" -> events = EventsSection.parse(section, dir);
        case "control" -> control = ControlSection.parse(section, dir);
        case "log" -> logFormat = LogSection.parse(section);
        case "limits" -> limits = LimitsSection.parse(section);
        case "state" -> {
          for (YamlNode e : section.entries(Set.of("resume_sas"))) {
            resumeSas = e.bool();
          }
        }
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
                "user",
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
            listen.add(a.ipv4("0.0.0.0 or 192.0.2.1"));
          }
          if (listen.isEmpty()) {
            throw e.error(
                "expected at least one address such as [0.0.0.0] or [192.0.2.1];"
                    + " leave listen out to listen on every address");
          }
        }
        case "id" -> gatewayId = e.string();
        case "user" -> {
          runAs = e.string();
          if (!runAs.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw e.error(
                "expected a system user name such as coati (create it with: useradd --system"
                    + " --no-create-home --shell /usr/sbin/nologin coati)");
          }
        }
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
            ConfigWarnings.shortPsk(f, secret, warnings);
          }
        }
        if (secret == null) {
          throw entry.error(
              "each psk entry needs secret_file: (a file of mode 0600 holding the key)");
        }
        if (peers.contains("any")) {
          anyPsk = entry;
          anyPskSecret = secret;
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

  static List<String> subnets(YamlNode e) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (YamlNode s : e.list()) {
      String v = s.string().strip();
      int slash = v.indexOf('/');
      boolean ok =
          slash > 0
              && v.substring(slash + 1).matches("\\d{1,2}")
              && Integer.parseInt(v.substring(slash + 1)) <= 32;
      try {
        Ipv4Address.parse(ok ? v.substring(0, slash) : "");
      } catch (IllegalArgumentException x) {
        ok = false;
      }
      if (!ok) {
        throw s.error("expected a subnet such as 10.1.0.0/24, not '" + v + "'");
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
            "microsoft_nat_d_parrot",
            "fragmentation",
            "fragment_size");
    for (YamlNode e : n.entries(keys)) {
      switch (e.key()) {
        case "proposals" -> ikeProposalNode = e;
        case "lifetime" -> ikeLifetime = e.seconds();
        case "legacy" -> legacy = e.bool();
        case "aggressive_ids" -> aggressiveIds = e.strings();
        case "nat_traversal" -> natTraversal = e.bool();
        case "force_udp_encapsulation" -> force = e.bool();
        case "microsoft_nat_d_parrot" -> parrot = e.bool();
        case "fragmentation" -> fragmentation = e.bool();
        case "fragment_size" -> fragmentSize = fragmentSize(e);
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

  private static int fragmentSize(YamlNode e) throws ConfigException {
    int v;
    try {
      v = Integer.parseInt(e.string().trim());
    } catch (NumberFormatException x) {
      v = -1;
    }
    if (v < 256 || v > 65535) {
      throw e.error(
          "expected the largest IKE datagram in bytes, 256 to 65535 (racoon uses 552), or"
              + " fragmentation: false to turn IKE fragmentation off");
    }
    return v;
  }

  private void esp(YamlNode n) throws ConfigException {
    Set<String> keys = Set.of("proposals", "lifetime", "lifetime_bytes", "pfs", "fragment_size");
    for (YamlNode e : n.entries(keys)) {
      switch (e.key()) {
        case "fragment_size" -> espFragmentSize = e.fragmentSize();
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
    if (dynamicMainModePeer != null && psks.stream().anyMatch(e -> e.matches("any"))) {
      throw dynamicMainModePeer.error(PeersSection.MAIN_MODE_WITH_ANY_KEY);
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
    ConfigWarnings.usersFileMissing(users, file, problems);
    ConfigWarnings.aggressiveAnyPsk(aggressiveIds, anyPsk, anyPskSecret, warnings);
    if (users != null && users.source() != GatewayConfig.UserSource.LOCAL && remoteAccess != null) {
      ConfigWarnings.framedIpFallback(radiusNode, remoteAccess.pool(), warnings);
    }
    return new GatewayConfig(
        List.copyOf(listen),
        ikePort,
        natTPort,
        gatewayId,
        runAs,
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
        logFormat,
        limits,
        espFragmentSize,
        fragmentation ? fragmentSize : 0,
        resumeSas);
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
