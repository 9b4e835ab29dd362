package dev.coati.server.dataplane;

/**
 * ESP that arrives for an inbound SPI coati offered in a quick mode it has not finished yet. A
 * responder may start sending on the new SA as soon as it has answered (Libreswan installs its
 * outbound SA before its quick mode reply leaves, so a packet can overtake the reply): such packets
 * wait here, a few of them for a short while, and are decrypted once the answer has installed the
 * SA ({@link #replay}); the rest are dropped and counted ({@code early_expired}). Socket thread
 * only; the slots are allocated once, so parking allocates nothing per packet.
 */
final class EarlyEsp {
  static final int SLOTS = 8;
  static final int MAX_LENGTH = 2048;
  static final long MAX_AGE_NANOS = 2_000_000_000L;

  private final byte[][] data = new byte[SLOTS][MAX_LENGTH];
  private final int[] length = new int[SLOTS];
  private final long[] at = new long[SLOTS];
  private final long[] order = new long[SLOTS];
  private long parked;
  private int used;

  /** What decrypts a parked packet: true when its SPI is known now. */
  interface Inbound {
    boolean inbound(byte[] pkt, int off, int len);
  }

  /**
   * Parks a copy of {@code len} bytes of {@code pkt} from {@code off}; false when it is too long.
   * When every slot is taken the oldest packet gives way (counted in {@code drops}).
   */
  boolean park(byte[] pkt, int off, int len, long nowNanos, DropCounters drops) {
    if (len > MAX_LENGTH) {
      return false;
    }
    int slot = -1;
    for (int i = 0; i < SLOTS; i++) {
      if (length[i] == 0) {
        slot = i;
        break;
      }
      if (slot < 0 || order[i] < order[slot]) {
        slot = i;
      }
    }
    if (length[slot] != 0) {
      drops.count(DropCounters.Reason.EARLY_EXPIRED);
      used--;
    }
    System.arraycopy(pkt, off, data[slot], 0, len);
    length[slot] = len;
    at[slot] = nowNanos;
    order[slot] = ++parked;
    used++;
    return true;
  }

  boolean isEmpty() {
    return used == 0;
  }

  /**
   * After an IKE message (which may have installed an SA): each parked packet whose SPI is known
   * now goes to {@code in}; those older than {@link #MAX_AGE_NANOS} are dropped and counted.
   */
  void replay(Inbound in, long nowNanos, DropCounters drops) {
    long after = 0;
    for (int n = used; n > 0; n--) { // oldest first, so the replay window sees them in order
      int i = next(after);
      after = order[i];
      if (in.inbound(data[i], 0, length[i])) {
        free(i);
      } else if (nowNanos - at[i] > MAX_AGE_NANOS) {
        drops.count(DropCounters.Reason.EARLY_EXPIRED);
        free(i);
      }
    }
  }

  /** The occupied slot parked first after the one numbered {@code after}. */
  private int next(long after) {
    int best = -1;
    for (int i = 0; i < SLOTS; i++) {
      if (length[i] != 0 && order[i] > after && (best < 0 || order[i] < order[best])) {
        best = i;
      }
    }
    return best;
  }

  private void free(int i) {
    length[i] = 0;
    used--;
  }
}
