package dev.coati.crypto;

import dev.coati.util.RandomSource;

/** Creates DH key pairs; the engine gets one so tests can pin the randomness. */
@FunctionalInterface
public interface DhFactory {
  KeyExchange create(DhGroup group);

  static DhFactory using(RandomSource random) {
    return group -> group.generate(random);
  }
}
