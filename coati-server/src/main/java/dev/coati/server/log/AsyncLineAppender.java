package dev.coati.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one appender: callers (the socket thread among them) only offer the event to a bounded queue
 * and return; one writer thread encodes and writes whole lines. When the reader of the output
 * stalls (a stopped journald, a full pipe) the queue fills and further lines are dropped and
 * counted, never waited for. Every {@link #SUMMARY_MILLIS} the writer adds one line saying how many
 * were dropped, and the per-packet summaries of {@link PacketLineLimiter}.
 */
final class AsyncLineAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  static final int CAPACITY = 4096;
  static final long SUMMARY_MILLIS = 10_000;
  private static final int BATCH = 256;

  private final BlockingQueue<ILoggingEvent> queue;
  private final AtomicLong dropped;
  private final PacketLineLimiter limiter;
  private final OutputStream target;
  private final Encoder<ILoggingEvent> encoder;
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(16 * 1024);
  private volatile boolean stopping;
  private Thread writer;
  private long reportedDrops;
  private long lastSummary;

  AsyncLineAppender(
      OutputStream target,
      Encoder<ILoggingEvent> encoder,
      int capacity,
      AtomicLong dropped,
      PacketLineLimiter limiter) {
    this.target = target;
    this.encoder = encoder;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.dropped = dropped;
    this.limiter = limiter;
  }

  @Override
  public void start() {
    encoder.start();
    lastSummary = System.currentTimeMillis();
    reportedDrops = dropped.get();
    writer = new Thread(this::drain, "coati-log");
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  protected void append(ILoggingEvent e) {
    if (stopping || !limiter.admit(e.getLoggerName())) {
      return;
    }
    e.prepareForDeferredProcessing();
    if (!queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  /** Waits up to {@code millis} for the queued lines to be written, then stops the writer. */
  void drainAndStop(long millis) {
    long end = System.currentTimeMillis() + millis;
    while (!queue.isEmpty() && System.currentTimeMillis() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stopping = true;
    super.stop();
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(Math.max(1, end - System.currentTimeMillis()));
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void stop() {
    drainAndStop(2000);
  }

  private void drain() {
    List<ILoggingEvent> events = new ArrayList<>(BATCH);
    while (!stopping) {
      try {
        ILoggingEvent first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first != null) {
          events.add(first);
          queue.drainTo(events, BATCH - 1);
        }
        summaries(events, false);
      } catch (InterruptedException x) {
        // stop() interrupts a waiting writer: the final drain follows
      }
      write(events);
      events.clear();
    }
    queue.drainTo(events);
    summaries(events, true);
    write(events);
  }

  private void summaries(List<ILoggingEvent> events, boolean force) {
    long now = System.currentTimeMillis();
    if (!force && now - lastSummary < SUMMARY_MILLIS) {
      return;
    }
    lastSummary = now;
    for (String line : limiter.summaries()) {
      events.add(line(now, Level.INFO, "coati.log", line));
    }
    long total = dropped.get();
    if (total > reportedDrops) {
      events.add(
          line(
              now,
              Level.WARN,
              "coati.log",
              "coati: "
                  + (total - reportedDrops)
                  + " log lines dropped (the log reader is too slow; total="
                  + total
                  + ")"));
      reportedDrops = total;
    }
  }

  private static ILoggingEvent line(long now, Level level, String logger, String text) {
    LoggingEvent e = new LoggingEvent();
    e.setTimeStamp(now);
    e.setLevel(level);
    e.setLoggerName(logger);
    e.setMessage(text);
    e.setThreadName("coati-log");
    return e;
  }

  private void write(List<ILoggingEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    batch.reset();
    for (ILoggingEvent e : events) {
      try {
        batch.writeBytes(encoder.encode(e));
      } catch (RuntimeException x) {
        addError("cannot encode a log line", x);
      }
    }
    try {
      target.write(batch.toByteArray());
      target.flush();
    } catch (IOException x) {
      dropped.addAndGet(events.size());
    }
  }
}
