package dev.coati.util;

import java.security.SecureRandom;

/** Source of random bytes injected into engines, so tests can be deterministic. */
@FunctionalInterface
public interface RandomSource {
  void nextBytes(byte[] out);

  default byte[] bytes(int n) {
    byte[] b = new byte[n];
    nextBytes(b);
    return b;
  }

  default long nextLong() {
    byte[] b = bytes(8);
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }

  default int nextInt() {
    return (int) nextLong();
  }

  /** The production source: a {@link SecureRandom}. */
  static RandomSource secure() {
    SecureRandom sr = new SecureRandom();
    return sr::nextBytes;
  }

  /**
   * A deterministic source for tests: SHA-256 in counter mode over the seed. Not for production.
   */
  static RandomSource deterministic(long seed) {
    return new DeterministicRandom(seed);
  }
}
