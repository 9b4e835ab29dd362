package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RADIUS side of README "Scaling out", as ScaleOutIT runs it: a private PostgreSQL cluster with
 * the stock FreeRADIUS schemas and interop/scaleout/setup.sql (the pool), and FreeRADIUS 3.2 in
 * network namespace {@code netns} on every address, answering the NAS clients of {@code clients} (a
 * CIDR), with the sql and sqlippool modules of interop/scaleout. Stopped by PID, directory removed,
 * on close.
 */
final class ScaleOutRadius implements AutoCloseable {
  final PostgresCluster pg;
  final FreeRadius radius;
  private final String netns;
  private final int userCount;

  static boolean available() {
    return FreeRadius.available()
        && PostgresCluster.available()
        && Files.exists(Path.of("/usr/lib/freeradius/rlm_sql_postgresql.so"));
  }

  ScaleOutRadius(Path dir, String netns, String clients, String pgPrefix, int users)
      throws IOException, InterruptedException {
    this.netns = netns;
    this.userCount = users;
    pg = new PostgresCluster(pgPrefix);
    FreeRadius r = null;
    try {
      Path schemas = Path.of("/etc/freeradius/3.0/mods-config/sql");
      pg.load(schemas.resolve("main/postgresql/schema.sql"));
      pg.load(schemas.resolve("ippool/postgresql/schema.sql"));
      pg.load(scaleOutConfig().resolve("setup.sql"));
      r = new FreeRadius(dir, netns, "*", clients, this::configure);
    } finally {
      if (r == null) {
        pg.close();
      }
    }
    radius = r;
  }

  int authPort() {
    return radius.authPort;
  }

  int acctPort() {
    return radius.acctPort;
  }

  /** The repository's interop/scaleout directory (found upwards from the working directory). */
  static Path scaleOutConfig() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("interop/scaleout");
      if (Files.isRegularFile(d.resolve("sqlippool"))) {
        return d;
      }
    }
    throw new IllegalStateException("interop/scaleout not found above " + Path.of(""));
  }

  /**
   * The FreeRADIUS side as README "Scaling out" describes it: the sql and sqlippool modules of
   * interop/scaleout, sqlippool in post-auth and accounting with Pool-Name set, the NAS-Identifier
   * column through the stock queries' class hook, users u1 to u{@code users} (password uN-pass).
   */
  private void configure(Path r) throws IOException {
    Path conf = scaleOutConfig();
    Files.writeString(
        r.resolve("mods-enabled/sql"),
        Files.readString(conf.resolve("sql")).replace("@PGHOST@", pg.host()));
    Files.copy(conf.resolve("sqlippool"), r.resolve("mods-enabled/sqlippool"));
    Path q = r.resolve("mods-config/sql/main/postgresql/queries.conf");
    String queries =
        Files.readString(q)
            .replace("column_name =\t# \", Class\"", "column_name = \", Class, NASIdentifier\"")
            .replace(
                "packet_xlat =\t# \", '%{Class}'\"",
                "packet_xlat = \", '%{Class}', '%{NAS-Identifier}'\"")
            .replace(
                "reply_xlat =\t# \", '%{reply:Class}'\"",
                "reply_xlat = \", '%{reply:Class}', '%{NAS-Identifier}'\"");
    assertTrue(queries.contains("'%{NAS-Identifier}'\""), "queries.conf's class hook changed");
    Files.writeString(q, queries);
    Path site = r.resolve("sites-enabled/default");
    String s = Files.readString(site);
    String withPool =
        s.replace(
            "#\tsqlippool", "\tupdate control {\n\t\t&Pool-Name := \"coati\"\n\t}\n\tsqlippool");
    assertEquals(
        2, withPool.split("Pool-Name := ").length - 1, "sqlippool in accounting and post-auth");
    Files.writeString(site, withPool);
    StringBuilder users = new StringBuilder();
    for (int u = 1; u <= userCount; u++) {
      users.append("u").append(u).append("\tCleartext-Password := \"u").append(u);
      users.append("-pass\"\n");
    }
    Files.writeString(r.resolve("mods-config/files/authorize"), users.toString());
  }

  /** sqlippool's live leases: "address|nas-ip|user" rows, sorted by address. */
  List<String> leases() throws Exception {
    List<String> out = new ArrayList<>();
    for (List<String> row :
        pg.rows(
            "SELECT host(framedipaddress), nasipaddress, username FROM radippool"
                + " WHERE expiry_time > 'now'::timestamp(0) ORDER BY framedipaddress")) {
      out.add(String.join("|", row));
    }
    return out;
  }

  /** Waits (10 s at most) until {@code address} has no live lease; the milliseconds it took. */
  long awaitReleased(String address, long sinceNanos) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (leases().stream().noneMatch(l -> l.startsWith(address + "|"))) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(address + " still leased: " + leases() + "\n" + radius.log());
  }

  /** radacct rows: "nas-identifier|nas-ip|user|address|terminate-cause", in order; n expected. */
  List<String> accounting(int n) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) { // the last Starts may still be on their way
      out.clear();
      for (List<String> row :
          pg.rows(
              "SELECT nasidentifier, nasipaddress, username, host(framedipaddress),"
                  + " acctterminatecause FROM radacct ORDER BY radacctid")) {
        out.add(String.join("|", row));
      }
      if (out.size() >= n) {
        break;
      }
      Thread.sleep(100);
    }
    return out;
  }

  /**
   * radclient in the RADIUS namespace sends a Disconnect-Request for {@code user} to the Dynamic
   * Authorization listener at {@code nas} (address:port), signed with {@code secret}.
   */
  Netns.Result disconnect(String nas, String user, String secret) throws Exception {
    Process p =
        new ProcessBuilder(
                Netns.inNs(
                    netns, "radclient", "-x", "-r", "1", "-t", "3", nas, "disconnect", secret))
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(("User-Name = \"" + user + "\"\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("radclient hangs: " + out);
    }
    return new Netns.Result(p.exitValue(), out);
  }

  @Override
  public void close() {
    try {
      radius.close();
    } finally {
      pg.close();
    }
  }
}
