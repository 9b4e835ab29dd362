package dev.coati.server.control;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkePolicy;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The engine's policy, answered from the configuration. */
public final class ConfiguredPolicy implements IkePolicy {
  private final GatewayConfig config;
  private final List<IkeProposalSpec> ike;
  private final List<EspProposalSpec> esp;
  private final Secret psk;
  private final IdPayload localId;

  public ConfiguredPolicy(GatewayConfig config, Secret psk) {
    this.config = config;
    this.ike = config.parsedIke();
    this.esp = config.parsedEsp();
    this.psk = psk;
    String id = config.gatewayId();
    this.localId = id.startsWith("fqdn:") ? IdPayload.fqdn(id.substring(5)) : IdPayload.fqdn(id);
  }

  @Override
  public List<IkeProposalSpec> ikeProposals() {
    return ike;
  }

  @Override
  public Set<Integer> authMethods() {
    return Set.of(IkeAttr.PSK);
  }

  @Override
  public long ikeLifetimeSeconds() {
    return config.ikeLifetimeSeconds();
  }

  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    return Optional.of(Secret.copyOf(psk.bytes()));
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    return false;
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
    return PfsPolicy.OPTIONAL;
  }

  @Override
  public long childLifetimeSeconds() {
    return config.espLifetimeSeconds();
  }

  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    return true;
  }
}
