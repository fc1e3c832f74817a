// One app's logs from the controller: the live stream over a WebSocket (batches asked for), the
// recent logs and container metrics over HTTP, all with the visitor's cookie. Each connection
// opens the stream first, holds what it sends, shows the recent logs, then what it held and what
// follows, with the seam of seam.js. A lost connection is retried with exponential backoff and
// jitter; a refused one is told, with its HTTP status, and not retried.

import { boundaryOf, decodeEnvelope, parseMultipart, splitBatch } from './envelope.js';
import { Seam, unseen } from './seam.js';

const BATCH = 'loggregator.envelope-batch.v1';
const MAX_HELD = 100000;
const FIRST_DELAY_S = 1;
const MAX_DELAY_S = 30;
const QUIET_MS = 1000;
const RETRY_MS = 250;
const MAX_TRIES = 4;

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * handlers: envelopes(list, live) gets decoded envelopes in the order to show them, and whether
 * they came live (not from the recent logs or container metrics); state(name, words)
 * the connection's state; notice(words) what the page should say in the list; shown() the
 * messages shown so far (Lines.messages); refused(status) a refusal (401, 403, 400).
 */
export class LogStream {
  constructor(base, appId, handlers) {
    this.base = base;
    this.appId = appId;
    this.on = handlers;
    this.ws = null;
    this.attempt = 0;
    this.connections = 0;
    this.timer = 0;
    this.undecodable = 0;
  }

  url(path) {
    return new URL(`apps/${this.appId}/${path}`, this.base);
  }

  start() {
    clearTimeout(this.timer);
    this.connect();
  }

  connect() {
    const url = this.url('stream');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, [BATCH]);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.connections++;
    let opened = false;
    let held = [];
    let dropped = 0;
    let seam = null;
    let arrived;
    const firstLive = new Promise((resolve) => {
      arrived = resolve;
    });
    this.on.state('connecting', this.attempt ? `Connecting (attempt ${this.attempt + 1})` : 'Connecting');

    const decode = (raws) => {
      const out = [];
      for (const raw of raws) {
        const e = decodeEnvelope(raw);
        if (e) out.push(e);
        else this.undecodable++;
      }
      return out;
    };

    ws.onmessage = (m) => {
      const bytes = new Uint8Array(m.data);
      const raws = ws.protocol === BATCH ? splitBatch(bytes) : [bytes];
      if (!raws) {
        this.undecodable++;
        return;
      }
      const envelopes = decode(raws);
      if (held) {
        arrived();
        for (const e of envelopes) {
          if (held.length < MAX_HELD) held.push(e);
          else dropped++;
        }
      } else {
        this.on.envelopes(seam ? envelopes.filter((e) => !seam.repeats(e)) : envelopes, true);
      }
    };

    ws.onopen = async () => {
      opened = true;
      this.on.state('loading', 'Loading recent logs');
      // The controller subscribes to the dopplers only once this socket is open, a moment later.
      // Recent logs fetched before that could miss a line that reaches a doppler in between, so
      // they are asked for once a live envelope came (or after a quiet moment), and again until
      // they hold one of the live envelopes held: then nothing can fall between the two.
      await Promise.race([firstLive, pause(QUIET_MS)]);
      let recent;
      let metrics;
      let fresh;
      let joined;
      for (let tries = 1; ; tries++) {
        [recent, metrics] = await Promise.all([this.fetch('recentlogs'), this.fetch('containermetrics')]);
        if (this.ws !== ws) return; // closed meanwhile: the next connection loads them again
        if (recent.status === 401 || recent.status === 403) {
          this.stop();
          this.on.refused(recent.status);
          return;
        }
        fresh = decode(recent.parts);
        seam = new Seam(fresh);
        const heldLogs = held.filter((e) => e.log);
        joined = heldLogs.length === 0 || fresh.length === 0 || heldLogs.some((e) => seam.holds(e));
        if (joined || recent.status !== 200 || tries === MAX_TRIES) break;
        await pause(RETRY_MS);
        if (this.ws !== ws) return;
      }
      if (!joined) {
        this.on.notice('Lines written while the stream connected may be missing here.');
      }
      if (this.connections > 1) {
        const result = unseen(fresh, this.on.shown());
        if (!result.overlaps) {
          this.on.notice('Reconnected: lines written while disconnected, older than the recent logs the server keeps, are missing here.');
        }
        fresh = result.fresh;
      }
      if (recent.status !== 200) {
        this.on.notice(`The recent logs could not be loaded (${recent.status || 'no answer'}); showing live lines only.`);
      }
      this.on.envelopes(decode(metrics.parts), false);
      this.on.envelopes(fresh, false);
      const waiting = held;
      held = null;
      this.on.envelopes(waiting.filter((e) => !seam.repeats(e)), true);
      if (dropped) {
        this.on.notice(`${dropped} live lines arrived while the recent logs loaded and were dropped.`);
      }
      this.attempt = 0;
      this.on.state('live', 'Live');
    };

    ws.onclose = async (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!opened) {
        // The browser does not say why a handshake failed: ask over HTTP, which does.
        const probe = await this.fetch('containermetrics');
        if ([400, 401, 403].includes(probe.status)) {
          this.on.refused(probe.status);
          return;
        }
      }
      this.retry(opened ? `closed (${event.code})` : 'could not connect');
    };
  }

  retry(why) {
    const delay = Math.min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** this.attempt);
    const seconds = Math.max(0.5, delay * (0.8 + 0.4 * Math.random()));
    this.attempt++;
    this.on.state('reconnecting', `Stream ${why}; retrying in ${seconds.toFixed(0)} s`);
    this.timer = setTimeout(() => this.connect(), seconds * 1000);
  }

  stop() {
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }

  /** GET apps/ID/path: {status, parts}; status 0 when the server did not answer. */
  async fetch(path) {
    try {
      const answer = await fetch(this.url(path), {
        credentials: 'same-origin',
        cache: 'no-store',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
      });
      if (answer.status !== 200) return { status: answer.status, parts: [] };
      const boundary = boundaryOf(answer.headers.get('Content-Type'));
      const body = new Uint8Array(await answer.arrayBuffer());
      return { status: 200, parts: boundary ? parseMultipart(body, boundary) : [] };
    } catch (e) {
      return { status: 0, parts: [] };
    }
  }
}
