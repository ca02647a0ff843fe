// Draws the extension's icon, images/icon.png (128×128): a rounded blue square with rising
// level bars, the last one green. Plain Node (zlib), no image tool: `node scripts/icon.mjs`.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const N = 128;
const px = new Uint8Array(N * N * 4);
const inRounded = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), N - 1 - r);
  const cy = Math.min(Math.max(y, r), N - 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
/** @type {(x: number, y: number, rgba: number[]) => void} */
const set = (x, y, [r, g, b, a]) => px.set([r, g, b, a], (y * N + x) * 4);
for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if (inRounded(x, y, 20)) set(x, y, [0x1f, 0x3a, 0x68, 255]);
// Nine levels as bars rising left to right; the top one green (ready).
const bars = 5;
for (let i = 0; i < bars; i++) {
  const x0 = 18 + i * 19;
  const h = 18 + i * 17;
  const colour = i === bars - 1 ? [0x4c, 0xc3, 0x6a, 255] : [0xf2, 0xf5, 0xfa, 255];
  for (let y = 110 - h; y < 110; y++) for (let x = x0; x < x0 + 14; x++) set(x, y, colour);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
}
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
fs.writeFileSync(new URL('../images/icon.png', import.meta.url), png);
