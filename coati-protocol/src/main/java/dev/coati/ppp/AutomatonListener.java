package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppProtocol;

/** The actions of an {@link OptionAutomaton} towards its owner (RFC 1661 section 4.4). */
public interface AutomatonListener {
  void send(ControlPacket packet);

  /** tlu: the layer is up (LCP: start authentication; IPCP: route the address). */
  default void thisLayerUp() {}

  /** tld: the layer is leaving Opened. */
  default void thisLayerDown() {}

  /** tls: the layer wants the lower layer up. */
  default void thisLayerStarted() {}

  /** tlf: the layer is finished (LCP: tear the session down). */
  default void thisLayerFinished() {}

  /** The peer Protocol-Rejected a protocol other than LCP (RXJ+, section 5.7). */
  default void protocolRejected(PppProtocol protocol) {}
}
