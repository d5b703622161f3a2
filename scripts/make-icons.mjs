// Writes the app icons (public/icon-192.png, icon-512.png, icon-maskable-512.png) as PNGs using
// only node:zlib: a blue tile with a white "T" and a slider bar ("tune"). Run: node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const BG = [0x24, 0x57, 0xd6];
const FG = [0xff, 0xff, 0xff];

function crc32(buf) {
	let c = ~0;
	for (const b of buf) {
		c ^= b;
		for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
	}
	return ~c >>> 0;
}

function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/** size×size RGBA; `inset` is the fraction kept clear around the glyph; `rounded` cuts the corners. */
function icon(size, { inset, rounded }) {
	const rows = [];
	const r = size * 0.18;
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 4);
		for (let x = 0; x < size; x++) {
			const u = (x + 0.5) / size;
			const v = (y + 0.5) / size;
			// Glyph space: the inner (1 - 2*inset) square mapped to 0..1.
			const gx = (u - inset) / (1 - 2 * inset);
			const gy = (v - inset) / (1 - 2 * inset);
			const bar = gy > 0.12 && gy < 0.26 && gx > 0.12 && gx < 0.88;
			const stem = gx > 0.43 && gx < 0.57 && gy >= 0.26 && gy < 0.7;
			const slider = gy > 0.78 && gy < 0.84 && gx > 0.12 && gx < 0.88;
			const knob = (gx - 0.66) ** 2 + (gy - 0.81) ** 2 < 0.07 ** 2;
			let alpha = 255;
			if (rounded) {
				const cx = Math.min(x + 0.5, size - x - 0.5);
				const cy = Math.min(y + 0.5, size - y - 0.5);
				if (cx < r && cy < r && (r - cx) ** 2 + (r - cy) ** 2 > r * r) alpha = 0;
			}
			const c = bar || stem || slider || knob ? FG : BG;
			row.set([c[0], c[1], c[2], alpha], 1 + x * 4);
		}
		rows.push(row);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
	const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync('public/icon-192.png', icon(192, { inset: 0.14, rounded: true }));
writeFileSync('public/icon-512.png', icon(512, { inset: 0.14, rounded: true }));
// Maskable: full-bleed background, glyph inside the 80 % safe zone.
writeFileSync('public/icon-maskable-512.png', icon(512, { inset: 0.24, rounded: false }));
writeFileSync('public/apple-touch-icon.png', icon(180, { inset: 0.14, rounded: false }));
console.log('icons written to public/');
