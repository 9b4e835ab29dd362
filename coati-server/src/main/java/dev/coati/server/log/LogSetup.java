package dev.coati.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * The one log, configured in code (no XML): every {@code System.Logger} of coati (bridged to SLF4J
 * by slf4j-jdk-platform-logging) and every line of the {@link #events() event stream} goes through
 * one {@link AsyncLineAppender} that never blocks its caller, as one line per event in one format:
 * {@code 2026-12-07T16:45:35.123Z INFO ike[3] ...} (ISO-8601 UTC, milliseconds), without our own
 * timestamp when journald reads the output (JOURNAL_STREAM set), or one JSON object per line.
 */
public final class LogSetup {
  /** {@code --log-format} and {@code log: { format: }}. */
  public enum Format {
    TEXT,
    JSON;

    /** Parses "text" or "json"; null for anything else. */
    public static Format parse(String s) {
      return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default -> null;
      };
    }
  }

  /**
   * Lines that may wait for the writer (system property {@code coati.log.queue}, default {@value
   * AsyncLineAppender#CAPACITY}); more are dropped and counted.
   */
  public static final String QUEUE_PROPERTY = "coati.log.queue";

  /** Logger of the gateway's own event lines (SA, session and start-up lines). */
  public static final String EVENTS = "coati";

  private static final AtomicLong DROPPED = new AtomicLong();
  private static final String TIME = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} ";
  // under journald: the sd-daemon(3) priority prefix instead of a timestamp (SyslogLevelPrefix)
  private static final String PRIORITY =
      "%replace(%replace(%replace(%replace(%level){'^ERROR$', '<3>'}){'^WARN$', '<4>'})"
          + "{'^INFO$', '<6>'}){'^(DEBUG|TRACE)$', '<7>'}";
  // one line: line breaks in a message become spaces (peer strings are escaped by LogSafe before
  // that), an exception is its first three lines joined by " | "
  private static final String BODY =
      "%-5level %replace(%msg){'[\\r\\n]+', ' '}"
          + "%replace(%replace( %ex{3}){'\\s*[\\r\\n]+\\s*', ' | '}){'^ $| \\| $', ''}%nopex%n";
  private static AsyncLineAppender current;
  private static OutputStream target;

  private LogSetup() {}

  /** Lines dropped because the output could not keep up (metric coati_log_dropped_total). */
  public static long dropped() {
    return DROPPED.get();
  }

  /**
   * (Re)configures the log to write to {@code target} in {@code format}; {@code journald}: leave
   * the timestamp to the journal. {@code System.out} is written through its own file descriptor, so
   * a stalled reader blocks only the log writer thread, never a caller holding System.out's lock.
   */
  public static synchronized void start(Format format, boolean journald, OutputStream target) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogSetup.target = target;
    install(ctx, format, journald, target == System.out ? stdout() : target);
  }

  /** Where {@link #start} last sent the log (to switch the format, e.g. from the config file). */
  public static synchronized OutputStream target() {
    return target == null ? System.out : target;
  }

  /** Whether journald reads our standard output (systemd sets JOURNAL_STREAM). */
  public static boolean underJournald() {
    String js = System.getenv("JOURNAL_STREAM");
    return js != null && !js.isBlank();
  }

  /** Writes what is queued (at most {@code millis}) and stops; later lines are discarded. */
  public static synchronized void stop(long millis) {
    if (current != null) {
      current.drainAndStop(millis);
      current = null;
    }
  }

  /** A stream whose every line becomes one INFO event of logger {@value #EVENTS}. */
  public static PrintStream events() {
    return new PrintStream(
        new LineStream(LoggerFactory.getLogger(EVENTS)), true, StandardCharsets.UTF_8);
  }

  static synchronized void install(
      LoggerContext ctx, Format format, boolean journald, OutputStream target) {
    if (current != null) {
      current.drainAndStop(1000);
    }
    ctx.reset();
    AsyncLineAppender a =
        new AsyncLineAppender(
            target,
            encoder(ctx, format, journald),
            Integer.getInteger(QUEUE_PROPERTY, AsyncLineAppender.CAPACITY),
            DROPPED,
            new PacketLineLimiter(System::currentTimeMillis));
    a.setContext(ctx);
    a.setName("coati");
    a.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(a);
    current = a;
  }

  static Encoder<ILoggingEvent> encoder(LoggerContext ctx, Format format, boolean journald) {
    if (format == Format.JSON) {
      JsonEncoder j = new JsonEncoder();
      j.setContext(ctx);
      j.setWithSequenceNumber(false);
      j.setWithNanoseconds(false);
      j.setWithContext(false);
      j.setWithThreadName(false);
      j.setWithMarkers(false);
      j.setWithMDC(false);
      j.setWithMessage(false);
      j.setWithArguments(false);
      j.setWithFormattedMessage(true);
      return j;
    }
    PatternLayoutEncoder p = new PatternLayoutEncoder();
    p.setContext(ctx);
    p.setCharset(StandardCharsets.UTF_8);
    p.setPattern((journald ? PRIORITY : TIME) + BODY);
    return p;
  }

  private static OutputStream stdout() {
    return new FileOutputStream(FileDescriptor.out);
  }
}
