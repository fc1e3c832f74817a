// The log viewer page: which app, sign-in, and the controls (filters, pause, follow, download,
// keys) around the list, the stream and the side panel. The app id comes from the page's own
// address and is shown with textContent only.

import { asText, Lines, makeFilter, Ring, rowsOf } from './lines.js';
import { LogList } from './list.js';
import { Containers, Rate } from './panels.js';
import { postToken, refusal, takeTokenFromFragment } from './signin.js';
import { LogStream } from './stream.js';

const CAPACITY = 50000;
const MAX_CHOICES = 100;
const $ = (id) => document.getElementById(id);

/** The same rule as the server's: 1 to 128 of A-Z a-z 0-9 . _ : - and not only dots. */
function validId(id) {
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id) && !/^\.+$/.test(id);
}

const path = location.pathname;
const viewAt = path.lastIndexOf('/view/') + '/view/'.length;
const viewBase = new URL(path.slice(0, viewAt), location.origin);
const base = new URL('../', viewBase);

function say(id, text) {
  $(id).textContent = text;
}

function showState(name, words) {
  const state = $('state');
  state.dataset.state = name;
  state.textContent = words;
}

function showChooser() {
  $('chooser').hidden = false;
  showState('idle', 'Choose an app');
  $('chooser-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('chooser-app').value.trim();
    if (!validId(id)) {
      say('chooser-error', 'An app id is 1 to 128 letters, digits or . _ : - and not only dots.');
      return;
    }
    location.assign(new URL(`./${id}`, viewBase));
  });
  $('chooser-app').focus();
}

/** Shows the sign-in form; a successful sign-in calls then(). */
function askSignIn(why, then) {
  $('signin').hidden = false;
  $('viewer').hidden = true;
  say('signin-error', why);
  showState('signed-out', 'Signed out');
  const form = $('signin-form');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const input = $('signin-token');
    const token = input.value;
    input.value = '';
    if (!token.trim()) return;
    const status = await postToken(base, token);
    if (status !== 200) {
      say('signin-error', refusal(status));
      return;
    }
    say('signin-error', '');
    $('signin').hidden = true;
    then();
  };
  $('signin-token').focus();
}

class Viewer {
  constructor(appId) {
    this.appId = appId;
    this.lines = new Lines(CAPACITY);
    this.held = new Ring(CAPACITY);
    this.heldDropped = 0;
    this.paused = false;
    this.sources = new Set();
    this.instances = new Set();
    this.rate = new Rate($('rate'), $('rate-now'));
    this.containers = new Containers($('metrics').tBodies[0]);
    this.list = new LogList($('lines'), this.lines, (follow) => this.followChanged(follow));
    this.stream = new LogStream(base, appId, {
      envelopes: (list, live) => this.receive(list, live),
      state: (name, words) => {
        this.connection = [name, words];
        this.showConnection();
      },
      notice: (words) => this.notice(words),
      shown: () => this.shown(),
      refused: (status) => this.refused(status),
    });
    this.bindControls();
    setInterval(() => this.tick(), 1000);
  }

  start() {
    $('viewer').hidden = false;
    this.stream.start();
    $('lines').focus();
  }

  receive(envelopes, live) {
    const rows = [];
    let count = 0;
    for (const e of envelopes) {
      if (e.metric) this.containers.update(e.metric);
      if (!e.log) continue;
      count++;
      this.choice(this.sources, 'filter-source', e.log.sourceType);
      this.choice(this.instances, 'filter-instance', e.log.instance);
      for (const row of rowsOf(e.log, e.raw)) rows.push(row);
    }
    if (live) this.rate.count(count);
    this.show(rows);
  }

  show(rows) {
    if (rows.length === 0) return;
    if (this.paused) {
      for (const row of rows) {
        if (this.held.push(row)) this.heldDropped++;
      }
      this.showPause();
      return;
    }
    this.list.shifted(this.lines.add(rows));
    this.list.schedule();
  }

  notice(words) {
    const log = { text: words, err: false, time: Date.now() * 1e6, sourceType: 'VIEWER', instance: '' };
    this.show(rowsOf(log, null, 'local'));
  }

  *shown() {
    yield* this.lines.messages();
    for (const row of this.held) if (row.raw) yield { raw: row.raw, time: row.ns };
  }

  refused(status) {
    if (status === 400) {
      showState('refused', 'Not a valid app id');
      return;
    }
    askSignIn(
      status === 401
        ? 'Sign in to read the logs of this app: no token yet, or it expired or was refused.'
        : 'This token does not grant the logs of this app.',
      () => this.start());
  }

  /** Adds value to a filter's choices the first time it is seen (at most MAX_CHOICES). */
  choice(seen, selectId, value) {
    if (!value || seen.has(value) || seen.size >= MAX_CHOICES) return;
    seen.add(value);
    $(selectId).append(new Option(value, value));
  }

  applyFilter() {
    const text = $('filter-text');
    let filter;
    try {
      filter = makeFilter({
        sourceType: $('filter-source').value,
        instance: $('filter-instance').value,
        pattern: text.value,
        ignoreCase: $('filter-case').checked,
      });
    } catch (e) {
      text.setAttribute('aria-invalid', 'true');
      say('filter-error', `Not a regular expression: ${e.message}`);
      return;
    }
    text.removeAttribute('aria-invalid');
    say('filter-error', '');
    this.lines.setFilter(filter);
    this.list.schedule();
  }

  togglePause() {
    this.paused = !this.paused;
    if (!this.paused) {
      const rows = [...this.held];
      this.held.clear();
      if (this.heldDropped) {
        const lost = this.heldDropped;
        this.heldDropped = 0;
        this.notice(`${lost} lines held while paused were dropped: more than ${CAPACITY} arrived.`);
      }
      this.show(rows);
    }
    this.showPause();
    this.showConnection();
  }

  showPause() {
    const button = $('pause');
    button.setAttribute('aria-pressed', String(this.paused));
    button.textContent = this.paused
      ? `Resume (${(this.held.length + this.heldDropped).toLocaleString()} held)`
      : 'Pause';
  }

  showConnection() {
    const [name, words] = this.connection || ['idle', ''];
    if (this.paused && name === 'live') showState('paused', 'Live, paused');
    else showState(name, words);
  }

  followChanged(follow) {
    const button = $('follow');
    button.setAttribute('aria-pressed', String(follow));
    button.textContent = follow ? 'Following' : 'Follow';
  }

  download() {
    const text = [];
    for (const row of this.lines.view) text.push(asText(row), '\n');
    const url = URL.createObjectURL(new Blob(text, { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.appId}.log`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  bindControls() {
    let debounce = 0;
    const later = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.applyFilter(), 120);
    };
    $('filter-text').addEventListener('input', later);
    for (const id of ['filter-source', 'filter-instance', 'filter-case']) {
      $(id).addEventListener('change', () => this.applyFilter());
    }
    $('pause').addEventListener('click', () => this.togglePause());
    $('follow').addEventListener('click', () => this.list.setFollow(true));
    $('download').addEventListener('click', () => this.download());
    this.followChanged(true);
    document.addEventListener('keydown', (e) => {
      const typing = e.target.closest('input, select, textarea');
      if (e.key === 'Escape' && typing) {
        $('lines').focus();
      } else if (typing || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      } else if (e.key === '/') {
        e.preventDefault();
        $('filter-text').focus();
      } else if (e.key === 'p') {
        this.togglePause();
      } else if (e.key === 'End') {
        e.preventDefault();
        this.list.setFollow(true);
      }
    });
  }

  tick() {
    this.rate.tick();
    this.containers.tick();
    const view = this.lines.view.length;
    const all = this.lines.rows.length;
    const bad = this.stream.undecodable;
    say('counts', `${view.toLocaleString()} of ${all.toLocaleString()} lines shown; ${
      this.list.domRows()} rows in the page.${bad ? ` ${bad} unreadable envelopes left out.` : ''}`);
  }
}

async function main() {
  // First of all, so that the token leaves the address bar even if anything below fails.
  const token = takeTokenFromFragment();
  const appId = path.slice(viewAt);
  if (token) {
    const status = await postToken(base, token);
    if (status !== 200) {
      askSignIn(refusal(status), () => (appId ? start(appId) : showChooser()));
      return;
    }
  }
  if (!appId) {
    showChooser();
    return;
  }
  start(appId);
}

function start(appId) {
  if (!validId(appId)) {
    showState('refused', 'Not a valid app id');
    return;
  }
  say('app-name', appId);
  document.title = `${appId} · Logs`;
  new Viewer(appId).start();
}

main();
