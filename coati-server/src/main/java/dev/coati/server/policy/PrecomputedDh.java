package dev.coati.server.policy;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.KeyExchange;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Diffie-Hellman key pairs made ahead of need on a background thread, so the socket thread's
 * handshake costs one modular exponentiation (the agreement with the peer's value) instead of two:
 * key generation does not depend on the peer, and the profile of a handshake load put it at about
 * 45% of the responder's Diffie-Hellman time. Each pair is handed out once and destroyed by its SA
 * as before (no reuse of exponents); when a burst empties the pool, {@link #create} generates
 * inline, so a handshake never waits for the filler. Only the configured groups are pooled, each
 * bounded to {@code capacity} pairs.
 */
public final class PrecomputedDh implements DhFactory, AutoCloseable {
  private final DhFactory inner;
  private final Map<DhGroup, ArrayBlockingQueue<KeyExchange>> pools = new EnumMap<>(DhGroup.class);
  private final Thread filler;
  private final LongAdder pooled = new LongAdder();
  private final LongAdder inline = new LongAdder();
  private volatile boolean closed;

  public PrecomputedDh(DhFactory inner, Collection<DhGroup> groups, int capacity) {
    this.inner = inner;
    for (DhGroup g : groups) {
      pools.put(g, new ArrayBlockingQueue<>(capacity));
    }
    this.filler = Thread.ofPlatform().daemon().name("coati-dh-precompute").unstarted(this::fill);
    if (!pools.isEmpty()) {
      filler.start();
    }
  }

  @Override
  public KeyExchange create(DhGroup group) {
    ArrayBlockingQueue<KeyExchange> q = pools.get(group);
    KeyExchange k = q == null ? null : q.poll();
    if (k == null) {
      inline.increment();
      k = inner.create(group);
    } else {
      pooled.increment();
    }
    if (q != null) {
      LockSupport.unpark(filler);
    }
    return k;
  }

  /** Key pairs handed out from the pool. */
  public long pooled() {
    return pooled.sum();
  }

  /** Key pairs generated on the caller's thread (group not pooled, or the pool was empty). */
  public long inline() {
    return inline.sum();
  }

  private void fill() {
    while (!closed) {
      boolean made = false;
      for (Map.Entry<DhGroup, ArrayBlockingQueue<KeyExchange>> e : pools.entrySet()) {
        if (e.getValue().remainingCapacity() > 0) {
          KeyExchange k = inner.create(e.getKey());
          if (!e.getValue().offer(k)) {
            k.destroy();
          }
          made = true;
        }
      }
      if (!made) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // woken by create()
      }
    }
  }

  /** Stops the filler and destroys the pairs never handed out. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(filler);
    try {
      filler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ArrayBlockingQueue<KeyExchange> q : pools.values()) {
      for (KeyExchange k = q.poll(); k != null; k = q.poll()) {
        k.destroy();
      }
    }
  }
}
