package dev.coati.crypto.pki;

import dev.coati.util.RandomSource;
import java.security.SecureRandom;

/** Presents a {@link RandomSource} as the {@link SecureRandom} the JCA and Bouncy Castle take. */
final class RandomAdapter extends SecureRandom {
  private final transient RandomSource source;

  private RandomAdapter(RandomSource source) {
    this.source = source;
  }

  static SecureRandom of(RandomSource source) {
    return new RandomAdapter(source);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    source.nextBytes(bytes);
  }

  @Override
  public byte[] generateSeed(int n) {
    return source.bytes(n);
  }

  @Override
  public void setSeed(long seed) {
    // the source decides; SecureRandom's constructor calls this before the field is set
  }
}
