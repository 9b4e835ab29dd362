package dev.coati.server.sessions;

import dev.coati.config.GatewayConfig;
import dev.coati.pool.AddressPool;
import dev.coati.pool.Lease;
import dev.coati.server.queues.BoundedQueues;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The pool's leases in the state directory ({@code leases}, mode 0600, replaced atomically), so a
 * restart, even after {@code kill -9}, hands no address to anyone else while a client from before
 * may still use it: each live lease is saved with the time its session could last at most (the
 * longer of the IKE and ESP lifetimes, counted from the save, plus the save period), and on start
 * those addresses are held for their users ({@link AddressPool#hold}) until then. The same user
 * reconnecting gets the address back. Saved from the socket thread's tick when something changed
 * (and every {@link #REFRESH_MILLIS}), written on a thread of its own.
 */
public final class LeaseStore {
  static final long REFRESH_MILLIS = 60_000;
  static final String HEADER = "# coati leases: address user(url-encoded) until(epoch ms)\n";

  private final Path file;
  private final AddressPool pool;
  private final long sessionMaxMillis;
  private final PrintStream log;
  private final ExecutorService writer;
  private long savedChanges = -1;
  private long savedAt;

  /**
   * @param sessionMaxMillis how long a session from before a restart can still run at most (the
   *     longer of the configured IKE and ESP lifetimes)
   */
  public LeaseStore(Path file, AddressPool pool, long sessionMaxMillis, PrintStream log) {
    this.file = file;
    this.pool = pool;
    this.sessionMaxMillis = sessionMaxMillis;
    this.log = log;
    // one write waiting is enough: each is the whole file; a refused one is retried next tick
    this.writer = BoundedQueues.singleThread(BoundedQueues.LEASES, "coati-leases", 2);
  }

  /**
   * The store in {@code stateDir} for {@code pool}, its saved holds restored; null (and a line in
   * the log) without a state directory, null without a pool.
   */
  public static LeaseStore open(
      Path stateDir, AddressPool pool, GatewayConfig config, long nowMillis, PrintStream log)
      throws IOException {
    if (pool == null) {
      return null;
    }
    if (stateDir == null) {
      log.println(
          "coati: leases are not saved (no --state-dir): after a restart an address may go to a"
              + " new client while an old one still uses it");
      return null;
    }
    Files.createDirectories(stateDir);
    long max = Math.max(config.ikeLifetimeSeconds(), config.espLifetimeSeconds()) * 1000;
    LeaseStore s = new LeaseStore(stateDir.resolve("leases"), pool, max, log);
    s.restore(nowMillis);
    return s;
  }

  /** Holds the saved addresses still possibly in use; returns how many. */
  public int restore(long nowMillis) {
    if (!Files.exists(file)) {
      return 0;
    }
    int held = 0;
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (line.startsWith("#") || f.length != 3) {
          continue;
        }
        try {
          long until = Long.parseLong(f[2]);
          String user = URLDecoder.decode(f[1], StandardCharsets.UTF_8);
          if (until > nowMillis && pool.hold(user, Ipv4Address.parse(f[0]), until)) {
            held++;
          }
        } catch (IllegalArgumentException e) {
          log.println("coati: " + file + ": skipped a damaged line");
        }
      }
    } catch (IOException e) {
      log.println("coati: cannot read saved leases " + file + ": " + e.getMessage());
    }
    if (held > 0) {
      log.println(
          "coati: "
              + held
              + " address"
              + (held == 1 ? "" : "es")
              + " held for the sessions from before the restart");
    }
    savedChanges = pool.changes();
    savedAt = nowMillis;
    return held;
  }

  /** Socket thread, every tick: ends holds that are up, saves when needed (returns at once). */
  public void tick(long nowMillis) {
    pool.expireHolds(nowMillis);
    if (pool.changes() == savedChanges && nowMillis - savedAt < REFRESH_MILLIS) {
      return;
    }
    String text = render(nowMillis);
    try {
      writer.execute(() -> write(text));
    } catch (RejectedExecutionException e) {
      return; // the disk is slower than the changes: counted, tried again on the next tick
    }
    savedChanges = pool.changes();
    savedAt = nowMillis;
  }

  /** Saves now and waits for the write (at shutdown). */
  public void flush(long nowMillis) {
    String text = render(nowMillis);
    writer.execute(() -> write(text));
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String render(long nowMillis) {
    StringBuilder b = new StringBuilder(HEADER);
    long until = nowMillis + sessionMaxMillis + REFRESH_MILLIS;
    List<Lease> leases = pool.leases();
    for (Lease l : leases) {
      line(b, l.address(), l.user(), until);
    }
    for (AddressPool.Hold h : pool.holds()) {
      line(b, h.address(), h.user(), h.untilMillis());
    }
    return b.toString();
  }

  private static void line(StringBuilder b, Ipv4Address a, String user, long until) {
    b.append(a)
        .append(' ')
        .append(URLEncoder.encode(user, StandardCharsets.UTF_8))
        .append(' ')
        .append(until)
        .append('\n');
  }

  /** Write to a 0600 temporary file, fsync, rename over the old one: never a torn file. */
  private void write(String text) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.println("coati: cannot save leases to " + file + ": " + e.getMessage());
    }
  }
}
