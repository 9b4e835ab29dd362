package dev.coati.server.dataplane;

/**
 * Where the data plane sends IP packets read from the TUN that no tunnel-mode child covers: the PPP
 * sessions of L2TP clients (their packets go out through the client's transport-mode SA).
 */
public interface Egress {
  int SENT = 1;
  int NO_DESTINATION = 0;
  int DROPPED = -1;

  /**
   * {@link #SENT}; {@link #NO_DESTINATION} (no PPP session has that address: the data plane counts
   * {@code no_route}); {@link #DROPPED} (the session's SA is gone or refused it: counted by the
   * egress itself, not again by the data plane).
   */
  int send(byte[] p, int off, int len);
}
