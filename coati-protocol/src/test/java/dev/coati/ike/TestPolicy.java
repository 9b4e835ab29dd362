package dev.coati.ike;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A configurable in-memory policy for engine tests. */
final class TestPolicy implements IkePolicy {
  List<IkeProposalSpec> ike;
  List<EspProposalSpec> esp;
  boolean serverPreference;
  Set<Integer> auth = Set.of(IkeAttr.PSK);
  long ikeLifetime = 28800;
  long childLifetime = 3600;
  long childKilobytes;
  PfsPolicy pfs = PfsPolicy.OPTIONAL;
  IdPayload localId;

  /** PSKs by peer address string ("10.0.0.1") or by ID string; "any" is the fallback. */
  final Map<String, String> psks = new HashMap<>();

  final Set<String> aggressiveIds = new HashSet<>();
  boolean allowTraffic = true;
  boolean forceUdpEncapsulation;
  boolean microsoftNatDParrot;
  long dpdDelay;
  long dpdTimeout = 120;
  RemoteAccess remoteAccess;
  RemoteAccess.Credentials credentials;
  HalfOpenLimits halfOpen = HalfOpenLimits.DEFAULT;
  LocalCertificate certificate;
  CertificateVerifier verifier;

  @Override
  public LocalCertificate localCertificate() {
    return certificate;
  }

  @Override
  public CertificateVerifier certificateVerifier() {
    return verifier;
  }

  @Override
  public HalfOpenLimits halfOpenLimits() {
    return halfOpen;
  }

  int fragmentSize = 552;

  @Override
  public RemoteAccess remoteAccess() {
    return remoteAccess;
  }

  @Override
  public RemoteAccess.Credentials xauthCredentials(IkeSaView sa) {
    return credentials;
  }

  @Override
  public boolean forceUdpEncapsulation() {
    return forceUdpEncapsulation;
  }

  @Override
  public boolean microsoftNatDParrot() {
    return microsoftNatDParrot;
  }

  @Override
  public long dpdDelaySeconds() {
    return dpdDelay;
  }

  @Override
  public long dpdTimeoutSeconds() {
    return dpdTimeout;
  }

  TestPolicy(String ikeProposals, String espProposals, IdPayload localId) {
    this.ike = ProposalParser.parseIke(ikeProposals, true);
    this.esp = ProposalParser.parseEsp(espProposals, true);
    this.localId = localId;
  }

  @Override
  public List<IkeProposalSpec> ikeProposals() {
    return ike;
  }

  @Override
  public boolean serverPreference() {
    return serverPreference;
  }

  @Override
  public Set<Integer> authMethods() {
    return auth;
  }

  @Override
  public long ikeLifetimeSeconds() {
    return ikeLifetime;
  }

  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    String key = peerId.map(TestPolicy::idString).map(psks::get).orElse(null);
    if (key == null) {
      String addr = peer.toString();
      key = psks.get(addr.substring(0, addr.lastIndexOf(':')));
    }
    if (key == null) {
      key = psks.get("any");
    }
    return Optional.ofNullable(key).map(k -> Secret.copyOf(k.getBytes(StandardCharsets.UTF_8)));
  }

  static String idString(IdPayload id) {
    return new String(id.data(), StandardCharsets.UTF_8);
  }

  @Override
  public int ikeFragmentSize() {
    return fragmentSize;
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    return aggressiveIds.contains(idString(peerId));
  }

  @Override
  public IdPayload localId(PeerAddress peer) {
    return localId;
  }

  @Override
  public List<EspProposalSpec> espProposals() {
    return esp;
  }

  @Override
  public PfsPolicy pfs() {
    return pfs;
  }

  @Override
  public long childLifetimeSeconds() {
    return childLifetime;
  }

  @Override
  public long childLifetimeKilobytes() {
    return childKilobytes;
  }

  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    return allowTraffic;
  }
}
