package dev.coati.server.cli;

import dev.coati.auth.LocalUsers;
import dev.coati.auth.UsersFileException;
import dev.coati.server.auth.UsersFileReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The users file on disk (format: {@link LocalUsers}). Reads warn when group or others may read it
 * (it holds NT hashes, which are password-equivalent for MS-CHAPv2). Edits hold {@code FILE.lock}
 * (an fcntl lock, so a crashed editor leaves no stale lock; plus an in-process semaphore, since
 * fcntl locks do not exclude threads of one JVM), re-read the file under the lock, and replace it
 * atomically (temporary file of mode 0600 in the same directory, fsync, rename): two concurrent
 * edits cannot lose one, and a reader never sees half a file.
 */
public final class UsersFile {
  /** Owner read/write only. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTR =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final UsersFileReader reader;

  public UsersFile(Path file, PrintStream warnings) {
    this.file = file.toAbsolutePath().normalize();
    this.reader = new UsersFileReader(file, warnings);
  }

  /** An edit of the file's lines; may refuse with a {@link CommandException}. */
  @FunctionalInterface
  public interface Edit {
    List<String> apply(List<String> lines) throws CommandException;
  }

  public Path path() {
    return file;
  }

  /** The lines (without line ends); none if the file does not exist yet. */
  public List<String> readLines() throws IOException {
    return reader.readLines();
  }

  /** Parses the file for the gateway: every bad line in the exception, warnings printed. */
  public LocalUsers load() throws IOException, UsersFileException {
    return reader.load();
  }

  /**
   * Applies {@code edit} under the lock and writes the result atomically with mode 0600; waits up
   * to {@code timeout} for another editor.
   */
  public void edit(Edit edit, Duration timeout) throws IOException, CommandException {
    Semaphore local = IN_PROCESS.computeIfAbsent(file, f -> new Semaphore(1));
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
    try (FileChannel lockChannel = openLockFile();
        FileLock lock = acquire(lockChannel, deadline)) {
      List<String> updated = edit.apply(readLines());
      write(updated);
    } finally {
      local.release();
    }
  }

  /** Holds the file's lock until closed (for tests and tools that edit by other means). */
  public AutoCloseable hold() throws IOException, CommandException {
    Semaphore local = IN_PROCESS.computeIfAbsent(file, f -> new Semaphore(1));
    if (!local.tryAcquire()) {
      throw busy();
    }
    FileChannel ch;
    FileLock lock;
    try {
      ch = openLockFile();
      lock = acquire(ch, System.nanoTime());
    } catch (IOException | CommandException e) {
      local.release();
      throw e;
    }
    return () -> {
      lock.release();
      ch.close();
      local.release();
    };
  }

  private Path lockPath() {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  private FileChannel openLockFile() throws IOException {
    Path lockFile = lockPath();
    try {
      Files.createFile(lockFile, OWNER_ONLY_ATTR);
    } catch (FileAlreadyExistsException e) {
      // an earlier editor's lock file: the fcntl lock on it is what counts
    }
    return FileChannel.open(lockFile, StandardOpenOption.WRITE);
  }

  private FileLock acquire(FileChannel ch, long deadline) throws IOException, CommandException {
    while (true) {
      FileLock l = ch.tryLock();
      if (l != null) {
        return l;
      }
      if (System.nanoTime() - deadline >= 0) {
        ch.close();
        throw busy();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ch.close();
        throw busy();
      }
    }
  }

  private CommandException busy() {
    return new CommandException(
        1,
        file
            + " is being edited by another coati user command (it holds "
            + lockPath().getFileName()
            + "); try again when it has finished");
  }

  /**
   * Gives the new file the old one's owner and group, so root editing the gateway's file does not
   * lock the gateway's own user out; silently skipped when not permitted.
   */
  private void keepOwner(Path tmp) {
    try {
      PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      if (!old.owner().equals(view.getOwner())) {
        view.setOwner(old.owner());
      }
      if (!old.group().equals(view.readAttributes().group())) {
        view.setGroup(old.group());
      }
    } catch (IOException | UnsupportedOperationException e) {
      // a new file, or not permitted (not root): the editor's own user owns the result
    }
  }

  private void write(List<String> lines) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", OWNER_ONLY_ATTR);
    try {
      StringBuilder sb = new StringBuilder();
      for (String l : lines) {
        sb.append(l).append('\n');
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(StandardCharsets.UTF_8.encode(sb.toString()));
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      keepOwner(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename is still atomic
    }
  }
}
