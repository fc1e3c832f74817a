// Where recent logs meet the live stream, with no gap and no duplicate.
//
// The stream is opened first and what it sends is held. The recent logs are fetched once live
// envelopes come (the controller subscribes to the dopplers only after the socket opens), and
// again until they hold one of the held envelopes, which proves that no line fell between the two
// (stream.js). Then the recent logs are shown, then the held and later live envelopes, except
// those the recent logs already held. An envelope's identity is its bytes: every hop forwards the bytes its emitter
// wrote, and the emitter stamps each line with its time in nanoseconds, so the same bytes in the
// recent logs and in the stream are the same envelope. Identities are counted, not just noted,
// so that an emitter that really sent the same bytes twice is shown twice. Only a live envelope
// no newer than the newest recent one can be a duplicate, so later ones are never even compared.

/** The identity of an envelope: its bytes, as a string key. */
export function identity(raw) {
  let key = '';
  for (let i = 0; i < raw.length; i += 8192) {
    key += String.fromCharCode.apply(null, raw.subarray(i, i + 8192));
  }
  return key;
}

/** A multiset of identities. */
class Identities {
  constructor() {
    this.counts = new Map();
  }

  add(raw) {
    const key = identity(raw);
    this.counts.set(key, (this.counts.get(key) || 0) + 1);
  }

  has(raw) {
    return this.counts.has(identity(raw));
  }

  /** Whether raw is here; if so, one of it is taken away. */
  take(raw) {
    const key = identity(raw);
    const n = this.counts.get(key);
    if (!n) return false;
    if (n === 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
    return true;
  }
}

/** The log envelopes of the recent logs, against which the live ones are checked. */
export class Seam {
  /** recent: decoded envelopes of the recent logs, oldest first. */
  constructor(recent) {
    this.seen = new Identities();
    this.newest = -Infinity;
    for (const e of recent) {
      if (!e.log) continue;
      this.seen.add(e.raw);
      if (e.log.time > this.newest) this.newest = e.log.time;
    }
  }

  /** Whether the live envelope e is among the recent logs (without matching it). */
  holds(e) {
    return !!e.log && e.log.time <= this.newest && this.seen.has(e.raw);
  }

  /** Whether the live envelope e was among the recent logs (each is matched once). */
  repeats(e) {
    return !!e.log && e.log.time <= this.newest && this.seen.take(e.raw);
  }
}

/**
 * After a reconnection: the recent log envelopes that were not shown already. shown is an
 * iterable of {raw, time} of the messages shown, newest last. Also says whether the recent logs
 * reach back to what was shown; when they do not, lines may be missing in between.
 */
export function unseen(recent, shown) {
  const logs = recent.filter((e) => e.log);
  if (logs.length === 0) return { fresh: recent, overlaps: true };
  let oldest = Infinity;
  for (const e of logs) oldest = Math.min(oldest, e.log.time);
  const before = new Identities();
  let any = false;
  for (const m of shown) {
    any = true;
    if (m.time >= oldest) before.add(m.raw);
  }
  let overlaps = !any;
  const fresh = recent.filter((e) => {
    if (e.log && before.take(e.raw)) {
      overlaps = true;
      return false;
    }
    return true;
  });
  return { fresh, overlaps };
}
