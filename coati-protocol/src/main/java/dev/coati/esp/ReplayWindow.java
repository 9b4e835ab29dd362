package dev.coati.esp;

import java.util.Arrays;

/**
 * Anti-replay window (RFC 4303 section 3.4.3), bitmap style as RFC 6479 and wireguard-go's
 * replay.go: a ring of 64-bit words. {@link #check} has no side effect, so the data plane checks
 * before decrypting and {@link #commit}s only after the ICV verified.
 */
public final class ReplayWindow {
  public static final int DEFAULT_SIZE = 1024;

  private final long[] ring;
  private final int windowBits;
  private long highest;

  public ReplayWindow(int size) {
    int words = (Math.max(size, 64) + 63) / 64 + 1;
    this.ring = new long[words];
    this.windowBits = (words - 1) * 64;
  }

  public ReplayWindow() {
    this(DEFAULT_SIZE);
  }

  /** The number of sequence numbers behind the highest that are still tracked. */
  public int size() {
    return windowBits;
  }

  /** True if {@code seq} is new and inside (or ahead of) the window. Sequence 0 is never valid. */
  public boolean check(long seq) {
    if (seq == 0) {
      return false;
    }
    if (seq > highest) {
      return true;
    }
    if (highest - seq >= windowBits) {
      return false;
    }
    return (ring[index(seq)] & bit(seq)) == 0;
  }

  /** Marks {@code seq} as received; call only after {@link #check} and the ICV both passed. */
  public void commit(long seq) {
    if (seq > highest) {
      long oldWord = highest >>> 6;
      long newWord = seq >>> 6;
      long clear = Math.min(newWord - oldWord, ring.length);
      for (long w = 1; w <= clear; w++) {
        ring[(int) ((oldWord + w) % ring.length)] = 0;
      }
      highest = seq;
    }
    ring[index(seq)] |= bit(seq);
  }

  private int index(long seq) {
    return (int) ((seq >>> 6) % ring.length);
  }

  private static long bit(long seq) {
    return 1L << (seq & 63);
  }

  /**
   * A window restored after a restart: every sequence number up to {@code floor} counts as received
   * (it may have been before the crash), anything above it is new.
   */
  public void resumeAfter(long floor) {
    Arrays.fill(ring, -1L);
    int top = (int) (floor & 63);
    ring[index(floor)] = top == 63 ? -1L : (1L << (top + 1)) - 1;
    highest = floor;
  }

  public long highest() {
    return highest;
  }
}
