// The benchmark's statistics (median, quantiles) and number formats, and its progress log.

export function quantile(samples, q) {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(samples) {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function stats(samples) {
  return {
    n: samples.length,
    median: median(samples),
    p95: quantile(samples, 0.95),
    min: samples.length ? Math.min(...samples) : NaN,
    max: samples.length ? Math.max(...samples) : NaN,
  };
}

export function fmtMs(v) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 10000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

export function fmtMB(kib) {
  return Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MB` : '–';
}

export function fmtRatio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}

export function fmtInt(n) {
  return n.toLocaleString('en-US');
}

export function cell(s) {
  return s && s.n ? `${fmtMs(s.median)} / ${fmtMs(s.p95)} (${s.n})` : '–';
}

export function log(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
