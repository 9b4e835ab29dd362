package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;

/**
 * One IKE exchange concern (strongSwan's task model, folded to one class per IKEv1 exchange). A
 * task never sends, retransmits or encrypts: it fills an {@link OutboundMessage} and the {@link
 * ExchangeManager} does the rest. A task reports failure by throwing {@link
 * dev.coati.ike.wire.IkeProtocolException} with the notify to answer, or by returning {@link
 * Status#FAILED} when nothing should be answered.
 */
interface Task {
  ExchangeType exchangeType();

  /** The initiator's first message. */
  Status initiate(OutboundMessage out);

  /** Processes a verified, decoded message; may fill {@code out} with the next message. */
  Status process(InboundMessage in, OutboundMessage out);

  /** The exchange gave up (retransmits exhausted, SA deleted): clean up, release keys. */
  default void abort(String reason) {}
}
