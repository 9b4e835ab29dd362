package dev.coati.ike;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.ike.wire.IdPayload;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decisions the IKE engine asks for and never makes itself: which algorithms, which keys, which
 * identities, which traffic. {@code coati-server} implements it from the configuration (as Bouncy
 * Castle's TlsServer answers TlsServerProtocol); tests implement it directly.
 */
public interface IkePolicy {

  /** Acceptable phase-1 algorithm sets, in our order of preference; offered in this order too. */
  List<IkeProposalSpec> ikeProposals();

  /**
   * How to pick among acceptable peer transforms: false (default) takes the first acceptable
   * transform in the peer's order; true takes the one ranked highest in {@link #ikeProposals()}.
   */
  default boolean serverPreference() {
    return false;
  }

  /** Phase-1 authentication methods we accept and offer (RFC 2409 values, {@code IkeAttr}). */
  Set<Integer> authMethods();

  /**
   * Whether a responder accepts {@code method} from this peer address (before its identity is
   * known): by default any of {@link #authMethods()}.
   */
  default boolean authMethodAllowed(PeerAddress peer, int method) {
    return authMethods().contains(method);
  }

  /**
   * Whether an SA that ran no Xauth may get a mode config address (a road warrior authenticated by
   * its certificate alone). A pre-shared key proves only membership of the group, never a user.
   */
  default boolean modeConfigWithoutXauth(IkeSaView sa) {
    return false;
  }

  /** Maximum phase-1 lifetime in seconds; a longer offer is accepted and shortened to this. */
  long ikeLifetimeSeconds();

  /**
   * The pre-shared key for a peer. In main mode the peer's identity is still encrypted when the key
   * is needed, so {@code peerId} is empty and the address decides; in aggressive mode the identity
   * is known. Implementations fall back to an {@code any} key.
   */
  Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId);

  /**
   * Whether aggressive mode with a pre-shared key is allowed for this peer identity. Aggressive
   * mode exposes a hash of the PSK to anyone who asks, so only configured peers may use it.
   */
  boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId);

  /** Whether the authenticated peer identity may use this gateway at all (after HASH_I). */
  default boolean identityAllowed(PeerAddress peer, IdPayload peerId) {
    return true;
  }

  /** Our own phase-1 identity as presented to this peer. */
  IdPayload localId(PeerAddress peer);

  /** Acceptable ESP algorithm sets for quick mode, in our order of preference. */
  List<EspProposalSpec> espProposals();

  /** Perfect forward secrecy for quick mode. */
  PfsPolicy pfs();

  /** Maximum child SA lifetime in seconds. */
  long childLifetimeSeconds();

  /** Maximum child SA lifetime in kilobytes (0: none). */
  default long childLifetimeKilobytes() {
    return 0;
  }

  /**
   * Whether the traffic a peer proposes in quick mode may be protected: {@code remote} is the
   * peer's side (IDci when the peer initiates), {@code local} ours; {@code tunnel} tells the mode.
   */
  boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel);

  /** NAT traversal (RFC 3947 and the drafts): announce it and detect NATs. */
  default boolean natTraversal() {
    return true;
  }

  /**
   * Make every NAT-T capable peer believe it is behind a NAT, so all ESP goes over UDP 4500
   * (SoftEther's approach): our NAT-D hash of the peer's address is deliberately wrong.
   */
  default boolean forceUdpEncapsulation() {
    return false;
  }

  /**
   * For Microsoft clients, send the client's own hash of our address back as our NAT-D, so Windows
   * believes the gateway is not behind a NAT and needs no registry change (seed 004).
   */
  default boolean microsoftNatDParrot() {
    return false;
  }

  /**
   * IKE fragmentation (Cisco's Vendor ID and payload 132): the largest ISAKMP message we send in
   * one datagram to a peer that announced support; longer ones go out in pieces of at most this
   * size. 0: fragmentation off (no Vendor ID; fragments received are still reassembled).
   */
  default int ikeFragmentSize() {
    return 552;
  }

  /** Seconds of silence before we probe a DPD-capable peer with R-U-THERE (0: never). */
  default long dpdDelaySeconds() {
    return 0;
  }

  /** Seconds without an answer to R-U-THERE after which the peer is declared dead. */
  default long dpdTimeoutSeconds() {
    return 120;
  }

  /** Limits on responder SAs from sources not yet verified (the spoofing defence). */
  default HalfOpenLimits halfOpenLimits() {
    return HalfOpenLimits.DEFAULT;
  }

  /** Perfect forward secrecy requirement of quick mode. */
  enum PfsPolicy {
    /** Never use PFS; a proposal with PFS is refused. */
    NONE,
    /** Accept with or without PFS as the peer proposes; propose without. */
    OPTIONAL,
    /** Require PFS (with the groups of the ESP proposals); propose with. */
    REQUIRED
  }

  /** Xauth and mode config for road warriors; null: neither is offered. */
  default RemoteAccess remoteAccess() {
    return null;
  }

  /** Xauth credentials when we are the Xauth client of {@code sa}; null: we are none. */
  default RemoteAccess.Credentials xauthCredentials(IkeSaView sa) {
    return null;
  }

  /** Our certificate for signature and hybrid methods; null: none configured. */
  default LocalCertificate localCertificate() {
    return null;
  }

  /** Verifies peer certificates (our CA bundle and CRL); null: we trust no certificates. */
  default CertificateVerifier certificateVerifier() {
    return null;
  }
}
