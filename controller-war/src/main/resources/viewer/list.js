// The list of rows, virtualised: however many rows the view holds, the DOM has only the few that
// fit in the window (plus a margin), absolutely placed over a spacer as tall as all of them. Rows
// are written with textContent only. It follows the newest row until the user scrolls up, and
// follows again when the user scrolls back to the bottom.

import { clock } from './lines.js';

const MARGIN = 8;

export class LogList {
  constructor(scroller, lines, onFollowChange) {
    this.scroller = scroller;
    this.lines = lines;
    this.onFollowChange = onFollowChange;
    this.rowHeight =
      parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row')) || 20;
    this.spacer = document.createElement('div');
    this.spacer.className = 'spacer';
    scroller.append(this.spacer);
    this.pool = [];
    this.follow = true;
    this.height = -1;
    this.pending = false;
    scroller.addEventListener('scroll', () => this.userScrolled(), { passive: true });
    scroller.addEventListener('wheel', (e) => {
      if (e.deltaY < 0) this.setFollow(false);
    }, { passive: true });
    scroller.addEventListener('keydown', (e) => {
      if (['ArrowUp', 'PageUp', 'Home'].includes(e.key)) this.setFollow(false);
    });
    new ResizeObserver(() => this.schedule()).observe(scroller);
  }

  setFollow(follow) {
    if (this.follow === follow) return;
    this.follow = follow;
    this.onFollowChange(follow);
    if (follow) this.schedule();
  }

  userScrolled() {
    const s = this.scroller;
    const atBottom = s.scrollTop + s.clientHeight >= s.scrollHeight - this.rowHeight / 2;
    if (atBottom !== this.follow) this.setFollow(atBottom);
    this.schedule();
  }

  /** Keeps what the user reads in place when rows at the start of the view went away. */
  shifted(rows) {
    if (rows > 0 && !this.follow) this.scroller.scrollTop -= rows * this.rowHeight;
  }

  /** Renders at the next frame, once however often it is asked. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const h = this.rowHeight;
    const view = this.lines.view;
    const n = view.length;
    const total = n * h;
    if (total !== this.height) {
      this.height = total;
      this.spacer.style.height = `${total}px`;
    }
    const s = this.scroller;
    if (this.follow) s.scrollTop = Math.max(0, total - s.clientHeight);
    const first = Math.max(0, Math.floor(s.scrollTop / h) - MARGIN);
    const last = Math.min(n, Math.ceil((s.scrollTop + s.clientHeight) / h) + MARGIN);
    const size = Math.ceil(s.clientHeight / h) + 2 * MARGIN + 2;
    while (this.pool.length < size) this.pool.push(this.newRow());
    const used = new Set();
    for (let i = first; i < last; i++) {
      const el = this.pool[i % this.pool.length];
      used.add(el);
      const row = view.get(i);
      if (el.row !== row) this.fill(el, row);
      if (el.at !== i) {
        el.at = i;
        el.style.transform = `translateY(${i * h}px)`;
      }
      if (el.hidden) el.hidden = false;
    }
    for (const el of this.pool) {
      if (!used.has(el) && !el.hidden) {
        el.hidden = true;
        el.row = null;
      }
    }
  }

  newRow() {
    const el = document.createElement('div');
    for (const c of ['c-time', 'c-src', 'c-type', 'c-msg']) {
      const cell = document.createElement('span');
      cell.className = c;
      el.append(cell);
    }
    el.hidden = true;
    el.row = null;
    el.at = -1;
    this.scroller.append(el);
    return el;
  }

  fill(el, row) {
    el.row = row;
    el.className = `row${row.err ? ' err' : ''}${row.lgr ? ' lgr' : ''}${row.cont ? ' cont' : ''}${
      row.local ? ' local' : ''}`;
    const [time, src, type, msg] = el.children;
    if (row.clock === undefined) row.clock = row.time > 0 ? clock(row.time) : '';
    time.textContent = row.clock;
    src.textContent = row.source;
    type.textContent = row.local ? '' : row.err ? 'ERR' : 'OUT';
    msg.textContent = row.text;
    el.title = row.text.length > 60 ? row.text.slice(0, 2000) : '';
  }

  /** How many row elements are in the DOM. */
  domRows() {
    return this.pool.length;
  }
}
