// The lines the page holds: a bounded ring of rows (one row per line of a message, as the logs
// command prints them), and the rows the filters let through, in the same order. Past the
// capacity the oldest rows go.

/** Rows a single message may take; the rest are summed up in one row. */
const MAX_ROWS_PER_MESSAGE = 200;

/** A fixed-capacity ring: push at the end, the oldest falls off. */
export class Ring {
  constructor(capacity) {
    this.items = new Array(capacity);
    this.capacity = capacity;
    this.head = 0;
    this.length = 0;
  }

  /** Adds x; returns the item that fell off, or undefined. */
  push(x) {
    let dropped;
    if (this.length === this.capacity) {
      dropped = this.items[this.head];
      this.items[this.head] = x;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.items[(this.head + this.length) % this.capacity] = x;
      this.length++;
    }
    return dropped;
  }

  shift() {
    const x = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    return x;
  }

  get(i) {
    return this.items[(this.head + i) % this.capacity];
  }

  clear() {
    this.items = new Array(this.capacity);
    this.head = 0;
    this.length = 0;
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

// Terminal colour codes are dropped; other control characters, and the characters that turn
// text direction, are shown as U+FFFD so that a line cannot disguise what it says.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function clean(text) {
  return text.replace(ANSI, '').replace(CONTROL, '\ufffd');
}

/**
 * The rows of one LogMessage. kind: 'log', or 'local' for what the page itself says. The first
 * row keeps the envelope's bytes and time, the message's identity for reconnections (seam.js).
 */
export function rowsOf(log, raw, kind = 'log') {
  let lines = log.text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let more = 0;
  if (lines.length > MAX_ROWS_PER_MESSAGE) {
    more = lines.length - MAX_ROWS_PER_MESSAGE;
    lines = lines.slice(0, MAX_ROWS_PER_MESSAGE);
  }
  if (more) lines.push(`[${more} more lines of this message not shown]`);
  const source = log.sourceType + (log.instance ? '/' + log.instance : '');
  const shared = {
    time: log.time / 1e6,
    ns: log.time,
    sourceType: log.sourceType,
    instance: log.instance,
    source,
    err: log.err,
    lgr: log.sourceType === 'LGR',
    local: kind === 'local',
  };
  return lines.map((line, i) => ({
    ...shared,
    seq: 0,
    text: clean(line),
    cont: i > 0,
    raw: i === 0 ? raw : null,
  }));
}

/** Every row held, and those the filter lets through. */
export class Lines {
  constructor(capacity) {
    this.rows = new Ring(capacity);
    this.view = new Ring(capacity);
    this.filter = () => true;
    this.seq = 0;
  }

  /**
   * Adds rows, oldest first. Returns how many rows left the view at its start (the oldest that
   * fell off the ring), so that a list the user scrolled back in can stay where it was.
   */
  add(rows) {
    let leftView = 0;
    for (const row of rows) {
      row.seq = ++this.seq;
      const dropped = this.rows.push(row);
      if (dropped && this.view.length && this.view.get(0) === dropped) {
        this.view.shift();
        leftView++;
      }
      if (this.filter(row)) this.view.push(row);
    }
    return leftView;
  }

  /** Applies a new filter to every row held. */
  setFilter(filter) {
    this.filter = filter;
    this.view.clear();
    for (const row of this.rows) {
      if (filter(row)) this.view.push(row);
    }
  }

  /** The messages shown so far, oldest first, as {raw, time} in nanoseconds. */
  *messages() {
    for (const row of this.rows) {
      if (row.raw) yield { raw: row.raw, time: row.ns };
    }
  }
}

/**
 * A filter of rows: by source type, by instance, and by a regular expression on the text. An
 * invalid expression is thrown as the SyntaxError the browser gives.
 */
export function makeFilter({ sourceType, instance, pattern, ignoreCase }) {
  const re = pattern ? new RegExp(pattern, ignoreCase ? 'i' : '') : null;
  return (row) =>
    (!sourceType || row.sourceType === sourceType) &&
    (!instance || row.instance === instance) &&
    (!re || re.test(row.text));
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** hh:mm:ss.mmm, local time, for the list. */
export function clock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(
    d.getMilliseconds(), 3)}`;
}

/** A row as a line of text for the download: ISO time in UTC, [source/instance], OUT or ERR. */
export function asText(row) {
  const when = Number.isFinite(row.time) && row.time > 0 ? new Date(row.time).toISOString() : '-';
  return `${when} [${row.source}] ${row.err ? 'ERR' : 'OUT'} ${row.text}`;
}
