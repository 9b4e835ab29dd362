package dev.coati.server.sessions;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.SaResumption;
import dev.coati.ike.SaSnapshot;
import dev.coati.ike.SaSnapshotCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Established ISAKMP SAs and their tunnel-mode IPsec SAs in the state directory ({@code
 * state.resume_sas}), one file {@code sas/sa-<initiator cookie>} each (mode 0600, written to a
 * temporary file, fsynced, renamed), so that after a crash the restarted gateway resumes them
 * ({@link SaRestore}) and clients without DPD never notice. Written when an SA or its set of
 * children changes (after each event, on the socket thread, through {@code post}), when a child's
 * outbound sequence number nears its reservation, and removed when the SA goes; a clean stop
 * deletes every SA and so every file. Sequence reservation: the file holds, for each child, a
 * sequence number {@link #RESERVATION} ahead of the one in use, renewed when fewer than half of
 * that remain, so a restart continues above any number sent before it and no packet writes
 * anything.
 */
public final class SaStateStore implements IkeListener {
  /**
   * How far the saved outbound sequence number runs ahead of the one in use: renewed when half is
   * left, which leaves 2^23 packets (over a minute at 100,000 packets/s) for the write to land.
   */
  static final long RESERVATION = 1L << 24;

  static final String PREFIX = "sa-";

  /** The subdirectory of the state directory the SA files live in. */
  static final String DIR = "sas";

  private final Path dir;
  private final ToLongFunction<ChildSa> sequences;
  private final ToLongFunction<ChildSa> received;
  private final PrintStream log;
  private final ExecutorService writer;
  private final Map<Long, Saved> saved = new HashMap<>();
  private boolean dirty;
  private long lastSync;

  /**
   * What was last written for one SA: its identity in short, each child's reservation and highest
   * inbound sequence number.
   */
  private record Saved(
      String fingerprint, Map<Integer, Long> reserved, Map<Integer, Long> received) {}

  /**
   * @param dir the directory of the SA files
   * @param sequences the next outbound sequence number of an installed child (the data plane)
   * @param received the highest inbound sequence number it received
   */
  public SaStateStore(
      Path dir,
      ToLongFunction<ChildSa> sequences,
      ToLongFunction<ChildSa> received,
      PrintStream log) {
    this.dir = dir;
    this.sequences = sequences;
    this.received = received;
    this.log = log;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("coati-sa-state").unstarted(r));
  }

  /**
   * The store in {@code stateDir}/{@value #DIR} (mode 0700), or null when there is no state
   * directory or {@code state.resume_sas} is off (then SA files left from before are removed: keys
   * do not stay on disk).
   */
  public static SaStateStore open(
      Path stateDir,
      boolean enabled,
      ToLongFunction<ChildSa> sequences,
      ToLongFunction<ChildSa> received,
      PrintStream log)
      throws IOException {
    if (stateDir == null) {
      return null;
    }
    Path dir = stateDir.resolve(DIR);
    if (!enabled) {
      for (Path p : files(dir)) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
      return null;
    }
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return new SaStateStore(dir, sequences, received, log);
  }

  /** The SA files in {@code dir} (at most {@link SaRestore#MAX_FILES}). */
  static List<Path> files(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : ds) {
        if (out.size() < SaRestore.MAX_FILES) {
          out.add(p);
        }
      }
    }
    return out;
  }

  Path dir() {
    return dir;
  }

  PrintStream log() {
    return log;
  }

  /** Saved SAs are to be checked on the next tick of the socket thread. */
  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    dirty = true;
  }

  @Override
  public void childDeleted(IkeSaView sa, ChildSa child) {
    dirty = true;
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    dirty = true;
  }

  /** Socket thread, every tick (200 ms): a sync after any change, else once a second. */
  public void tick(Collection<IkeSa> sas, long nowMillis) {
    if (dirty || nowMillis - lastSync >= 1000) {
      dirty = false;
      lastSync = nowMillis;
      sync(sas);
    }
  }

  /**
   * Socket thread: writes the files of SAs that are new or changed or whose reservation runs short,
   * removes those of SAs that are gone (the writes happen on the store's own thread, in order).
   */
  public void sync(Collection<IkeSa> sas) {
    Set<Long> live = new HashSet<>();
    for (IkeSa sa : sas) {
      if (!eligible(sa)) {
        continue;
      }
      live.add(sa.initiatorCookie());
      Saved old = saved.get(sa.initiatorCookie());
      String fingerprint = fingerprint(sa);
      boolean due = old == null || !old.fingerprint().equals(fingerprint);
      Map<Integer, Long> reserved = new HashMap<>();
      Map<Integer, Long> got = new HashMap<>();
      for (ChildSa c : sa.children()) {
        long in = Math.max(0, received.applyAsLong(c));
        Long savedIn = old == null ? null : old.received().get(c.inboundSpi());
        due |= savedIn == null || in - savedIn >= RESERVATION / 2; // bounds a replay after a crash
        got.put(c.inboundSpi(), in);
        long next = Math.max(1, sequences.applyAsLong(c));
        Long r = old == null ? null : old.reserved().get(c.inboundSpi());
        if (r == null || next + RESERVATION / 2 > r) {
          r = Math.min(next + RESERVATION, 0x1_0000_0000L);
          due = true;
        }
        reserved.put(c.inboundSpi(), r);
      }
      if (due) {
        SaSnapshot s =
            SaResumption.capture(
                sa, c -> reserved.get(c.inboundSpi()), c -> got.get(c.inboundSpi()));
        if (s == null) {
          continue;
        }
        byte[] bytes = SaSnapshotCodec.encode(s);
        s.destroy();
        saved.put(sa.initiatorCookie(), new Saved(fingerprint, reserved, got));
        Path file = file(sa.initiatorCookie());
        writer.execute(() -> write(file, bytes));
      }
    }
    for (Long gone : List.copyOf(saved.keySet())) {
      if (!live.contains(gone)) {
        saved.remove(gone);
        Path file = file(gone);
        writer.execute(() -> delete(file));
      }
    }
  }

  /**
   * Only what can resume without more: established, with children, all in tunnel mode (an L2TP
   * child's tunnel and PPP session do not survive a restart; its client reconnects).
   */
  static boolean eligible(IkeSa sa) {
    List<ChildSa> children = sa.children();
    return sa.state() == IkeSa.State.ESTABLISHED
        && !sa.halfOpen()
        && !children.isEmpty()
        && children.stream().allMatch(c -> c.transform().tunnel());
  }

  private static String fingerprint(IkeSa sa) {
    StringBuilder b =
        new StringBuilder()
            .append(sa.peer())
            .append(sa.local())
            .append(sa.user().orElse(""))
            .append(sa.virtualAddress().map(Arrays::toString).orElse(""))
            .append(sa.phase1Expired());
    for (ChildSa c : sa.children()) {
      b.append(' ').append(c.inboundSpi());
    }
    return b.toString();
  }

  Path file(long cookie) {
    return dir.resolve(String.format("%s%016x", PREFIX, cookie));
  }

  /** Waits (up to 5 s) until every write asked for so far is done. */
  public void awaitWrites() {
    Future<?> f = writer.submit(() -> {});
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.println("coati: SA state writes did not finish: " + e);
    }
  }

  /** At a clean stop (every SA deleted): the last removals, then the writer ends. */
  public void close(Collection<IkeSa> sas) {
    sync(sas);
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.println("coati: cannot save SA state to " + file + ": " + e.getMessage());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.println("coati: cannot remove SA state " + file + ": " + e.getMessage());
    }
  }
}
