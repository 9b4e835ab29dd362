package dev.coati.server.policy;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.Signer;
import dev.coati.ike.HalfOpenLimits;
import dev.coati.ike.IkePolicy;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.LocalCertificate;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RemoteAccess;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ip.Udp;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The engine's policy, answered from the configuration. */
public final class ConfiguredPolicy implements IkePolicy {
  private volatile GatewayConfig config;
  private volatile IdPayload localId;
  private final boolean plainEsp;
  private RemoteAccess remoteAccess;
  private volatile LocalCertificate localCertificate;

  public ConfiguredPolicy(GatewayConfig config) {
    this(config, true);
  }

  /**
   * With {@code plainEsp} false (no raw IP protocol 50 socket) UDP encapsulation is forced, so
   * peers without a NAT still send their ESP to UDP 4500.
   */
  public ConfiguredPolicy(GatewayConfig config, boolean plainEsp) {
    this.plainEsp = plainEsp;
    replace(config);
  }

  /**
   * A reloaded configuration (socket thread): PSKs, proposals, lifetimes, identities and the
   * certificate apply to negotiations from now on; SAs already up keep what they negotiated.
   */
  public void replace(GatewayConfig next) {
    GatewayConfig.Pki p = next.pki();
    this.localCertificate =
        p != null && p.certificate() != null
            ? new LocalCertificate(
                p.certificate(), Signer.of(p.privateKey(), RandomSource.secure()))
            : null;
    this.localId = parseId(next.gatewayId());
    this.config = next;
  }

  /** Road warriors: Xauth and mode config through {@code ra} (set once, before the engine runs). */
  public void remoteAccess(RemoteAccess ra) {
    this.remoteAccess = ra;
  }

  @Override
  public RemoteAccess remoteAccess() {
    return remoteAccess;
  }

  @Override
  public LocalCertificate localCertificate() {
    return localCertificate;
  }

  @Override
  public CertificateVerifier certificateVerifier() {
    return config.pki() == null ? null : config.pki().verifier();
  }

  /** "fqdn:name", "keyid:text", "ipv4:a.b.c.d", "user:x@y", or a bare name (FQDN). */
  static IdPayload parseId(String id) {
    int colon = id.indexOf(':');
    String kind = colon < 0 ? "fqdn" : id.substring(0, colon);
    String value = colon < 0 ? id : id.substring(colon + 1);
    return switch (kind) {
      case "keyid" -> IdPayload.keyId(value.getBytes(StandardCharsets.UTF_8));
      case "user" -> IdPayload.userFqdn(value);
      case "ipv4" -> {
        String[] p = value.split("\\.");
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
          a[i] = (byte) Integer.parseInt(p[i]);
        }
        yield IdPayload.ipv4(a);
      }
      default -> IdPayload.fqdn(value);
    };
  }

  /** The text an operator writes for an identity: names as text, addresses dotted. */
  static String idText(IdPayload id) {
    int t = id.idType().code();
    if (t == IdType.FQDN.code() || t == IdType.USER_FQDN.code() || t == IdType.KEY_ID.code()) {
      return new String(id.data(), StandardCharsets.UTF_8);
    }
    return id.describe();
  }

  @Override
  public List<IkeProposalSpec> ikeProposals() {
    return config.ikeProposals();
  }

  @Override
  public Set<Integer> authMethods() {
    if (remoteAccess == null) {
      return Set.of(IkeAttr.PSK);
    }
    Set<Integer> m = new LinkedHashSet<>(List.of(IkeAttr.PSK));
    List<String> auth = config.remoteAccess().auth();
    if (auth.contains("psk-xauth")) {
      m.add(IkeAttr.XAUTH_INIT_PSK);
    }
    if (auth.contains("hybrid-rsa")) {
      m.add(IkeAttr.HYBRID_INIT_RSA);
    }
    if (auth.contains("rsa-xauth")) {
      m.add(IkeAttr.XAUTH_INIT_RSA);
    }
    if (auth.contains("rsa")) {
      m.add(IkeAttr.RSA_SIG);
    }
    return Set.copyOf(m);
  }

  @Override
  public long ikeLifetimeSeconds() {
    return config.ikeLifetimeSeconds();
  }

  /**
   * The key for a peer: a site-to-site peer's own (by its fixed address, or in aggressive mode by
   * the identity a {@code remote: any} peer is pinned to), then {@code secrets.psk} by identity,
   * address and {@code any}; in main mode from an unknown address, the one {@code remote: any}
   * main-mode peer's key (the loader allows it only without a key for {@code any}).
   */
  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    GatewayConfig c = config;
    String address = SiteToSitePeers.address(peer);
    Optional<GatewayConfig.PeerConfig> own =
        SiteToSitePeers.byAddress(c, address)
            .or(() -> peerId.flatMap(id -> SiteToSitePeers.dynamicById(c, id)))
            .filter(p -> p.secret() != null);
    if (own.isPresent()) {
      return Optional.of(Secret.copyOf(own.get().secret().bytes()));
    }
    List<String> keys =
        peerId.isPresent()
            ? List.of(idText(peerId.get()), address, "any")
            : List.of(address, "any");
    for (String k : keys) {
      for (GatewayConfig.PskEntry e : c.psks()) {
        if (e.matches(k)) {
          return Optional.of(Secret.copyOf(e.secret().bytes()));
        }
      }
    }
    return peerId.isEmpty()
        ? SiteToSitePeers.dynamicMainMode(c).map(p -> Secret.copyOf(p.secret().bytes()))
        : Optional.empty();
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    GatewayConfig c = config;
    boolean configuredPeer =
        SiteToSitePeers.byAddress(c, SiteToSitePeers.address(peer))
            .or(() -> SiteToSitePeers.dynamicById(c, peerId))
            .filter(GatewayConfig.PeerConfig::aggressive)
            .isPresent();
    return configuredPeer || c.aggressiveIds().contains(idText(peerId));
  }

  /** A site-to-site peer with a fixed address and {@code id:} must present that identity. */
  @Override
  public boolean identityAllowed(PeerAddress peer, IdPayload peerId) {
    return SiteToSitePeers.byAddress(config, SiteToSitePeers.address(peer))
        .map(p -> p.id() == null || SiteToSitePeers.pinnedTo(p, peerId))
        .orElse(true);
  }

  /**
   * Plain PSK is a method for configured site-to-site peers and L2TP/IPsec clients (who
   * authenticate in PPP), and for any PSK holder on a gateway without road warriors; a gateway with
   * road warriors and neither refuses it, so the group key alone opens nothing.
   */
  @Override
  public boolean authMethodAllowed(PeerAddress peer, int method) {
    if (!authMethods().contains(method)) {
      return false;
    }
    GatewayConfig c = config;
    return method != IkeAttr.PSK
        || (c.remoteAccess() == null && c.peers().isEmpty())
        || c.l2tp() != null
        || SiteToSitePeers.anyDynamic(c)
        || SiteToSitePeers.byAddress(c, SiteToSitePeers.address(peer)).isPresent();
  }

  /** A client certificate (remote_access auth {@code rsa}) is a user; a group PSK is not. */
  @Override
  public boolean modeConfigWithoutXauth(IkeSaView sa) {
    GatewayConfig c = config;
    return sa.authMethod() == IkeAttr.RSA_SIG
        && c.remoteAccess() != null
        && c.remoteAccess().auth().contains("rsa");
  }

  @Override
  public HalfOpenLimits halfOpenLimits() {
    return config.limits().halfOpen();
  }

  @Override
  public IdPayload localId(PeerAddress peer) {
    return localId;
  }

  @Override
  public List<EspProposalSpec> espProposals() {
    return config.espProposals();
  }

  @Override
  public PfsPolicy pfs() {
    return config.pfs();
  }

  /**
   * The inner packet size above which ESP towards {@code sa}'s peer is fragmented (0: none): a
   * configured site-to-site peer's {@code fragment_size}, else {@code esp.fragment_size}.
   */
  public int espFragmentSize(IkeSaView sa) {
    int size = config.espFragmentSize();
    if (sa.virtualAddress().isPresent()) {
      return size;
    }
    String address = sa.peer().toString().substring(0, sa.peer().toString().lastIndexOf(':'));
    for (GatewayConfig.PeerConfig p : config.peers()) {
      if (p.remote().equals(address)) {
        return p.fragmentSize(size);
      }
    }
    return size;
  }

  @Override
  public long childLifetimeSeconds() {
    return config.espLifetimeSeconds();
  }

  @Override
  public long childLifetimeKilobytes() {
    return config.espLifetimeKilobytes();
  }

  @Override
  public boolean natTraversal() {
    return config.natTraversal();
  }

  @Override
  public boolean forceUdpEncapsulation() {
    return config.forceUdpEncapsulation() || !plainEsp;
  }

  @Override
  public int ikeFragmentSize() {
    return config.ikeFragmentSize();
  }

  @Override
  public boolean microsoftNatDParrot() {
    return config.microsoftNatDParrot();
  }

  @Override
  public long dpdDelaySeconds() {
    return config.dpdDelaySeconds();
  }

  @Override
  public long dpdTimeoutSeconds() {
    return config.dpdTimeoutSeconds();
  }

  /**
   * What a peer may protect is what it authenticated as: a configured site-to-site peer its subnets
   * (tunnel mode); an L2TP/IPsec client (plain PSK or certificate phase 1, the user comes in PPP)
   * transport mode for L2TP only; a road warrior (Xauth, hybrid, or {@code rsa}) tunnel mode from
   * the address leased to it, once authenticated. Any other PSK holder only on a gateway that has
   * no road warriors (then {@code secrets.psk} is a site-to-site key).
   */
  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    GatewayConfig c = config;
    Optional<Secret> key =
        sa.authMethod() == IkeAttr.PSK
            ? preSharedKey(sa.peer(), sa.aggressiveMode() ? sa.peerId() : Optional.empty())
            : Optional.empty();
    Optional<GatewayConfig.PeerConfig> peer = SiteToSitePeers.of(c, sa, key);
    key.ifPresent(Secret::destroy);
    if (peer.isPresent()) {
      return tunnel
          && SiteToSitePeers.within(peer.get().remoteSubnets(), remote)
          && SiteToSitePeers.within(peer.get().localSubnets(), local);
    }
    int method = sa.authMethod();
    boolean plain = method == IkeAttr.PSK || method == IkeAttr.RSA_SIG;
    if (!tunnel) {
      return plain && sa.virtualAddress().isEmpty() && l2tpSelectors(remote, local);
    }
    if (sa.virtualAddress().isPresent() && (sa.user().isPresent() || modeConfigWithoutXauth(sa))) {
      // a road warrior may only send from the address leased to it
      byte[] v = sa.virtualAddress().get();
      return TrafficSelector.host(v, remote.protocol(), remote.port()).equals(remote);
    }
    return method == IkeAttr.PSK
        && c.remoteAccess() == null
        && c.l2tp() == null
        && c.peers().isEmpty();
  }

  /**
   * Transport mode is offered for L2TP/IPsec only: one host each side, UDP to our port 1701 from
   * any port of the client's (Apple, Android and NetworkManager use ephemeral ones), or no IDs at
   * all (the SA then covers both hosts; the data plane still takes nothing but L2TP from it).
   */
  boolean l2tpSelectors(TrafficSelector remote, TrafficSelector local) {
    boolean udp =
        local.protocol() == Udp.PROTOCOL
            && remote.protocol() == Udp.PROTOCOL
            && (local.port() == 1701 || local.port() == 0);
    boolean any = local.protocol() == 0 && remote.protocol() == 0 && local.port() == 0;
    return config.l2tp() != null
        && (udp || any)
        && Arrays.equals(local.from(), local.to())
        && Arrays.equals(remote.from(), remote.to());
  }

  /** "10.1.0.0/24" as a selector for any protocol and port. */
  public static TrafficSelector subnet(String cidr) {
    int slash = cidr.indexOf('/');
    String[] p = cidr.substring(0, slash).split("\\.");
    byte[] a = new byte[4];
    for (int i = 0; i < 4; i++) {
      a[i] = (byte) Integer.parseInt(p[i]);
    }
    return TrafficSelector.subnet(a, Integer.parseInt(cidr.substring(slash + 1)), 0, 0);
  }
}
