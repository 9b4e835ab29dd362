package dev.coati.server.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Writes the files {@code coati pki} produces: all checked before any is written, so a refused run
 * leaves nothing half done; existing files only replaced with {@code --force}; secrets (private
 * keys, PKCS#12, passwords) created mode 0600 from the start, never briefly readable.
 */
final class OutputFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private final boolean force;

  OutputFiles(boolean force) {
    this.force = force;
  }

  /** Throws unless every file in {@code files} may be written. */
  void checkWritable(List<Path> files) throws FileAlreadyExistsException {
    if (force) {
      return;
    }
    for (Path f : files) {
      if (Files.exists(f)) {
        throw new FileAlreadyExistsException(f + " exists; use --force to replace it");
      }
    }
  }

  /** Writes {@code content} to a new {@code file}, mode 0600 if {@code secret}, else 0644. */
  void write(Path file, byte[] content, boolean secret) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Set<PosixFilePermission> mode = secret ? OWNER_ONLY : PUBLIC;
    if (force) {
      Files.deleteIfExists(file);
    }
    Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
    Files.setPosixFilePermissions(file, mode); // the umask may have cut 0644 down
    Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
