package dev.coati.server.control;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.Signer;
import dev.coati.ike.IkePolicy;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.LocalCertificate;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RemoteAccess;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import dev.coati.ike.wire.IkeAttr;
import java.nio.charset.StandardCharsets;
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
                p.certificate(), Signer.of(p.privateKey(), dev.coati.util.RandomSource.secure()))
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
    Set<Integer> m = new java.util.LinkedHashSet<>(List.of(IkeAttr.PSK));
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

  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    String address = peer.toString().substring(0, peer.toString().lastIndexOf(':'));
    for (GatewayConfig.PeerConfig p : config.peers()) {
      if (p.remote().equals(address) && p.secret() != null) {
        return Optional.of(Secret.copyOf(p.secret().bytes()));
      }
    }
    List<String> keys =
        peerId.isPresent()
            ? List.of(idText(peerId.get()), address, "any")
            : List.of(address, "any");
    for (String k : keys) {
      for (GatewayConfig.PskEntry e : config.psks()) {
        if (e.matches(k)) {
          return Optional.of(Secret.copyOf(e.secret().bytes()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    return config.aggressiveIds().contains(idText(peerId));
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
   * A configured site-to-site peer may only ask for traffic inside its subnets. Other
   * PSK-authenticated peers may ask for anything until the remote-access pool (issue #4) narrows
   * them to their assigned address.
   */
  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    if (!tunnel) {
      return l2tpSelectors(remote, local);
    }
    if (sa.virtualAddress().isPresent()) {
      // a mode-config client may only send from the address it was given
      byte[] v = sa.virtualAddress().get();
      return TrafficSelector.host(v, remote.protocol(), remote.port()).equals(remote);
    }
    String address = sa.peer().toString().substring(0, sa.peer().toString().lastIndexOf(':'));
    for (GatewayConfig.PeerConfig p : config.peers()) {
      if (p.remote().equals(address)) {
        return within(p.remoteSubnets(), remote) && within(p.localSubnets(), local);
      }
    }
    return true;
  }

  /**
   * Transport mode is offered for L2TP/IPsec only: one host each side, UDP to our port 1701 from
   * any port of the client's (Apple, Android and NetworkManager use ephemeral ones), or no IDs at
   * all (the SA then covers both hosts; the data plane still takes nothing but L2TP from it).
   */
  boolean l2tpSelectors(TrafficSelector remote, TrafficSelector local) {
    boolean udp =
        local.protocol() == dev.coati.ip.Udp.PROTOCOL
            && remote.protocol() == dev.coati.ip.Udp.PROTOCOL
            && (local.port() == 1701 || local.port() == 0);
    boolean any = local.protocol() == 0 && remote.protocol() == 0 && local.port() == 0;
    return config.l2tp() != null
        && (udp || any)
        && java.util.Arrays.equals(local.from(), local.to())
        && java.util.Arrays.equals(remote.from(), remote.to());
  }

  static boolean within(List<String> subnets, TrafficSelector ts) {
    for (String s : subnets) {
      if (subnet(s).contains(ts)) {
        return true;
      }
    }
    return false;
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
