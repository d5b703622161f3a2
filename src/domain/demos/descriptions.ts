// Demo (c): one-sentence product descriptions from a name and a feature list — 16 products written
// for this project, each with a reference sentence. Scored by length bounds (one sentence, 40–220
// characters) and no "As an AI" boilerplate, which decide the pass, plus ROUGE-L against the
// reference, weighted low so that it moves the score but not the pass.
// Pure data: no svelte, dexie, DOM, worker or web-llm imports.
import type { RecipeContent } from '../recipes/types.ts';
import { demoSampling, examplesOf, itemsOf, plainRecipe } from './build.ts';
import type { Demo } from './types.ts';

/** Length bounds of an acceptable description, in characters. */
export const DESCRIPTION_LENGTH = { min: 40, max: 220 } as const;

const TEMPLATE =
	'Write a product description.\n\nProduct: {{product}}\nFeatures: {{features}}\n\nWrite exactly one sentence of at most 30 words that names the product and mentions its most useful features.';

const SYSTEM = [
	'You write short product descriptions for an online shop.',
	'Write one sentence in plain, friendly English that starts with "The" followed by the exact product name.',
	'Mention the two or three features a shopper cares about most, turning specifications into benefits.',
	'Do not invent features, prices or claims that are not in the list.',
	'Reply with the sentence only: no heading, no quotation marks, no bullet points and no remarks about yourself.'
].join('\n');

const engineered: RecipeContent = {
	system: SYSTEM,
	examples: examplesOf(TEMPLATE, [
		[
			{ product: 'Vela Ceramic Mug', features: '350 ml, double-walled, dishwasher-safe' },
			'The Vela Ceramic Mug holds 350 ml in a double-walled body that keeps drinks warm and goes straight into the dishwasher.'
		],
		[
			{ product: 'Ridge Hiking Poles', features: 'carbon fibre, cork grips, collapse to 60 cm' },
			'The Ridge Hiking Poles combine light carbon fibre shafts with comfortable cork grips and collapse to 60 cm to fit in your pack.'
		],
		[
			{ product: 'Spark Portable Charger', features: '10,000 mAh, two USB-C ports, pocket-sized' },
			'The Spark Portable Charger packs 10,000 mAh and two USB-C ports into a pocket-sized case, so two devices can top up at once.'
		]
	]),
	template: TEMPLATE,
	sampling: demoSampling(80),
	variableDefaults: {}
};

export const DESCRIPTIONS_DEMO: Demo = {
	id: 'product-descriptions',
	name: 'Product descriptions',
	description:
		'Write a one-sentence description for 16 products from their name and features, checked for length, no "As an AI" boilerplate and closeness to a reference sentence.',
	columns: ['product', 'features'],
	items: itemsOf([
		[
			{ product: 'Aurora Desk Lamp', features: 'LED, 3 brightness levels, USB-C charging port, aluminium arm' },
			'The Aurora Desk Lamp pairs an adjustable aluminium arm with three LED brightness levels and a built-in USB-C port for charging your phone.'
		],
		[
			{ product: 'TrailMate 25L Backpack', features: 'water-resistant nylon, padded laptop sleeve, hip belt, 900 g' },
			'The TrailMate 25L Backpack keeps your gear dry in water-resistant nylon, protects your laptop in a padded sleeve and carries comfortably on its hip belt.'
		],
		[
			{ product: 'Nimbus Wireless Earbuds', features: 'active noise cancellation, 30-hour battery with case, IPX4 sweat resistance' },
			'The Nimbus Wireless Earbuds block out noise with active cancellation, last 30 hours with their case and shrug off sweat thanks to IPX4 resistance.'
		],
		[
			{ product: 'Hearthstone Cast-Iron Skillet', features: '26 cm, pre-seasoned, oven-safe to 260 °C, works on induction' },
			'The Hearthstone Cast-Iron Skillet comes pre-seasoned in a 26 cm size that works on induction hobs and goes into the oven up to 260 °C.'
		],
		[
			{ product: 'Pebble Smart Thermostat', features: 'learns your schedule, app control, works with most 24 V systems' },
			'The Pebble Smart Thermostat learns your daily schedule and lets you adjust the heating from an app, fitting most 24 V systems.'
		],
		[
			{ product: 'Zephyr Folding Bike', features: '7 speeds, folds in 15 seconds, 12 kg aluminium frame' },
			'The Zephyr Folding Bike folds in 15 seconds, weighs just 12 kg thanks to its aluminium frame and gives you seven speeds for city hills.'
		],
		[
			{ product: 'Lumen Reading Glasses', features: 'blue-light filter, flexible hinges, strengths +1.0 to +3.0' },
			'The Lumen Reading Glasses filter blue light, flex comfortably at the hinges and come in strengths from +1.0 to +3.0.'
		],
		[
			{ product: 'Orchard Glass Water Bottle', features: '750 ml, borosilicate glass, silicone sleeve, leak-proof bamboo lid' },
			'The Orchard Glass Water Bottle holds 750 ml in borosilicate glass wrapped in a protective silicone sleeve and seals with a leak-proof bamboo lid.'
		],
		[
			{ product: 'Summit Insulated Jacket', features: 'recycled synthetic insulation, packs into its own pocket, rated to -10 °C' },
			'The Summit Insulated Jacket keeps you warm down to -10 °C with recycled synthetic insulation and packs into its own pocket when the sun comes out.'
		],
		[
			{ product: 'Cadence Jump Rope', features: 'ball-bearing handles, adjustable steel cable, digital counter' },
			'The Cadence Jump Rope spins smoothly on ball-bearing handles, adjusts to your height with its steel cable and counts every jump on a digital display.'
		],
		[
			{ product: 'Harbor Linen Bedsheet Set', features: '100% stone-washed linen, queen size, 4 pieces' },
			'The Harbor Linen Bedsheet Set brings four pieces of soft, stone-washed 100% linen to your queen-size bed.'
		],
		[
			{ product: 'Quill Fountain Pen', features: 'fine steel nib, brass body, refillable converter included' },
			'The Quill Fountain Pen writes smoothly with a fine steel nib, feels weighty in its brass body and comes with a converter for bottled ink.'
		],
		[
			{ product: 'PawPal Automatic Pet Feeder', features: 'programmable portions, 4 L hopper, voice recording, battery backup' },
			'The PawPal Automatic Pet Feeder serves programmed portions from a 4 L hopper, calls your pet with your recorded voice and keeps going on battery backup.'
		],
		[
			{ product: "Mosaic Kids' Building Blocks", features: '120 pieces, BPA-free plastic, ages 3+, storage tub' },
			"The Mosaic Kids' Building Blocks set gives children aged 3 and up 120 BPA-free pieces that tidy away into their own storage tub."
		],
		[
			{ product: 'Drift Memory-Foam Pillow', features: 'cooling gel layer, removable washable cover, medium firmness' },
			'The Drift Memory-Foam Pillow offers medium-firm support with a cooling gel layer and a removable cover you can throw in the wash.'
		],
		[
			{ product: 'Solace Noise Machine', features: '20 sounds, night light, sleep timer, headphone jack' },
			'The Solace Noise Machine helps you drift off with 20 soothing sounds, a soft night light, a sleep timer and a headphone jack for private listening.'
		]
	]),
	scoring: {
		assertions: [
			{ type: 'length', min: DESCRIPTION_LENGTH.min, max: DESCRIPTION_LENGTH.max, label: 'one sentence (40–220 characters)' },
			{ type: 'not-icontains', value: 'As an AI', label: 'no "As an AI" boilerplate' },
			{ type: 'rouge-l', threshold: 0.3, weight: 0.5, label: 'close to the reference wording (ROUGE-L ≥ 0.3)' }
		],
		// weights 1 + 1 + 0.5: both hard checks passing give ≥ 2 / 2.5 = 0.8, one failing gives ≤ 1.5 / 2.5 = 0.6
		passThreshold: 0.8
	},
	plainRecipe: plainRecipe('{{product}}\n{{features}}', 80),
	engineeredRecipe: engineered
};
