package dev.coati.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 counter-mode byte stream for reproducible tests. */
final class DeterministicRandom implements RandomSource {
  private final long seed;
  private long counter;
  private byte[] block = new byte[0];
  private int used;

  DeterministicRandom(long seed) {
    this.seed = seed;
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      if (used == block.length) {
        block = next();
        used = 0;
      }
      out[i] = block[used++];
    }
  }

  private byte[] next() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteWriter w = new ByteWriter(16).i64(seed).i64(counter++);
      return md.digest(w.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
