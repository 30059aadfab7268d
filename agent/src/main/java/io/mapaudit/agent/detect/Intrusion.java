package io.mapaudit.agent.detect;

import java.util.List;

/** Another thread inside a watched map (or writing a watched key), as the intruder recorded it. */
final class Intrusion {
  /** The watch this intrusion belongs to: the watcher ignores one made for another watch. */
  final long ticket;
  final Object map;
  final String thread;
  final int op;
  final boolean write;
  final List<StackTraceElement> stack;

  Intrusion(long ticket, Object map, String thread, int op, boolean write,
      List<StackTraceElement> stack) {
    this.ticket = ticket;
    this.map = map;
    this.thread = thread;
    this.op = op;
    this.write = write;
    this.stack = stack;
  }

  /** True when this intrusion was recorded for the watch {@code ticket} on {@code watched}. */
  boolean belongsTo(long watchTicket, Object watched) {
    return ticket == watchTicket && map == watched;
  }
}
