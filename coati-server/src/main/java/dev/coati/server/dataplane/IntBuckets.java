package dev.coati.server.dataplane;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An open-addressing hash map from a primitive {@code int} key (an IPv4 address or prefix) to a
 * small immutable bucket of values, newest first. One writer at a time (the caller synchronises);
 * readers never lock and never allocate: each slot holds an immutable {@link Bucket} that the
 * writer replaces whole (copy-on-write per bucket, never per table), a removed key leaves a
 * tombstone, and a resize publishes a new table through a volatile field, so a reader sees either
 * the old or the new bucket of a key, never a half-written one.
 */
final class IntBuckets<V> {
  /** The values of one key, newest first. */
  record Bucket(int key, Object[] values) {}

  private static final Object[] NONE = new Object[0];
  private static final Bucket TOMBSTONE = new Bucket(0, NONE);
  private static final int MIN_CAPACITY = 16;

  private volatile AtomicReferenceArray<Bucket> table = new AtomicReferenceArray<>(MIN_CAPACITY);
  private int live; // keys present (writer only)
  private int used; // keys plus tombstones (writer only)

  /** The values stored under {@code key}, newest first, or null (readers: lock-free). */
  Object[] get(int key) {
    AtomicReferenceArray<Bucket> t = table;
    int mask = t.length() - 1;
    int i = spread(key) & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Bucket b = t.get(i);
      if (b == null) {
        return null;
      }
      if (b != TOMBSTONE && b.key == key) {
        return b.values;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** The newest value of {@code key}, or null (readers: lock-free, no boxing). */
  @SuppressWarnings("unchecked")
  V value(int key) {
    Object[] values = get(key);
    return values == null ? null : (V) values[0];
  }

  /** Makes {@code v} the only value of {@code key}; returns the newest one it replaced, or null. */
  @SuppressWarnings("unchecked")
  V put(int key, V v) {
    AtomicReferenceArray<Bucket> t = table;
    int slot = find(t, key);
    if (slot < 0) {
      add(key, v);
      return null;
    }
    Object old = t.get(slot).values[0];
    t.set(slot, new Bucket(key, new Object[] {v}));
    return (V) old;
  }

  /** Removes {@code key}; returns its newest value, or null. */
  @SuppressWarnings("unchecked")
  V removeAll(int key) {
    AtomicReferenceArray<Bucket> t = table;
    int slot = find(t, key);
    if (slot < 0) {
      return null;
    }
    Object old = t.get(slot).values[0];
    t.set(slot, TOMBSTONE);
    live--;
    return (V) old;
  }

  /** Adds {@code v} as the newest value of {@code key}. */
  void add(int key, V v) {
    if ((used + 1) * 2 > table.length()) {
      rehash();
    }
    AtomicReferenceArray<Bucket> t = table;
    int slot = find(t, key);
    if (slot >= 0) {
      Object[] old = t.get(slot).values;
      Object[] next = new Object[old.length + 1];
      next[0] = v;
      System.arraycopy(old, 0, next, 1, old.length);
      t.set(slot, new Bucket(key, next));
      return;
    }
    int free = freeSlot(t, key);
    if (t.get(free) == null) {
      used++;
    }
    live++;
    t.set(free, new Bucket(key, new Object[] {v}));
  }

  /** Removes {@code v} (by identity) from {@code key}'s values; false if it was not there. */
  boolean remove(int key, V v) {
    AtomicReferenceArray<Bucket> t = table;
    int slot = find(t, key);
    if (slot < 0) {
      return false;
    }
    Object[] old = t.get(slot).values;
    int at = -1;
    for (int i = 0; i < old.length && at < 0; i++) {
      at = old[i] == v ? i : -1;
    }
    if (at < 0) {
      return false;
    }
    if (old.length == 1) {
      t.set(slot, TOMBSTONE);
      live--;
      return true;
    }
    Object[] next = new Object[old.length - 1];
    System.arraycopy(old, 0, next, 0, at);
    System.arraycopy(old, at + 1, next, at, old.length - at - 1);
    t.set(slot, new Bucket(key, next));
    return true;
  }

  /** Keys present. */
  int size() {
    return live;
  }

  /** Slots in the current table (for tests: the table grows with the keys, not with churn). */
  int capacity() {
    return table.length();
  }

  private static int find(AtomicReferenceArray<Bucket> t, int key) {
    int mask = t.length() - 1;
    int i = spread(key) & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Bucket b = t.get(i);
      if (b == null) {
        return -1;
      }
      if (b != TOMBSTONE && b.key == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  /**
   * The first tombstone or empty slot on {@code key}'s probe sequence (the table is never full).
   */
  private static int freeSlot(AtomicReferenceArray<Bucket> t, int key) {
    int mask = t.length() - 1;
    int i = spread(key) & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Bucket b = t.get(i);
      if (b == null || b == TOMBSTONE) {
        return i;
      }
      i = (i + 1) & mask;
    }
    throw new IllegalStateException("full table");
  }

  /** A fresh table at most a quarter full (tombstones dropped), published in one volatile write. */
  private void rehash() {
    int capacity = MIN_CAPACITY;
    while (capacity < (live + 1) * 4) {
      capacity <<= 1;
    }
    AtomicReferenceArray<Bucket> old = table;
    AtomicReferenceArray<Bucket> next = new AtomicReferenceArray<>(capacity);
    for (int i = 0; i < old.length(); i++) {
      Bucket b = old.get(i);
      if (b != null && b != TOMBSTONE) {
        next.set(freeSlot(next, b.key), b);
      }
    }
    used = live;
    table = next;
  }

  /** Fibonacci hashing: consecutive pool addresses spread over the table. */
  private static int spread(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
