package dev.coati.auth;

/**
 * Failure budgets against online password guessing (issue #13 finding 6), per source address and
 * per user name, for every method (Xauth, PAP, CHAP, MS-CHAPv2, local or RADIUS users).
 *
 * @param perSource failures a source may have before it is backed off
 * @param perUser failures a user name may have before it is backed off
 * @param backoffMillis the first back-off; each further failure doubles it
 * @param maxBackoffMillis the longest back-off
 * @param lockoutAfter failures after which the user (or source) is locked out for {@code
 *     lockoutMillis}; 0: no lockout, only back-off
 * @param lockoutMillis how long a lockout lasts
 * @param forgetMillis failures older than this (without a newer one) are forgotten
 */
public record GuessingLimits(
    int perSource,
    int perUser,
    long backoffMillis,
    long maxBackoffMillis,
    int lockoutAfter,
    long lockoutMillis,
    long forgetMillis) {
  public static final GuessingLimits DEFAULT =
      new GuessingLimits(10, 5, 1_000, 300_000, 0, 900_000, 900_000);

  public GuessingLimits {
    if (perSource < 1
        || perUser < 1
        || backoffMillis < 0
        || maxBackoffMillis < backoffMillis
        || lockoutAfter < 0
        || lockoutMillis < 0
        || forgetMillis < 1000) {
      throw new IllegalArgumentException("bad guessing limits");
    }
  }

  /** The back-off after the {@code failures}th failure against a budget of {@code budget}. */
  long backoff(int failures, int budget) {
    if (lockoutAfter > 0 && failures >= lockoutAfter) {
      return Math.max(lockoutMillis, maxBackoffMillis);
    }
    int over = failures - budget;
    if (over < 0) {
      return 0;
    }
    return over >= 30 ? maxBackoffMillis : Math.min(maxBackoffMillis, backoffMillis << over);
  }
}
