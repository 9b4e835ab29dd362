package dev.coati.esp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  static void accept(ReplayWindow w, long seq) {
    assertTrue(w.check(seq), "should accept " + seq);
    w.commit(seq);
  }

  @Test
  void inOrder_reordered_duplicates() {
    ReplayWindow w = new ReplayWindow();
    assertFalse(w.check(0), "sequence 0 is never valid");
    for (long s = 1; s <= 100; s++) {
      accept(w, s);
    }
    assertFalse(w.check(50), "duplicate");
    accept(w, 105);
    accept(w, 103);
    assertTrue(w.check(104) && w.check(102) && w.check(101));
    assertFalse(w.check(103));
    assertTrue(w.size() >= 1024);
  }

  @Test
  void tooOld_andBigJumps() {
    ReplayWindow w = new ReplayWindow(1024);
    accept(w, 1);
    accept(w, 5000);
    assertFalse(w.check(5000 - w.size()), "just outside the window");
    assertTrue(w.check(5000 - w.size() + 1), "the oldest number still inside");
    accept(w, 4999);
    accept(w, 1_000_000);
    assertFalse(w.check(4999));
    assertTrue(w.check(999_999));
  }

  @Test
  void check_hasNoSideEffect_untilCommit() {
    ReplayWindow w = new ReplayWindow();
    assertTrue(w.check(7));
    assertTrue(w.check(7), "a forged packet that failed its ICV must not burn the number");
    w.commit(7);
    assertFalse(w.check(7));
  }

  @Test
  void everyWordBoundary_isTracked() {
    ReplayWindow w = new ReplayWindow();
    for (long s = 1; s <= 5000; s += 2) {
      accept(w, s);
    }
    for (long s = 5000 - w.size() + 2; s < 5000; s += 2) {
      assertTrue(w.check(s), "even " + s + " never seen");
      assertFalse(w.check(s - 1), "odd " + (s - 1) + " seen");
    }
  }

  /** After a restart: up to the saved highest is a replay, above it is new, reordering works. */
  @org.junit.jupiter.api.Test
  void resumeAfter_refusesUpToTheFloor_acceptsAboveIt() {
    for (long floor : new long[] {1, 62, 63, 64, 100, 5000}) {
      ReplayWindow w = new ReplayWindow();
      w.resumeAfter(floor);
      for (long s = Math.max(1, floor - 2000); s <= floor; s++) {
        org.junit.jupiter.api.Assertions.assertFalse(w.check(s), floor + ": " + s);
      }
      org.junit.jupiter.api.Assertions.assertTrue(w.check(floor + 1));
      w.commit(floor + 5);
      for (long s = floor + 1; s < floor + 5; s++) {
        org.junit.jupiter.api.Assertions.assertTrue(
            w.check(s), "reordered " + s + " after " + floor);
      }
      org.junit.jupiter.api.Assertions.assertFalse(w.check(floor + 5));
      org.junit.jupiter.api.Assertions.assertFalse(w.check(floor));
    }
  }
}
