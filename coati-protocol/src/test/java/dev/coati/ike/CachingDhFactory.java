package dev.coati.ike;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.KeyExchange;
import dev.coati.crypto.Secret;
import dev.coati.util.RandomSource;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test-only {@link DhFactory} for fuzzing: one real key pair per group for the whole run (a key
 * generation per message made {@link IkeEngineFuzzTest} slow), and each group's last 64 successful
 * agreements remembered by the peer's public value. A peer value not seen yet (every mutated one)
 * still goes through the real validation and agreement, so invalid points and out-of-range values
 * are rejected exactly as in production. Every {@link #create} hands out its own handle that throws
 * {@link IllegalStateException} after {@code destroy()}, as the real key exchanges and secrets do.
 */
final class CachingDhFactory implements DhFactory {
  private static final int REMEMBERED = 64;

  private final DhFactory real;
  private final Map<DhGroup, KeyExchange> pairs = new EnumMap<>(DhGroup.class);
  private final Map<DhGroup, Map<Peer, byte[]>> agreed = new EnumMap<>(DhGroup.class);

  CachingDhFactory(RandomSource random) {
    this.real = DhFactory.using(random);
  }

  @Override
  public KeyExchange create(DhGroup group) {
    return new Handle(pairs.computeIfAbsent(group, real::create));
  }

  private byte[] agree(KeyExchange pair, byte[] peerPublic) {
    Map<Peer, byte[]> memo =
        agreed.computeIfAbsent(
            pair.group(),
            g ->
                new LinkedHashMap<>(16, 0.75f, true) {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<Peer, byte[]> eldest) {
                    return size() > REMEMBERED;
                  }
                });
    Peer key = new Peer(peerPublic.clone());
    byte[] shared = memo.get(key);
    if (shared == null) {
      Secret s = pair.agree(peerPublic);
      shared = s.bytes();
      s.destroy();
      memo.put(key, shared);
    }
    return shared;
  }

  /** A peer public value as a map key (by content). */
  private record Peer(byte[] value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Peer p && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }
  }

  private final class Handle implements KeyExchange {
    private final KeyExchange pair;
    private boolean destroyed;

    Handle(KeyExchange pair) {
      this.pair = pair;
    }

    private KeyExchange live() {
      if (destroyed) {
        throw new IllegalStateException("key exchange used after destroy");
      }
      return pair;
    }

    @Override
    public DhGroup group() {
      return live().group();
    }

    @Override
    public byte[] publicKey() {
      return live().publicKey();
    }

    @Override
    public Secret agree(byte[] peerPublic) {
      return Secret.copyOf(CachingDhFactory.this.agree(live(), peerPublic));
    }

    @Override
    public void destroy() {
      destroyed = true;
    }
  }
}
