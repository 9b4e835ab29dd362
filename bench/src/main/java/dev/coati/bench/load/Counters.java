package dev.coati.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the workers report while running; the main thread samples it every second. */
final class Counters {
  final LongAdder started = new LongAdder();
  final LongAdder established = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder lostAfterEstablished = new LongAdder();
  final LongAdder datagramsIn = new LongAdder();
  final LongAdder datagramsOut = new LongAdder();
  final LongAdder sendErrors = new LongAdder();
  final AtomicLong active = new AtomicLong();
  final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  void fail(String reason) {
    failed.increment();
    String key = failures.size() < 40 || failures.containsKey(reason) ? reason : "other";
    failures.computeIfAbsent(key, r -> new LongAdder()).increment();
  }
}
