// The side panel: lines per second over the last minute as a sparkline, and the latest container
// metrics of each instance. Both are redrawn once a second, never per envelope.

const SECONDS = 60;
const MAX_INSTANCES = 64;

export class Rate {
  constructor(canvas, label) {
    this.canvas = canvas;
    this.label = label;
    this.history = new Array(SECONDS).fill(0);
    this.current = 0;
  }

  count(n) {
    this.current += n;
  }

  /** Closes the current second and redraws. */
  tick() {
    this.history.push(this.current);
    this.history.shift();
    this.current = 0;
    this.draw();
    const now = this.history[SECONDS - 1];
    const peak = Math.max(...this.history);
    this.label.textContent = `${now.toLocaleString()} lines/s now, ${peak.toLocaleString()} peak`;
  }

  draw() {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth || 240;
    const h = c.clientHeight || 48;
    if (c.width !== w * ratio) {
      c.width = w * ratio;
      c.height = h * ratio;
    }
    const g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    const peak = Math.max(1, ...this.history);
    const step = w / (SECONDS - 1);
    g.beginPath();
    this.history.forEach((v, i) => {
      const x = i * step;
      const y = h - 2 - (v / peak) * (h - 4);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--accent');
    g.lineWidth = 1.5;
    g.stroke();
  }
}

function bytes(n) {
  if (!n) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n < 10 && u > 0 ? Number(n.toFixed(1)) : Math.round(n)} ${units[u]}`;
}

function share(used, quota) {
  return quota ? `${bytes(used)} / ${bytes(quota)}` : bytes(used);
}

export class Containers {
  constructor(tbody) {
    this.tbody = tbody;
    this.latest = new Map();
    this.changed = false;
  }

  update(metric) {
    if (!this.latest.has(metric.instance) && this.latest.size >= MAX_INSTANCES) return;
    this.latest.set(metric.instance, metric);
    this.changed = true;
  }

  tick() {
    if (!this.changed) return;
    this.changed = false;
    const rows = [...this.latest.values()].sort((a, b) => a.instance - b.instance).map((m) => {
      const tr = document.createElement('tr');
      for (const text of [String(m.instance), `${m.cpu.toFixed(1)}%`,
        share(m.memory, m.memoryQuota), share(m.disk, m.diskQuota)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    });
    this.tbody.replaceChildren(...rows);
  }
}
