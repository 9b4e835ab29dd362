package dev.coati.server.sessions;

import dev.coati.auth.AuthResult;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.events.SessionEvents;
import dev.coati.server.log.Kv;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The users' sessions that are up (an address assigned): Xauth road warriors and L2TP/PPP links, on
 * the socket thread only. A session opened here gets its RADIUS Acct-Session-Id (unique across
 * restarts: the start time and a counter) and the {@code up} event; closing it emits {@code down}
 * with its duration and what it moved. Every {@link #tick} enforces what a RADIUS server set for
 * the session (Session-Timeout, Idle-Timeout: RFC 2865 section 5.27, 5.28) and emits {@code
 * interim} events for Interim-Update (the Access-Accept's Acct-Interim-Interval, else {@code
 * radius.interim_interval}; never more often than once a minute, RFC 2869 section 2.1).
 */
public final class UserSessions {
  /** RFC 2869 section 2.1: Interim-Update no more often than this. */
  public static final long MIN_INTERIM_SECONDS = 60;

  /** What the owner of a session counts: its traffic so far (other threads may be counting). */
  public interface Counted {
    Traffic traffic();
  }

  /** A session that is up. */
  public static final class Entry {
    private SessionEvent up;
    private final AuthResult.Session limits;
    private Counted counted;
    private Traffic carried = Traffic.ZERO;
    private final long since;
    private long lastInPackets;
    private long lastActive;
    private long nextInterim;
    private boolean ending;

    Entry(SessionEvent up, AuthResult.Session limits, Counted counted, long since) {
      this.up = up;
      this.limits = limits;
      this.counted = counted;
      this.since = since;
      this.lastActive = since;
    }

    public String name() {
      return up.session();
    }

    public String kind() {
      return up.kind();
    }

    public String user() {
      return up.user();
    }

    /** The client's public address:port. */
    public String peer() {
      return up.peer();
    }

    public String address() {
      return up.address();
    }

    public String accountingId() {
      return up.accountingId();
    }

    public AuthResult.Session limits() {
      return limits;
    }

    /** What it moved so far. */
    public Traffic traffic() {
      return carried.plus(counted.traffic());
    }
  }

  private final Map<String, Entry> live = new LinkedHashMap<>();
  private final SessionEvents events;
  private final LongSupplier clock;
  private final long defaultInterimSeconds;
  private final PrintStream log;
  private final String boot;
  private long counter;
  private BiConsumer<Entry, String> ender = (e, reason) -> {};

  /**
   * @param defaultInterimSeconds Interim-Update period when RADIUS sets none (0: none)
   */
  public UserSessions(
      SessionEvents events, LongSupplier clock, long defaultInterimSeconds, PrintStream log) {
    this.events = events;
    this.clock = clock;
    this.defaultInterimSeconds = defaultInterimSeconds;
    this.log = log;
    this.boot = String.format("%08x", clock.getAsLong() / 1000);
  }

  /** Where up, down and failure events go. */
  public SessionEvents events() {
    return events;
  }

  /** How a session is ended when a limit is reached or RADIUS disconnects it. */
  public void ender(BiConsumer<Entry, String> e) {
    this.ender = e;
  }

  /** A session is up: {@code up} names it, {@code limits} from its authentication. */
  public void up(SessionEvent up, AuthResult.Session limits, Counted counted) {
    long now = clock.getAsLong();
    String id = boot + "-" + String.format("%08x", ++counter);
    SessionEvent e = up.accounted(id, limits.radiusClass());
    Entry entry = new Entry(e, limits, counted, now);
    long interim = interimSeconds(limits);
    entry.nextInterim = interim > 0 ? now + interim * 1000 : Long.MAX_VALUE;
    live.put(e.session(), entry);
    events.emit(e);
  }

  /**
   * Session {@code from} continues as {@code to} (a client re-authenticated phase 1 and kept its
   * address): same Acct-Session-Id and start, {@code carried} already counted, then {@code
   * counted}. False if {@code from} is not up.
   */
  public boolean rename(String from, String to, Traffic carried, Counted counted) {
    Entry e = live.remove(from);
    if (e == null) {
      return false;
    }
    e.carried = e.carried.plus(carried);
    e.counted = counted;
    e.up =
        new SessionEvent(
            "up",
            e.up.kind(),
            to,
            e.up.user(),
            e.up.peer(),
            e.up.address(),
            0,
            null,
            null,
            e.up.accountingId(),
            e.up.radiusClass());
    live.put(to, e);
    return true;
  }

  /** Session {@code name} is gone: the down event with its traffic. Nothing if it was not up. */
  public void down(String name, String reason) {
    Entry e = live.remove(name);
    if (e != null) {
      long seconds = seconds(e, clock.getAsLong());
      Traffic t = e.traffic();
      log.println(
          Kv.line(name, "session down")
              .add("kind", e.up.kind())
              .add("user", e.user())
              .add("peer", e.up.peer())
              .add("address", e.up.address())
              .add("seconds", seconds)
              .add("bytes_in", t.inOctets())
              .add("bytes_out", t.outOctets())
              .add("packets_in", t.inPackets())
              .add("packets_out", t.outPackets())
              .add("reason", reason));
      events.emit(e.up.as("down", seconds, reason, t));
    }
  }

  /** The sessions that are up now. */
  public Collection<Entry> live() {
    return List.copyOf(live.values());
  }

  public int size() {
    return live.size();
  }

  /**
   * Ends {@code e} through the {@link #ender} (socket thread); its owner reports {@link #down} when
   * it is gone.
   */
  public void end(Entry e, String reason) {
    if (!e.ending) {
      e.ending = true;
      log.println(Kv.line(e.name(), "session ending").add("user", e.user()).add("reason", reason));
      ender.accept(e, reason);
    }
  }

  /** Limits and Interim-Update (socket thread, every tick). */
  public void tick(long now) {
    for (Entry e : new ArrayList<>(live.values())) {
      if (e.ending) {
        continue;
      }
      long st = e.limits.sessionTimeoutSeconds();
      if (st > 0 && now - e.since >= st * 1000) {
        end(e, "session timeout (" + st + " s, from RADIUS)");
        continue;
      }
      long idle = e.limits.idleTimeoutSeconds();
      if (idle > 0) {
        long packets = e.traffic().inPackets();
        if (packets != e.lastInPackets) {
          e.lastInPackets = packets;
          e.lastActive = now;
        } else if (now - e.lastActive >= idle * 1000) {
          end(e, "idle timeout (" + idle + " s, from RADIUS)");
          continue;
        }
      }
      if (now >= e.nextInterim) {
        e.nextInterim = now + interimSeconds(e.limits) * 1000;
        events.emit(e.up.as("interim", seconds(e, now), null, e.traffic()));
      }
    }
  }

  private long interimSeconds(AuthResult.Session limits) {
    long s =
        limits.interimIntervalSeconds() > 0
            ? limits.interimIntervalSeconds()
            : defaultInterimSeconds;
    return s <= 0 ? 0 : Math.max(MIN_INTERIM_SECONDS, s);
  }

  private static long seconds(Entry e, long now) {
    return Math.max(0, (now - e.since) / 1000);
  }
}
