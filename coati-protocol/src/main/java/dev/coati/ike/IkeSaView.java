package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import java.util.Optional;
import java.util.Set;

/** What policy and listeners may read of an IKE SA. */
public interface IkeSaView {
  /** Log name: the initiator cookie in hex, as strongSwan and Wireshark show it. */
  String name();

  PeerAddress peer();

  PeerAddress local();

  boolean isInitiator();

  /** The peer's authenticated (or, before authentication, claimed) identity. */
  Optional<IdPayload> peerId();

  Set<PeerFeature> peerFeatures();

  /** Windows version from the MS NT5 ISAKMPOAKLEY vendor ID, or -1. */
  int microsoftVersion();

  IkeSa.State state();

  /** NAT discovery found that our own address is translated (or encapsulation is forced). */
  default boolean localBehindNat() {
    return false;
  }

  /** NAT discovery found that the peer's address is translated. */
  default boolean peerBehindNat() {
    return false;
  }

  /** The phase-1 exchange: main mode (ID_PROT) or aggressive mode; null if not known. */
  default ExchangeType mode() {
    return null;
  }

  /** The negotiated phase-1 transform, once chosen. */
  default Optional<Phase1Transform> transform() {
    return Optional.empty();
  }

  /**
   * Whether this SA's phase 1 is only the first half of the authentication: we are the responder
   * and the method makes the initiator an Xauth client (PSK + Xauth, RSA + Xauth, hybrid RSA).
   */
  default boolean awaitsXauth() {
    return false;
  }

  /** The user Xauth authenticated on this SA, if any. */
  default Optional<String> user() {
    return Optional.empty();
  }

  /** The phase-1 authentication method (RFC 2409 / Xauth values, {@code IkeAttr}); 0: none yet. */
  default int authMethod() {
    return 0;
  }

  /** Phase 1 ran in aggressive mode (the peer's identity chose the pre-shared key). */
  default boolean aggressiveMode() {
    return false;
  }

  /** The address mode config gave the client, if any. */
  default Optional<byte[]> virtualAddress() {
    return Optional.empty();
  }
}
