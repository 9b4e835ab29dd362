package dev.coati.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The auth queue is fair between sources and bounded (issue #13 finding 6). */
class FairAuthQueueTest {
  @Test
  void aLegitimateLoginWaitsForOneGuessNotForTheBacklog() throws Exception {
    FairAuthQueue q = new FairAuthQueue(1, 100, 1000);
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      List<String> order = new CopyOnWriteArrayList<>();
      q.execute(
          new FairAuthQueue.Keyed(
              "198.51.100.9",
              () -> {
                started.countDown();
                await(release);
              },
              () -> {}));
      assertTrue(started.await(5, TimeUnit.SECONDS));
      for (int i = 0; i < 50; i++) {
        int n = i;
        q.execute(new FairAuthQueue.Keyed("198.51.100.9", () -> order.add("guess" + n), () -> {}));
      }
      CountDownLatch legit = new CountDownLatch(1);
      q.execute(
          new FairAuthQueue.Keyed(
              "192.0.2.20",
              () -> {
                order.add("alice");
                legit.countDown();
              },
              () -> {}));
      release.countDown();
      assertTrue(legit.await(5, TimeUnit.SECONDS));
      assertTrue(order.indexOf("alice") <= 1, "alice ran after at most one guess: " + order);
    } finally {
      q.shutdownNow();
    }
  }

  @Test
  void boundedPerSourceAndInAll() throws Exception {
    FairAuthQueue q = new FairAuthQueue(1, 3, 5);
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      q.execute(
          new FairAuthQueue.Keyed(
              "blocker",
              () -> {
                started.countDown();
                await(release);
              },
              () -> {}));
      assertTrue(started.await(5, TimeUnit.SECONDS));
      AtomicInteger rejected = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        q.execute(new FairAuthQueue.Keyed("a", ran::incrementAndGet, rejected::incrementAndGet));
      }
      assertEquals(7, rejected.get(), "3 waiting for source a at most");
      for (int i = 0; i < 5; i++) {
        q.execute(
            new FairAuthQueue.Keyed("s" + i, ran::incrementAndGet, rejected::incrementAndGet));
      }
      assertEquals(10, rejected.get(), "5 waiting in all");
      assertEquals(10, q.rejected());
      release.countDown();
      for (int i = 0; i < 100 && ran.get() < 5; i++) {
        Thread.sleep(20);
      }
      assertEquals(5, ran.get());
    } finally {
      q.shutdownNow();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
