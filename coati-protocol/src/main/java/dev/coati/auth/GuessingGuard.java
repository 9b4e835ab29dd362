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
    int inflight;
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

  /**
   * Null if an attempt by {@code user} from {@code source} may be checked now (it then counts as in
   * flight until {@link #failed} or {@link #succeeded}), else why not. Checks in flight count
   * against the budget, so parallel attempts get no more guesses than sequential ones: past the
   * budget, one at a time.
   */
  public synchronized Refusal check(String user, String source) {
    long now = clock.millis();
    GuessingLimits l = limits;
    Budget s = sources.computeIfAbsent(source, k -> new Budget());
    Budget u = users.computeIfAbsent(key(user), k -> new Budget());
    Refusal r = null;
    if (refuses(s, l.perSource(), now)) {
      r = Refusal.SOURCE_BACKOFF;
    } else if (refuses(u, l.perUser(), now)) {
      r = Refusal.USER_BACKOFF;
    }
    if (r != null) {
      refused[r.ordinal()]++;
      return r;
    }
    s.inflight++;
    u.inflight++;
    return null;
  }

  private boolean refuses(Budget b, int budget, long now) {
    if (now - b.lastFailure > limits.forgetMillis() && b.inflight == 0) {
      b.failures = 0;
    }
    return now < b.blockedUntil || (b.inflight > 0 && b.failures + b.inflight >= budget);
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

  /** A checked attempt failed (wrong credentials). */
  public synchronized void failed(String user, String source) {
    long now = clock.millis();
    failures++;
    fail(sources.computeIfAbsent(source, k -> new Budget()), limits.perSource(), now);
    fail(users.computeIfAbsent(key(user), k -> new Budget()), limits.perUser(), now);
  }

  /** A checked attempt succeeded: the user's failures are cleared, the source's are kept. */
  public synchronized void succeeded(String user, String source) {
    users.remove(key(user));
    Budget s = sources.get(source);
    if (s != null && s.inflight > 0) {
      s.inflight--;
    }
  }

  /** A checked attempt ended without a verdict (the backend failed): no longer in flight. */
  public synchronized void abandoned(String user, String source) {
    for (Budget b : new Budget[] {sources.get(source), users.get(key(user))}) {
      if (b != null && b.inflight > 0) {
        b.inflight--;
      }
    }
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
    if (b.inflight > 0) {
      b.inflight--;
    }
    if (now - b.lastFailure > limits.forgetMillis()) {
      b.failures = 0;
    }
    b.failures++;
    b.lastFailure = now;
    b.blockedUntil = now + limits.backoff(b.failures, budget);
  }

  /** User names compare as the users file does (case-sensitive); the key bounds a hostile name. */
  private static String key(String user) {
    return user.length() > 256 ? user.substring(0, 256) : user;
  }
}
