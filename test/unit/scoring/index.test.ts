// The scoring module's public surface, as other modules import it.
import { describe, expect, it } from 'vitest';
import * as scoring from '../../../src/domain/scoring/index.ts';

describe('src/domain/scoring/index.ts', () => {
	it('exports scoreOutput, validateScoringSpec, rougeL, normalizedLevenshtein and the assertion types', () => {
		expect(typeof scoring.scoreOutput).toBe('function');
		expect(typeof scoring.validateScoringSpec).toBe('function');
		expect(scoring.rougeL('police kill the gunman', 'police killed the gunman')).toBeCloseTo(0.75, 12);
		expect(scoring.normalizedLevenshtein('kitten', 'sitting')).toBeCloseTo(3 / 7, 12);
		expect(scoring.BASE_ASSERTION_TYPES).toContain('rouge-l');
	});

	it('scores a validated spec end to end', () => {
		const { spec, errors } = scoring.validateScoringSpec({ assertions: [{ type: 'icontains', value: '{{expected}}' }] });
		expect(errors).toEqual([]);
		expect(scoring.scoreOutput('Answer: PARIS', 'Paris', spec)).toMatchObject({ pass: true, score: 1 });
	});
});
