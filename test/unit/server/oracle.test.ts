// Covers the test server's deterministic task model (test/server/oracle.ts): FNV-1a 32 against the
// published FNV test vectors, the keyword gold label (case-insensitive, whole words, positive first),
// and oracleAnswer's skill/difficulty rule on hand-computed cases.
import { describe, expect, test } from 'vitest';
import { fnv1a32, keywordLabel, oracleAnswer } from '../../server/oracle.ts';

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

// Published FNV-1a 32-bit test vectors (Landon Curt Noll's FNV test suite).
const FNV_A = 0xe40c292c;
const FNV_FOOBAR = 0xbf9cf968;

describe('fnv1a32', () => {
	test.each([
		['', 0x811c9dc5],
		['a', FNV_A],
		['foobar', FNV_FOOBAR]
	])('fnv1a32(%j) is the published vector', (text, expected) => {
		expect(fnv1a32(text)).toBe(expected);
	});

	test('hashes UTF-8 bytes: "é" (0xc3 0xa9) differs from the one byte 0xe9', () => {
		// By hand: h = (0x811c9dc5 ^ b) * 16777619 mod 2^32, once per byte.
		const step = (h: number, b: number) => Number((BigInt((h ^ b) >>> 0) * 16777619n) % 2n ** 32n);
		expect(fnv1a32('é')).toBe(step(step(0x811c9dc5, 0xc3), 0xa9));
	});
});

describe('keywordLabel', () => {
	test.each([
		['This is GOOD', 'positive'],
		['I love it', 'positive'],
		['bad start but a perfect ending', 'positive'],
		['It arrived broken.', 'negative'],
		['I want a refund', 'negative'],
		['greatest hits, badly mixed', 'neutral'],
		['it is a table', 'neutral'],
		['', 'neutral']
	])('%j is %s', (text, label) => expect(keywordLabel(text)).toBe(label));
});

describe('oracleAnswer', () => {
	// "a": gold neutral; difficulty = (0xe40c292c mod 100) / 100 = 3826002220 mod 100 / 100 = 0.20.
	test('the published vector gives "a" a difficulty of 0.20', () => {
		expect(FNV_A % 100).toBe(20);
	});

	test('a skill at the difficulty is not enough: answers the next label (neutral → positive)', () => {
		expect(oracleAnswer([user('a')], 0.2)).toBe('positive');
	});

	test('a skill above the difficulty answers the gold label', () => {
		expect(oracleAnswer([user('a')], 0.21)).toBe('neutral');
	});

	test('one few-shot example adds 0.25 skill: the bare base (strength 0) then gets "a" right', () => {
		expect(oracleAnswer([user('b'), assistant('neutral'), user('a')], 0)).toBe('neutral');
		expect(oracleAnswer([user('a')], 0)).toBe('positive');
	});

	test('"foobar" (0xbf9cf968 mod 100 = 20 → 0.20) with two examples (skill 0.5) is right', () => {
		expect(FNV_FOOBAR % 100).toBe(20);
		const msgs = [user('x'), assistant('neutral'), user('y'), assistant('neutral'), user('foobar')];
		expect(oracleAnswer(msgs, 0)).toBe('neutral');
		expect(oracleAnswer([user('foobar')], 0.1)).toBe('positive');
	});

	test('strength 0 without examples is always wrong: positive → negative → neutral → positive', () => {
		expect(oracleAnswer([user('I love it')], 0)).toBe('negative');
		expect(oracleAnswer([user('It arrived broken')], 0)).toBe('neutral');
		expect(oracleAnswer([user('a table')], 0)).toBe('positive');
	});

	test('full strength, or four examples (capped at 4), always answers the gold label', () => {
		expect(oracleAnswer([user('It arrived broken')], 1)).toBe('negative');
		const four = [1, 2, 3, 4].flatMap((i) => [user(`q${i}`), assistant('neutral')]);
		expect(oracleAnswer([...four, user('I love it')], 0)).toBe('positive');
		expect(oracleAnswer([...four, ...four, user('I love it')], 0)).toBe('positive');
	});

	test('only assistant messages before the last user message count as examples', () => {
		// system + 1 example before the last user message; the trailing assistant message does not count.
		const msgs = [
			{ role: 'system', content: 'Label the sentiment.' },
			user('good'),
			assistant('positive'),
			user('a'),
			assistant('ignored')
		];
		expect(oracleAnswer(msgs, 0)).toBe('neutral'); // skill 0.25 > difficulty 0.20
		// No examples before the last user message: skill 0.
		expect(oracleAnswer([user('a'), assistant('x'), assistant('y')], 0)).toBe('positive');
	});
});
