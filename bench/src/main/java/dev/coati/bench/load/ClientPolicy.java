package dev.coati.bench.load;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkePolicy;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RemoteAccess;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The road warriors' side of the policy: PSK + Xauth initiator (what strongSwan's {@code auth =
 * xauth} or vpnc do), one group PSK. The engine asks for identity and credentials while it handles
 * a datagram; the worker sets {@link #current} to the road warrior the datagram came to.
 */
final class ClientPolicy implements IkePolicy {
  private final List<IkeProposalSpec> ike;
  private final List<EspProposalSpec> esp;
  private final byte[] psk;
  private final long dpdDelay;

  /** The client whose datagram the engine is handling (one worker thread per policy). */
  RoadWarrior current;

  ClientPolicy(LoadConfig cfg, byte[] psk) {
    this.ike = ProposalParser.parseIke(cfg.ike(), true);
    this.esp = ProposalParser.parseEsp(cfg.esp(), true);
    this.psk = psk.clone();
    this.dpdDelay = cfg.dpdSeconds();
  }

  @Override
  public List<IkeProposalSpec> ikeProposals() {
    return ike;
  }

  @Override
  public Set<Integer> authMethods() {
    return Set.of(IkeAttr.XAUTH_INIT_PSK);
  }

  @Override
  public long ikeLifetimeSeconds() {
    return 28_800;
  }

  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    return Optional.of(Secret.copyOf(psk));
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    return false;
  }

  @Override
  public IdPayload localId(PeerAddress peer) {
    return IdPayload.ipv4(current.address());
  }

  @Override
  public List<EspProposalSpec> espProposals() {
    return esp;
  }

  @Override
  public PfsPolicy pfs() {
    return PfsPolicy.NONE;
  }

  @Override
  public long childLifetimeSeconds() {
    return 3_600;
  }

  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    return true;
  }

  @Override
  public long dpdDelaySeconds() {
    return dpdDelay;
  }

  @Override
  public RemoteAccess.Credentials xauthCredentials(IkeSaView sa) {
    return current.credentials();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
