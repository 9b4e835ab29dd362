package dev.coati.util;

/** Monotonic time source injected into engines; engines never read the system clock. */
@FunctionalInterface
public interface Clock {
  /** Monotonic milliseconds; only differences are meaningful. */
  long millis();
}
