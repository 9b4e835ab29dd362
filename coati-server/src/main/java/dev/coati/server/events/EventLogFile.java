package dev.coati.server.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The JSON event log, one event a line, each line written whole or not at all: a write that fails
 * part-way (a full disk) is cut back to where the line began; if even that fails, the next line
 * starts with a newline so two events are never glued together. One writer (the events thread).
 */
final class EventLogFile {
  /** Where the bytes go; a {@link FileChannel} in append mode outside tests. */
  interface Target {
    long size() throws IOException;

    /** Writes some of {@code b} (at least one byte) or throws. */
    int write(ByteBuffer b) throws IOException;

    void truncate(long size) throws IOException;
  }

  /** Opens {@code path} afresh for every line (log rotation moves the file away). */
  interface Opener {
    Target open() throws IOException;
  }

  private final Opener opener;
  private boolean torn; // a partial line could not be removed: start the next one on a new line

  EventLogFile(Opener opener) {
    this.opener = opener;
  }

  /** The file at {@code path}, created mode 0640 when missing. */
  static EventLogFile at(Path path) {
    return new EventLogFile(() -> channel(path));
  }

  /** Appends {@code line} and a newline; throws (after cleaning up) when it could not. */
  void append(String line) throws IOException {
    byte[] text = ((torn ? "\n" : "") + line + "\n").getBytes(StandardCharsets.UTF_8);
    Target t = opener.open();
    try {
      long start = t.size();
      ByteBuffer b = ByteBuffer.wrap(text);
      try {
        for (int i = 0; b.hasRemaining() && i < 1000; i++) {
          t.write(b);
        }
        if (b.hasRemaining()) {
          throw new IOException("the event log accepts no more bytes");
        }
        torn = false;
      } catch (IOException e) {
        if (b.position() > 0) {
          cutBack(t, start);
        }
        throw e;
      }
    } finally {
      if (t instanceof AutoCloseable c) {
        closeQuietly(c);
      }
    }
  }

  private void cutBack(Target t, long start) {
    try {
      t.truncate(start);
    } catch (IOException e) {
      torn = true;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing more to lose: every byte is either written or cut back
    }
  }

  private static Target channel(Path path) throws IOException {
    if (!Files.exists(path)) {
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new ChannelTarget(ch);
  }

  private record ChannelTarget(FileChannel ch) implements Target, AutoCloseable {
    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public int write(ByteBuffer b) throws IOException {
      return ch.write(b);
    }

    @Override
    public void truncate(long size) throws IOException {
      ch.truncate(size);
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
