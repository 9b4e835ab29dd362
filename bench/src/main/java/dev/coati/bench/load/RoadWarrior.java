package dev.coati.bench.load;

import dev.coati.ike.IkeSa;
import dev.coati.ike.RemoteAccess;

/** One simulated client: its own source address, its Xauth user, and where its set-up stands. */
final class RoadWarrior {
  enum Phase {
    IDLE,
    PHASE1,
    QUICK_MODE,
    ESTABLISHED,
    FAILED
  }

  final int index;
  private final byte[] address;
  private final RemoteAccess.Credentials credentials;
  Phase phase = Phase.IDLE;
  IkeSa sa;
  long startedNanos;
  long establishedNanos;

  RoadWarrior(int index, byte[] address, RemoteAccess.Credentials credentials) {
    this.index = index;
    this.address = address;
    this.credentials = credentials;
  }

  byte[] address() {
    return address.clone();
  }

  RemoteAccess.Credentials credentials() {
    return credentials;
  }
}
