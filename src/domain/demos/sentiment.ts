// Demo (a): sentiment of product reviews — positive / negative / neutral, 24 reviews written for this
// project, with hard cases (sarcasm, negation, mixed reviews with and without an overall verdict,
// questions and plain facts). Scored by "the answer is exactly the label" (case and a final full stop
// ignored). Pure data: no svelte, dexie, DOM, worker or web-llm imports.
import type { RecipeContent } from '../recipes/types.ts';
import { demoSampling, examplesOf, itemsOf, plainRecipe } from './build.ts';
import type { Demo } from './types.ts';

export const SENTIMENT_LABELS = ['positive', 'negative', 'neutral'] as const;

const TEMPLATE =
	'Classify the sentiment of this product review.\n\nReview: {{review}}\n\nAnswer with exactly one word: positive, negative or neutral.';

const SYSTEM = [
	'You label the sentiment of customer product reviews.',
	'positive: the reviewer is satisfied overall, even if they mention small drawbacks.',
	'negative: the reviewer is dissatisfied overall. Sarcastic praise ("Oh great, it broke again") is negative.',
	'neutral: the review states facts, asks a question, has no opinion yet, or weighs good and bad evenly without an overall verdict.',
	'Reply with the label only, in lower case, with no punctuation and no explanation.'
].join('\n');

const engineered: RecipeContent = {
	system: SYSTEM,
	examples: examplesOf(TEMPLATE, [
		[{ review: 'The cutting board warped after two weeks of normal use. Disappointed.' }, 'negative'],
		[{ review: 'Solid little speaker, surprisingly loud, and the strap is handy on hikes.' }, 'positive'],
		[{ review: 'Oh sure, I love waiting three weeks for a package that arrives broken.' }, 'negative'],
		[{ review: 'The pan is 28 cm wide and weighs about 1.2 kg.' }, 'neutral']
	]),
	template: TEMPLATE,
	sampling: demoSampling(8),
	variableDefaults: {}
};

export const SENTIMENT_DEMO: Demo = {
	id: 'review-sentiment',
	name: 'Review sentiment',
	description:
		'Label 24 product reviews as positive, negative or neutral, including sarcasm and mixed reviews: does a plain prompt to a tuned model match a carefully engineered prompt to the base model?',
	columns: ['review'],
	labels: SENTIMENT_LABELS,
	items: itemsOf([
		[
			{ review: 'Arrived two days early and the blender crushes ice like nothing. I have made a smoothie every morning this week.' },
			'positive'
		],
		[{ review: "I was skeptical about a $15 phone stand, but it's sturdy and the hinge hasn't loosened after months." }, 'positive'],
		[{ review: 'The battery life is not bad at all — it easily gets me through a full workday.' }, 'positive'],
		[{ review: "A bit pricey, and the box was dented, but the headphones themselves sound fantastic and I'd buy them again." }, 'positive'],
		[
			{ review: "My daughter hasn't put this puzzle down since her birthday. The pieces are thick and the picture is gorgeous." },
			'positive'
		],
		[
			{ review: 'Replaced my old kettle with this one. Boils faster, quieter, and the auto shut-off actually works. No complaints.' },
			'positive'
		],
		[{ review: 'Five stars. Does exactly what it says.' }, 'positive'],
		[{ review: "I can't believe I waited so long to buy a proper chef's knife. It slices tomatoes paper thin." }, 'positive'],
		[{ review: 'Oh great, another charger that stops working after a week. Really impressed.' }, 'negative'],
		[{ review: 'The zipper broke the first time I closed the suitcase. Returned it.' }, 'negative'],
		[{ review: 'Looks nice in the photos, but the fabric is thin and scratchy and it shrank after one wash.' }, 'negative'],
		[
			{
				review:
					"Customer support was friendly, I'll give them that, but the vacuum still loses suction after ten minutes, even the replacement."
			},
			'negative'
		],
		[{ review: "Wow, a 'waterproof' watch that fogged up in the shower. Genius design." }, 'negative'],
		[{ review: "Not worth half the price. The lid doesn't seal, so everything in my bag smells like soup." }, 'negative'],
		[{ review: 'Stopped pairing with my laptop after the latest update, and the app just crashes when I open it.' }, 'negative'],
		[{ review: 'I wanted to love this lamp. I really did. But the flicker gives me a headache within an hour.' }, 'negative'],
		[{ review: 'Received the item. It is the blue version, 30 cm tall, as listed.' }, 'neutral'],
		[{ review: "It's a USB cable. It charges my phone. Nothing more to say." }, 'neutral'],
		[{ review: 'The screen is brilliant but the speakers are tinny; for the price it balances out.' }, 'neutral'],
		[{ review: "Haven't used it yet, it's a gift for my brother's birthday next month." }, 'neutral'],
		[{ review: 'Comes in a cardboard box with the manual in four languages. Assembly took about 40 minutes.' }, 'neutral'],
		[{ review: "Some of my friends love this coffee, others find it too bitter. I'm somewhere in the middle." }, 'neutral'],
		[{ review: "Does anyone know if this fits the 2019 model? The description doesn't say." }, 'neutral'],
		[{ review: 'Works as described. Setup was neither easy nor hard.' }, 'neutral']
	]),
	scoring: {
		assertions: [
			{
				type: 'regex',
				value: '/^\\s*{{expected}}\\s*\\.?\\s*$/i',
				label: 'answers with the expected label only'
			}
		]
	},
	plainRecipe: plainRecipe('{{review}}', 8),
	engineeredRecipe: engineered
};
