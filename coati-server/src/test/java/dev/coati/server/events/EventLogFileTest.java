package dev.coati.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogFileTest {
  @TempDir Path dir;

  /** A disk that takes {@code room} more bytes, then fails with ENOSPC's message. */
  static final class FillingDisk implements EventLogFile.Target {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int room;
    boolean truncateFails;

    @Override
    public long size() {
      return bytes.size();
    }

    @Override
    public int write(ByteBuffer b) throws IOException {
      if (room == 0) {
        throw new IOException("No space left on device");
      }
      int n = Math.min(room, Math.min(b.remaining(), 7)); // short writes, like a real file system
      byte[] chunk = new byte[n];
      b.get(chunk);
      bytes.write(chunk, 0, n);
      room -= n;
      return n;
    }

    @Override
    public void truncate(long size) throws IOException {
      if (truncateFails) {
        throw new IOException("Input/output error");
      }
      byte[] keep = java.util.Arrays.copyOf(bytes.toByteArray(), (int) size);
      bytes.reset();
      bytes.write(keep, 0, keep.length);
    }

    List<String> lines() {
      return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void aWriteThatFailsMidLine_leavesNoPartOfIt() throws Exception {
    FillingDisk disk = new FillingDisk();
    EventLogFile log = new EventLogFile(() -> disk);
    disk.room = 1000;
    log.append("{\"event\":\"up\",\"user\":\"alice\"}");
    disk.room = 10; // the disk fills inside the next line
    assertThrows(IOException.class, () -> log.append("{\"event\":\"up\",\"user\":\"bob\"}"));
    disk.room = 1000; // space freed
    log.append("{\"event\":\"down\",\"user\":\"alice\"}");
    assertEquals(
        List.of("{\"event\":\"up\",\"user\":\"alice\"}", "{\"event\":\"down\",\"user\":\"alice\"}"),
        disk.lines());
  }

  @Test
  void aPartialLineThatCannotBeCutBack_isNeverGluedToTheNext() throws Exception {
    FillingDisk disk = new FillingDisk();
    disk.truncateFails = true;
    EventLogFile log = new EventLogFile(() -> disk);
    disk.room = 10;
    assertThrows(IOException.class, () -> log.append("{\"event\":\"up\",\"user\":\"bob\"}"));
    disk.room = 1000;
    log.append("{\"event\":\"down\",\"user\":\"alice\"}");
    log.append("{\"event\":\"up\",\"user\":\"carol\"}");
    assertEquals(
        List.of(
            "{\"event\":\"",
            "{\"event\":\"down\",\"user\":\"alice\"}",
            "{\"event\":\"up\",\"user\":\"carol\"}"),
        disk.lines());
  }

  @Test
  void theRealFile_isCreated0640AndAppended() throws Exception {
    Path f = dir.resolve("events.json");
    EventLogFile log = EventLogFile.at(f);
    log.append("{\"a\":1}");
    log.append("{\"b\":2}");
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), Files.readAllLines(f));
    assertEquals(
        "rw-r-----",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }
}
