package dev.coati.ike;

/** Where the engine writes datagrams; the server sends them, tests queue them. */
@FunctionalInterface
public interface Outbox {
  void send(PeerAddress from, PeerAddress to, byte[] datagram);

  /**
   * A NAT keepalive (RFC 3948 section 2.3): the single byte 0xFF on the NAT-T port, without the
   * non-ESP marker. The default sends nothing (for outboxes that never see NAT-T).
   */
  default void keepalive(PeerAddress from, PeerAddress to) {}
}
