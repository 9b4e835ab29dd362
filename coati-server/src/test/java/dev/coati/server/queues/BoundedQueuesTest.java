package dev.coati.server.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedQueuesTest {
  @Test
  void aFullQueueRefusesAndCounts_aStoppedOneRefusesWithoutCounting() throws Exception {
    String q = "sc-test-" + System.nanoTime();
    ThreadPoolExecutor e = BoundedQueues.singleThread(q, "sc-test", 2);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    e.execute(
        () -> {
          running.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
        });
    assertTrue(running.await(30, TimeUnit.SECONDS));
    e.execute(() -> {});
    e.execute(() -> {});
    assertThrows(RejectedExecutionException.class, () -> e.execute(() -> {}));
    assertThrows(RejectedExecutionException.class, () -> e.execute(() -> {}));
    assertEquals(2L, BoundedQueues.drops().get(q));
    release.countDown();
    e.shutdown();
    assertTrue(e.awaitTermination(30, TimeUnit.SECONDS));
    assertThrows(RejectedExecutionException.class, () -> e.execute(() -> {}));
    assertEquals(2L, BoundedQueues.drops().get(q), "a refusal after shutdown is not an overload");
    assertEquals(0L, BoundedQueues.drops().get(BoundedQueues.EVENTS), "every queue is exported");
  }
}
