package dev.coati.ike;

/** Where the engine writes datagrams; the server sends them, tests queue them. */
@FunctionalInterface
public interface Outbox {
  void send(PeerAddress from, PeerAddress to, byte[] datagram);
}
