// Reads the few dropsonde v1 fields the viewer shows, straight from the protobuf bytes
// (docs/PROTOCOL.md, Envelope): a LogMessage's text, type, time, source and instance, and a
// ContainerMetric's instance and usage. Everything else is skipped by its wire type. Also splits
// envelope batches and multipart/x-protobuf bodies. Bytes are only ever decoded as data.

const LOG_MESSAGE = 5;
const CONTAINER_METRIC = 9;
const TWO_64 = 18446744073709551616;
const utf8 = new TextDecoder('utf-8'); // not fatal: a bad byte becomes U+FFFD

class Truncated extends Error {}

/** A cursor over a protobuf message between start and end of bytes. */
class Reader {
  constructor(bytes, start, end) {
    this.b = bytes;
    this.pos = start;
    this.end = end;
  }

  more() {
    return this.pos < this.end;
  }

  /** A varint as a Number: exact up to 2^53, close beyond (nanosecond times lose < 1 µs). */
  varint() {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Truncated();
      const byte = this.b[this.pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Truncated();
  }

  /** A signed 64- or 32-bit value written as a varint (two's complement). */
  signed() {
    const v = this.varint();
    return v >= TWO_64 / 2 ? v - TWO_64 : v;
  }

  double() {
    if (this.pos + 8 > this.end) throw new Truncated();
    const view = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  /** The bounds of a length-delimited field: [start, end). */
  span() {
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) throw new Truncated();
    this.pos = start + length;
    return [start, this.pos];
  }

  text() {
    const [s, e] = this.span();
    return utf8.decode(this.b.subarray(s, e));
  }

  skip(wireType) {
    switch (wireType) {
      case 0: this.varint(); break;
      case 1: this.pos += 8; break;
      case 2: this.span(); break;
      case 5: this.pos += 4; break;
      default: throw new Truncated(); // groups and unknown wire types: not an envelope we read
    }
    if (this.pos > this.end) throw new Truncated();
  }
}

function readLog(r) {
  const log = { text: '', err: false, time: 0, sourceType: '', instance: '' };
  while (r.more()) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 2) log.text = r.text();
    else if (field === 2 && wire === 0) log.err = r.varint() === 2;
    else if (field === 3 && wire === 0) log.time = r.signed();
    else if (field === 5 && wire === 2) log.sourceType = r.text();
    else if (field === 6 && wire === 2) log.instance = r.text();
    else r.skip(wire);
  }
  return log;
}

function readMetric(r) {
  const m = { instance: 0, cpu: 0, memory: 0, disk: 0, memoryQuota: 0, diskQuota: 0 };
  while (r.more()) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 2 && wire === 0) m.instance = r.signed();
    else if (field === 3 && wire === 1) m.cpu = r.double();
    else if (field === 4 && wire === 0) m.memory = r.varint();
    else if (field === 5 && wire === 0) m.disk = r.varint();
    else if (field === 6 && wire === 0) m.memoryQuota = r.varint();
    else if (field === 7 && wire === 0) m.diskQuota = r.varint();
    else r.skip(wire);
  }
  return m;
}

/**
 * The shown fields of one envelope: {log} for a LogMessage, {metric} for a ContainerMetric,
 * {} for any other event, null when the bytes are not an envelope. `raw` is the envelope's bytes,
 * its identity (see seam.js).
 */
export function decodeEnvelope(raw) {
  try {
    const r = new Reader(raw, 0, raw.length);
    let type = 0;
    let log = null;
    let metric = null;
    while (r.more()) {
      const key = r.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 2 && wire === 0) {
        type = r.varint();
      } else if ((field === 8 || field === 12) && wire === 2) {
        const [s, e] = r.span();
        const inner = new Reader(raw, s, e);
        if (field === 8) log = readLog(inner);
        else metric = readMetric(inner);
      } else {
        r.skip(wire);
      }
    }
    if (type === LOG_MESSAGE && log) return { raw, log };
    if (type === CONTAINER_METRIC && metric) return { raw, metric };
    return { raw };
  } catch (e) {
    if (e instanceof Truncated) return null;
    throw e;
  }
}

/**
 * The envelopes of one WebSocket message of the batch subprotocol: repeated field 1, each
 * `0x0A varint(length) bytes`. Null when the message is not such a batch.
 */
export function splitBatch(bytes) {
  const out = [];
  try {
    const r = new Reader(bytes, 0, bytes.length);
    while (r.more()) {
      if (r.varint() !== 0x0a) return null;
      const [s, e] = r.span();
      out.push(bytes.subarray(s, e));
    }
  } catch (e) {
    if (e instanceof Truncated) return null;
    throw e;
  }
  return out;
}

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType) {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
  return m ? m[1] || m[2] : null;
}

function indexOf(bytes, needle, from) {
  const first = needle[0];
  const last = bytes.length - needle.length;
  outer: for (let i = bytes.indexOf(first, from); i !== -1 && i <= last;
    i = bytes.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) {
      if (bytes[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

/**
 * The parts of a multipart/x-protobuf body (docs/PROTOCOL.md, Multipart answers), each one
 * envelope; part headers, if any, are skipped.
 */
export function parseMultipart(bytes, boundary) {
  const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const open = ascii('--' + boundary);
  const between = ascii('\r\n--' + boundary);
  const blank = ascii('\r\n\r\n');
  const parts = [];
  let at = indexOf(bytes, open, 0);
  if (at < 0) return parts;
  at += open.length;
  while (at + 2 <= bytes.length && !(bytes[at] === 0x2d && bytes[at + 1] === 0x2d)) {
    // After the delimiter: CRLF, then headers (none from this server), then a blank line.
    let start = at + 2;
    if (!(bytes[start] === 0x0d && bytes[start + 1] === 0x0a)) {
      const headersEnd = indexOf(bytes, blank, at);
      if (headersEnd < 0) break;
      start = headersEnd + 4;
    } else {
      start += 2;
    }
    const end = indexOf(bytes, between, start);
    if (end < 0) break;
    parts.push(bytes.subarray(start, end));
    at = end + between.length;
  }
  return parts;
}
