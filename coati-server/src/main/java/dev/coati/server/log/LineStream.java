package dev.coati.server.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * The bytes of a PrintStream cut into lines, each logged as one event: how the {@code
 * out.println(...)} event lines of the server (SA, session, start-up) reach the one log. Lines that
 * start with "coati: warning" are WARN, the rest INFO. Callers are serialised by the PrintStream.
 */
final class LineStream extends OutputStream {
  private static final int MAX_LINE = 16 * 1024;
  private final Logger logger;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  LineStream(Logger logger) {
    this.logger = logger;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else if (line.size() < MAX_LINE) {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void emit() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.startsWith("coati: warning")) {
      logger.warn(s);
    } else {
      logger.info(s);
    }
  }
}
