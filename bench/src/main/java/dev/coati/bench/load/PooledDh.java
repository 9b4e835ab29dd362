package dev.coati.bench.load;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.KeyExchange;
import dev.coati.crypto.Secret;
import dev.coati.util.RandomSource;
import java.util.EnumMap;
import java.util.Map;

/**
 * The load generator's Diffie-Hellman: a few key pairs per group made once and handed out in turn,
 * so a client costs one modular exponentiation (the agreement) instead of two. Only for the load
 * generator, whose job is to be cheaper than the gateway it measures; never for a real peer.
 */
final class PooledDh implements DhFactory {
  private static final int POOL = 16;
  private final RandomSource random;
  private final Map<DhGroup, KeyExchange[]> pools = new EnumMap<>(DhGroup.class);
  private int next;

  PooledDh(RandomSource random) {
    this.random = random;
  }

  @Override
  public KeyExchange create(DhGroup group) {
    KeyExchange[] pool = pools.computeIfAbsent(group, this::fill);
    KeyExchange k = pool[next++ % POOL];
    return new KeyExchange() {
      @Override
      public DhGroup group() {
        return k.group();
      }

      @Override
      public byte[] publicKey() {
        return k.publicKey();
      }

      @Override
      public Secret agree(byte[] peerPublic) {
        return k.agree(peerPublic);
      }

      @Override
      public void destroy() {} // shared: kept for the next client
    };
  }

  private KeyExchange[] fill(DhGroup group) {
    KeyExchange[] pool = new KeyExchange[POOL];
    DhFactory fresh = DhFactory.using(random);
    for (int i = 0; i < POOL; i++) {
      pool[i] = fresh.create(group);
    }
    return pool;
  }
}
