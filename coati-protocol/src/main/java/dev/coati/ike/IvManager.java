package dev.coati.ike;

import dev.coati.crypto.HashAlg;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CBC IV chains of one IKE SA (strongSwan's iv_manager): the phase-1 chain under message ID 0 and
 * one chain per phase-2 message ID, started from hash(last phase-1 block | M-ID). A decrypted
 * message's last block becomes the next IV only when {@link #confirm} says it verified, so a forged
 * message cannot desynchronise the chain.
 */
final class IvManager {
  /** Phase-2 chains kept at once; the oldest is forgotten first. */
  static final int MAX_CHAINS = 32;

  private static final class Chain {
    byte[] iv;
    byte[] pending;

    Chain(byte[] iv) {
      this.iv = iv;
    }
  }

  private final Map<Integer, Chain> chains = new LinkedHashMap<>();
  private HashAlg hash;
  private int blockSize;

  void setHash(HashAlg h, int bs) {
    this.hash = h;
    this.blockSize = bs;
  }

  void setPhase1Iv(byte[] iv) {
    chains.put(0, new Chain(iv.clone()));
    this.blockSize = iv.length;
  }

  /** The IV to use for the next message of {@code messageId}. */
  byte[] ivFor(int messageId) {
    Chain c = chains.get(messageId);
    if (c == null) {
      Chain p1 = chains.get(0);
      if (p1 == null || hash == null) {
        throw new IllegalStateException("no phase 1 IV");
      }
      c = new Chain(Keymat.phase2Iv(hash, p1.iv, messageId, blockSize));
      chains.put(messageId, c);
      evict();
    }
    return c.iv.clone();
  }

  private void evict() {
    Iterator<Integer> it = chains.keySet().iterator();
    while (chains.size() > MAX_CHAINS + 1 && it.hasNext()) {
      if (it.next() != 0) {
        it.remove();
      }
    }
  }

  /** Records the last cipher block of a message: pending until {@link #confirm}. */
  void update(int messageId, byte[] lastBlock) {
    ivFor(messageId);
    chains.get(messageId).pending = lastBlock.clone();
  }

  /** Commits the pending IV of {@code messageId}. */
  void confirm(int messageId) {
    Chain c = chains.get(messageId);
    if (c != null && c.pending != null) {
      c.iv = c.pending;
      c.pending = null;
    }
  }

  void remove(int messageId) {
    if (messageId != 0) {
      chains.remove(messageId);
    }
  }

  int size() {
    return chains.size();
  }

  /** Current committed IV (saved for SA resumption; tests). */
  byte[] current(int messageId) {
    Chain c = chains.get(messageId);
    return c == null ? null : Arrays.copyOf(c.iv, c.iv.length);
  }
}
