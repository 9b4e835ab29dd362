package dev.coati.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL cluster (Debian package {@code postgresql}): {@code initdb} in a temporary
 * directory, the server run as the unprivileged user {@code postgres} in the foreground (its PID is
 * the process's; stopped by PID), reachable only through a unix socket in that directory (no TCP),
 * trust authentication for local users, a role and database {@code radius}. Removed with its
 * directory on close.
 */
final class PostgresCluster implements AutoCloseable {
  static final String USER = "postgres";
  final Path dir;
  private final Process process;

  static Path bin() {
    try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("postgres")))
          .max(Path::compareTo)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  static boolean available() {
    return bin() != null && Files.isExecutable(Path.of("/usr/bin/psql"));
  }

  /** In a fresh directory under /tmp named {@code prefix}*, database radius owned by radius. */
  PostgresCluster(String prefix) throws IOException, InterruptedException {
    dir = Files.createTempDirectory(prefix);
    run("chown", USER, dir.toString());
    Path bin = bin();
    Path data = dir.resolve("data");
    run(
        asUser(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8"));
    process =
        new ProcessBuilder(
                asUser(
                    bin.resolve("postgres").toString(),
                    "-D",
                    data.toString(),
                    "-k",
                    dir.toString(),
                    "-c",
                    "listen_addresses=",
                    "-c",
                    "fsync=off"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("postgres.log").toFile())
            .start();
    Path socket = dir.resolve(".s.PGSQL.5432");
    for (int i = 0; i < 150 && !Files.exists(socket); i++) {
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    if (!Files.exists(socket)) {
      String log = Files.readString(dir.resolve("postgres.log"));
      close();
      throw new IOException("postgres did not start: " + log);
    }
    try {
      psql("postgres", "postgres", "CREATE ROLE radius LOGIN");
      psql("postgres", "postgres", "CREATE DATABASE radius OWNER radius");
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The host string of libpq (the socket directory). */
  String host() {
    return dir.toString();
  }

  /** Runs {@code sql} as role {@code user} in database {@code db}: rows, '|' separated. */
  String psql(String user, String db, String sql) throws IOException, InterruptedException {
    return run(
        "psql", "-h", host(), "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql);
  }

  /** Runs the SQL file {@code f} as role radius. */
  void load(Path f) throws IOException, InterruptedException {
    run(
        "psql",
        "-h",
        host(),
        "-U",
        "radius",
        "-d",
        "radius",
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
        "-f",
        f.toString());
  }

  /** The rows of {@code sql} as role radius, each a list of columns. */
  List<List<String>> rows(String sql) throws IOException, InterruptedException {
    List<List<String>> out = new ArrayList<>();
    for (String line : psql("radius", "radius", sql).split("\n")) {
      if (!line.isBlank()) {
        out.add(List.of(line.split("\\|", -1)));
      }
    }
    return out;
  }

  private static List<String> asUser(String... cmd) {
    List<String> out =
        new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups"));
    out.addAll(List.of(cmd));
    return out;
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    return run(cmd.toArray(String[]::new));
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /** SIGTERM to the server (by PID), SIGKILL after 10 s, then the directory goes. */
  @Override
  public void close() {
    try {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
      run("rm", "-rf", dir.toString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not remove the PostgreSQL cluster " + dir, e);
    }
  }
}
