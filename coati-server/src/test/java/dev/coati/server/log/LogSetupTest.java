package dev.coati.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.LogSafe;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  private static final String ISO_UTC_MS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @AfterEach
  void back() {
    LogSetup.start(LogSetup.Format.TEXT, false, System.err);
  }

  private static String[] lines(ByteArrayOutputStream out) {
    LogSetup.stop(5000);
    return out.toString(StandardCharsets.UTF_8).split("\n");
  }

  @Test
  void systemLoggerAndEventLinesShareOneTimestampedOneLineFormat() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogSetup.start(LogSetup.Format.TEXT, false, out);
    System.getLogger("dev.coati.ike.IkeEngine")
        .log(Level.INFO, "{0} deleted: {1}", "ike[3]", "phase 1 failed");
    PrintStream events = LogSetup.events();
    events.println("ike[3] IKE SA established peer=192.0.2.7:500");
    events.println("coati: warning: something");
    System.getLogger("x").log(Level.WARNING, "boom", new IllegalStateException("bad\nthing"));
    System.getLogger("x").log(Level.DEBUG, "not shown");
    String[] l = lines(out);
    assertEquals(4, l.length, String.join("\n", l));
    assertTrue(l[0].matches(ISO_UTC_MS + " INFO  ike\\[3\\] deleted: phase 1 failed"), l[0]);
    assertTrue(
        l[1].matches(ISO_UTC_MS + " INFO  ike\\[3\\] IKE SA established peer=192.0.2.7:500"), l[1]);
    assertTrue(l[2].matches(ISO_UTC_MS + " WARN  coati: warning: something"), l[2]);
    assertTrue(
        l[3].matches(
            ISO_UTC_MS
                + " WARN  boom java.lang.IllegalStateException: bad [|] thing( [|] at [^|]+){3}"),
        l[3]);
  }

  @Test
  void aNewlineThatSlippedPastLogSafeStillCannotStartALine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogSetup.start(LogSetup.Format.TEXT, false, out);
    System.getLogger("x").log(Level.INFO, "user {0}", "bob\r\nINFO forged");
    System.getLogger("x").log(Level.INFO, "user {0}", LogSafe.value("bob\nINFO forged"));
    String[] l = lines(out);
    assertEquals(2, l.length);
    assertTrue(l[0].endsWith(" INFO  user bob INFO forged"), l[0]);
    assertTrue(l[1].endsWith(" INFO  user \"bob\\nINFO forged\""), l[1]);
  }

  @Test
  void underJournaldNoTimestampOfOurOwn() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogSetup.start(LogSetup.Format.TEXT, true, out);
    LogSetup.events().println("ike[1] hello");
    LogSetup.events().println("coati: warning: x");
    String[] l = lines(out);
    assertEquals("<6>INFO  ike[1] hello", l[0]);
    assertEquals("<4>WARN  coati: warning: x", l[1]);
  }

  @Test
  void jsonOneObjectPerLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogSetup.start(LogSetup.Format.JSON, false, out);
    LogSetup.events().println("ike[1] user=\"a\\\"b\" hello");
    String[] l = lines(out);
    assertEquals(1, l.length);
    assertTrue(l[0].startsWith("{") && l[0].endsWith("}"), l[0]);
    assertTrue(l[0].contains("\"level\":\"INFO\""), l[0]);
    assertTrue(l[0].contains("\"loggerName\":\"coati\""), l[0]);
    assertTrue(l[0].contains("\"timestamp\":"), l[0]);
    assertTrue(
        l[0].contains("\"formattedMessage\":\"ike[1] user=\\\"a\\\\\\\"b\\\" hello\""), l[0]);
  }

  @Test
  void aStalledReaderNeverBlocksTheCallerAndTheDropsAreCountedAndReported() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stalled =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            synchronized (written) {
              written.write(b, off, len);
            }
          }
        };
    LogSetup.start(LogSetup.Format.TEXT, false, stalled);
    long before = LogSetup.dropped();
    System.Logger log = System.getLogger("dev.coati.ike.ExchangeManager");
    int n = 3 * AsyncLineAppender.CAPACITY;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      log.log(Level.INFO, "line {0}", i);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    long dropped = LogSetup.dropped() - before;
    // a blocking log would wait for the reader: 30 s here
    assertTrue(millis < 10_000, n + " lines took " + millis + " ms with a stalled reader");
    assertTrue(
        dropped >= n - AsyncLineAppender.CAPACITY - 256 && dropped < n,
        "dropped " + dropped + " of " + n);
    // the summary line comes with the next write after the reader drains
    Thread.sleep(AsyncLineAppender.SUMMARY_MILLIS + 600);
    release.countDown();
    Thread.sleep(1200);
    LogSetup.stop(5000);
    String text;
    synchronized (written) {
      text = written.toString(StandardCharsets.UTF_8);
    }
    assertTrue(text.contains(" log lines dropped (the log reader is too slow; total="), text);
  }

  @Test
  void packetLoggersAreRateLimitedAndSummarised() {
    long[] now = {1_000_000};
    PacketLineLimiter limiter = new PacketLineLimiter(() -> now[0]);
    int admitted = 0;
    for (int i = 0; i < 1000; i++) {
      admitted += limiter.admit("dev.coati.ike.packet") ? 1 : 0;
      assertTrue(limiter.admit("dev.coati.ike.IkeEngine"));
    }
    assertEquals(PacketLineLimiter.PER_WINDOW, admitted);
    assertEquals(
        java.util.List.of(
            "coati: 990 more lines about unauthenticated packets suppressed"
                + " (logger=dev.coati.ike.packet, at most 10 per 10 s)"),
        limiter.summaries());
    assertEquals(java.util.List.of(), limiter.summaries());
    now[0] += PacketLineLimiter.WINDOW_MILLIS;
    assertTrue(limiter.admit("dev.coati.ike.packet"));
  }
}
