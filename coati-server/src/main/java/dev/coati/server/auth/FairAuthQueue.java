package dev.coati.server.auth;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The auth workers' queue (issue #13 finding 6): bounded, and fair between sources. Each source has
 * its own queue and the workers take one task per source in turn (round robin), so a guesser with
 * many parallel SAs delays another user's login by at most one check per worker, not by his whole
 * backlog. Tasks submitted as {@link Keyed} carry their source and a refusal to run when the queue
 * is full (the source's share or the total); others go under one shared key.
 */
public final class FairAuthQueue extends AbstractExecutorService {
  private static final System.Logger LOG = System.getLogger("dev.coati.server");

  /** A task for {@code source}; {@code rejected} runs instead when the queue is full. */
  public record Keyed(String source, Runnable task, Runnable rejected) implements Runnable {
    @Override
    public void run() {
      task.run();
    }
  }

  private final int perSource;
  private final int total;
  private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();
  private final ArrayDeque<String> turn = new ArrayDeque<>();
  private final List<Thread> threads;
  private int size;
  private long rejected;
  private boolean shutdown;

  /**
   * {@code workers} threads; at most {@code perSource} waiting per source, {@code total} in all.
   */
  public FairAuthQueue(int workers, int perSource, int total) {
    this.perSource = perSource;
    this.total = total;
    this.threads =
        IntStream.range(0, workers)
            .mapToObj(i -> Thread.ofPlatform().daemon().name("coati-auth-" + i).start(this::work))
            .toList();
  }

  @Override
  public void execute(Runnable r) {
    String source = r instanceof Keyed k ? k.source() : "";
    synchronized (this) {
      ArrayDeque<Runnable> q = queues.get(source);
      boolean full = size >= total || (q != null && q.size() >= perSource);
      if (!shutdown && !full) {
        if (q == null) {
          q = new ArrayDeque<>();
          queues.put(source, q);
          turn.addLast(source);
        }
        q.addLast(r);
        size++;
        notify();
        return;
      }
      rejected++;
    }
    if (r instanceof Keyed k) {
      k.rejected().run();
    } else {
      LOG.log(Level.WARNING, "auth queue full or stopped: a task without a source was dropped");
    }
  }

  /** Tasks refused because the queue (or a source's share) was full. */
  public synchronized long rejected() {
    return rejected;
  }

  private synchronized Runnable next() throws InterruptedException {
    while (size == 0 && !shutdown) {
      wait();
    }
    if (size == 0) {
      return null;
    }
    String source = turn.removeFirst();
    ArrayDeque<Runnable> q = queues.get(source);
    Runnable r = q.removeFirst();
    size--;
    if (q.isEmpty()) {
      queues.remove(source);
    } else {
      turn.addLast(source); // its next task waits for every other source's turn
    }
    return r;
  }

  private void work() {
    while (true) {
      Runnable r;
      try {
        r = next();
      } catch (InterruptedException e) {
        return;
      }
      if (r == null) {
        return;
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "auth task failed: {0}", e.toString());
      }
    }
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }

  @Override
  public List<Runnable> shutdownNow() {
    synchronized (this) {
      List<Runnable> left = queues.values().stream().flatMap(ArrayDeque::stream).toList();
      queues.clear();
      turn.clear();
      size = 0;
      shutdown();
      threads.forEach(Thread::interrupt);
      return left;
    }
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return isShutdown() && threads.stream().noneMatch(Thread::isAlive);
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    for (Thread t : threads) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return isTerminated();
      }
      t.join(Math.max(1, left / 1_000_000));
    }
    return isTerminated();
  }
}
