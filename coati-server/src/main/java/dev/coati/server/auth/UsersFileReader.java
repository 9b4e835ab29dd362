package dev.coati.server.auth;

import dev.coati.auth.LocalUsers;
import dev.coati.auth.UsersFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the users file (format: {@link LocalUsers}) for the gateway and for {@code coati user}:
 * warns when group or others may read it (it holds NT hashes, which are password-equivalent for
 * MS-CHAPv2). Editing (lock, atomic replace) is {@code server.cli.UsersFile}'s.
 */
public final class UsersFileReader {
  private final Path file;
  private final PrintStream warnings;

  public UsersFileReader(Path file, PrintStream warnings) {
    this.file = file.toAbsolutePath().normalize();
    this.warnings = warnings;
  }

  /** The lines (without line ends); none if the file does not exist yet. */
  public List<String> readLines() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new ArrayList<>();
    }
    warnIfOthersCanRead();
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }

  /** Parses the file for the gateway: every bad line in the exception, warnings printed. */
  public LocalUsers load() throws IOException, UsersFileException {
    LocalUsers users = LocalUsers.parse(file.toString(), String.join("\n", readLines()));
    users.warnings().forEach(w -> warnings.println("coati: warning: " + w));
    return users;
  }

  private void warnIfOthersCanRead() throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.stream()
        .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      warnings.println(
          "coati: warning: "
              + file
              + " is readable by group or others, but holds password hashes and NT hashes"
              + " (password-equivalent for MS-CHAPv2); run: chmod 600 "
              + file);
    }
  }
}
