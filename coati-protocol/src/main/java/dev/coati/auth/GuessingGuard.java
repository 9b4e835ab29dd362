package dev.coati.auth;

import dev.coati.util.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the failure budgets of {@link GuessingLimits}: a source or user over its budget is backed
 * off (its attempts refused without checking the password) for a time that doubles with every
 * further failure, or locked out. A success clears the user's count (not the source's: one working
 * account must not buy an attacker fresh guesses). Counts and refusals are kept for the metrics and
 * a periodic log summary. Thread-safe (the auth workers share it); both tables are bounded (the
 * least recently used entries go first).
 */
public final class GuessingGuard {
  /** Why an attempt was refused before its password was checked. */
  public enum Refusal {
    SOURCE_BACKOFF,
    USER_BACKOFF
  }

  /** At most this many sources and user names are tracked each. */
  static final int MAX_TRACKED = 65_536;

  private static final class Budget {
    int failures;
    long lastFailure;
    long blockedUntil;
  }

  private final Clock clock;
  private volatile GuessingLimits limits;
  private final Map<String, Budget> sources = table();
  private final Map<String, Budget> users = table();
  private final long[] refused = new long[Refusal.values().length];
  private long failures;

  public GuessingGuard(GuessingLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  private static Map<String, Budget> table() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Budget> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }

  /** New limits (a reload); counts so far are kept. */
  public void limits(GuessingLimits next) {
    this.limits = next;
  }

  /** Null if an attempt by {@code user} from {@code source} may be checked now, else why not. */
  public synchronized Refusal check(String user, String source) {
    long now = clock.millis();
    Refusal r = null;
    if (blocked(sources.get(source), now)) {
      r = Refusal.SOURCE_BACKOFF;
    } else if (blocked(users.get(key(user)), now)) {
      r = Refusal.USER_BACKOFF;
    }
    if (r != null) {
      refused[r.ordinal()]++;
    }
    return r;
  }

  /** Milliseconds until {@code source} or {@code user} may try again (0: now). */
  public synchronized long retryAfter(String user, String source) {
    long now = clock.millis();
    long until = 0;
    for (Budget b : new Budget[] {sources.get(source), users.get(key(user))}) {
      if (b != null) {
        until = Math.max(until, b.blockedUntil - now);
      }
    }
    return Math.max(0, until);
  }

  public synchronized void failed(String user, String source) {
    long now = clock.millis();
    failures++;
    fail(sources.computeIfAbsent(source, k -> new Budget()), limits.perSource(), now);
    fail(users.computeIfAbsent(key(user), k -> new Budget()), limits.perUser(), now);
  }

  public synchronized void succeeded(String user) {
    users.remove(key(user));
  }

  /** Attempts refused so far, by reason. */
  public synchronized long refused(Refusal r) {
    return refused[r.ordinal()];
  }

  /** Wrong credentials checked so far. */
  public synchronized long failures() {
    return failures;
  }

  private void fail(Budget b, int budget, long now) {
    if (now - b.lastFailure > limits.forgetMillis()) {
      b.failures = 0;
    }
    b.failures++;
    b.lastFailure = now;
    b.blockedUntil = now + limits.backoff(b.failures, budget);
  }

  private boolean blocked(Budget b, long now) {
    return b != null && now < b.blockedUntil;
  }

  /** User names compare as the users file does (case-sensitive); the key bounds a hostile name. */
  private static String key(String user) {
    return user.length() > 256 ? user.substring(0, 256) : user;
  }
}
