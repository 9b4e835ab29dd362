package dev.coati.ike;

import dev.coati.crypto.DhFactory;
import dev.coati.util.Clock;
import dev.coati.util.RandomSource;

/** Everything the engine needs from outside; it reads no clock and does no I/O of its own. */
public record IkeContext(
    Clock clock,
    RandomSource random,
    DhFactory dh,
    IkePolicy policy,
    Outbox outbox,
    IkeListener listener,
    RetransmitPolicy retransmit) {}
