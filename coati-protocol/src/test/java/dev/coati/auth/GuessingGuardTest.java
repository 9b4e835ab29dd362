package dev.coati.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Failure budgets with back-off and lockout, on a fake clock (issue #13 finding 6). */
class GuessingGuardTest {
  long now = 1_000_000;
  final GuessingLimits limits = new GuessingLimits(10, 3, 1_000, 60_000, 0, 600_000, 900_000);
  final GuessingGuard guard = new GuessingGuard(limits, () -> now);

  @Test
  void userBudgetThenDoublingBackoff() {
    for (int i = 0; i < 2; i++) {
      assertNull(guard.check("bob", "10.0.0." + i));
      guard.failed("bob", "10.0.0." + i); // a different source each time: per-user budget
    }
    assertNull(guard.check("bob", "10.0.0.9"));
    guard.failed("bob", "10.0.0.9"); // third failure: budget spent, 1 s back-off
    assertEquals(GuessingGuard.Refusal.USER_BACKOFF, guard.check("bob", "10.0.0.10"));
    assertNull(guard.check("alice", "10.0.0.10"), "another user is not affected");
    now += 1_000;
    assertNull(guard.check("bob", "10.0.0.10"));
    guard.failed("bob", "10.0.0.10"); // fourth: 2 s
    now += 1_999;
    assertEquals(GuessingGuard.Refusal.USER_BACKOFF, guard.check("bob", "10.0.0.10"));
    now += 1;
    guard.failed("bob", "10.0.0.10"); // fifth: 4 s
    assertEquals(4_000, guard.retryAfter("bob", "x"));
    for (int i = 0; i < 20; i++) {
      guard.failed("bob", "10.0.0.10");
    }
    assertEquals(60_000, guard.retryAfter("bob", "x"), "capped");
    assertEquals(2, guard.refused(GuessingGuard.Refusal.USER_BACKOFF));
  }

  @Test
  void sourceBudgetIsNotResetByASuccess() {
    for (int i = 0; i < 10; i++) {
      guard.failed("user" + i, "192.0.2.7");
    }
    assertEquals(GuessingGuard.Refusal.SOURCE_BACKOFF, guard.check("carol", "192.0.2.7"));
    guard.succeeded("carol", "192.0.2.7");
    assertEquals(GuessingGuard.Refusal.SOURCE_BACKOFF, guard.check("carol", "192.0.2.7"));
    assertNull(guard.check("carol", "192.0.2.8"));
  }

  @Test
  void successClearsTheUserAndOldFailuresAreForgotten() {
    guard.failed("dave", "a");
    guard.failed("dave", "b");
    guard.succeeded("dave", "x");
    guard.failed("dave", "c");
    guard.failed("dave", "d");
    assertNull(guard.check("dave", "e"), "two failures after the success: within budget");
    now += 900_001;
    guard.failed("dave", "f");
    assertNull(guard.check("dave", "g"), "the earlier two were forgotten");
  }

  @Test
  void parallelAttemptsGetNoMoreGuessesThanSequentialOnes() {
    int allowed = 0;
    for (int i = 0; i < 8; i++) { // eight SAs at once, none answered yet
      allowed += guard.check("frank", "198.51.100.1") == null ? 1 : 0;
    }
    assertEquals(3, allowed, "the user budget, not the parallelism");
    for (int i = 0; i < 3; i++) {
      guard.failed("frank", "198.51.100.1");
    }
    now += 1_000; // the first back-off is over: one at a time from now on
    assertNull(guard.check("frank", "198.51.100.2"));
    assertEquals(GuessingGuard.Refusal.USER_BACKOFF, guard.check("frank", "198.51.100.3"));
    guard.abandoned("frank", "198.51.100.2");
    assertNull(guard.check("frank", "198.51.100.3"), "a check that ended without verdict frees");
  }

  @Test
  void optionalLockout() {
    GuessingGuard g =
        new GuessingGuard(
            new GuessingLimits(100, 3, 1_000, 60_000, 5, 600_000, 900_000), () -> now);
    for (int i = 0; i < 5; i++) {
      g.failed("erin", "s" + i);
    }
    assertEquals(600_000, g.retryAfter("erin", "s"));
    now += 599_999;
    assertEquals(GuessingGuard.Refusal.USER_BACKOFF, g.check("erin", "s"));
    now += 1;
    assertNull(g.check("erin", "s"));
  }

  @Test
  void tablesAreBounded() {
    for (int i = 0; i < GuessingGuard.MAX_TRACKED + 1000; i++) {
      guard.failed("u" + i, "s" + i);
    }
    assertEquals(GuessingGuard.MAX_TRACKED + 1000, guard.failures());
  }
}
