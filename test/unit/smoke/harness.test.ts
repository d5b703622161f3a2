import { expect, test } from 'vitest';
test('node layer runs', () => expect(1 + 1).toBe(2));
