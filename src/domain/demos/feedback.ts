// Demo (b): sorting customer feedback into billing / shipping / product-quality / account / other —
// 24 messages written for this project, several mentioning two topics (the label is the one the
// customer wants resolved). Scored by "the answer is exactly the category" (case and a final full
// stop ignored). Pure data: no svelte, dexie, DOM, worker or web-llm imports.
import type { RecipeContent } from '../recipes/types.ts';
import { demoSampling, examplesOf, itemsOf, plainRecipe } from './build.ts';
import type { Demo } from './types.ts';

export const FEEDBACK_LABELS = ['billing', 'shipping', 'product-quality', 'account', 'other'] as const;

const TEMPLATE =
	'Sort this customer message into one category.\n\nMessage: {{feedback}}\n\nAnswer with exactly one of: billing, shipping, product-quality, account, other.';

const SYSTEM = [
	'You route customer messages to the right support team.',
	'billing: charges, refunds, invoices, prices, subscriptions and payments.',
	'shipping: delivery times, tracking, couriers, addresses, missing or partial parcels.',
	'product-quality: a product that is faulty, damaged in use, worn out early or not as good as expected.',
	'account: signing in, passwords, two-factor codes, profile details, merging or deleting accounts.',
	'other: anything else (store locations, jobs, compliments, product questions).',
	'When a message mentions several topics, choose the one the customer wants resolved.',
	'Reply with the category only, in lower case, exactly as written above, with no explanation.'
].join('\n');

const engineered: RecipeContent = {
	system: SYSTEM,
	examples: examplesOf(TEMPLATE, [
		[{ feedback: "I was billed for the premium plan but I'm on the basic one." }, 'billing'],
		[{ feedback: "My order was supposed to arrive Monday and it's Thursday with no update." }, 'shipping'],
		[{ feedback: 'The kettle lid will not stay shut and I have only had it a week.' }, 'product-quality'],
		[{ feedback: "The box was a little crushed, but mainly I can't sign in since I changed my phone number." }, 'account']
	]),
	template: TEMPLATE,
	sampling: demoSampling(12),
	variableDefaults: {}
};

export const FEEDBACK_DEMO: Demo = {
	id: 'feedback-routing',
	name: 'Feedback routing',
	description:
		'Sort 24 customer messages into billing, shipping, product-quality, account or other, several of them mentioning two topics.',
	columns: ['feedback'],
	labels: FEEDBACK_LABELS,
	items: itemsOf([
		[{ feedback: 'I was charged twice for order #4821. Please refund one of the payments.' }, 'billing'],
		[{ feedback: 'Why did my subscription renew at $14.99 when I signed up at $9.99?' }, 'billing'],
		[
			{ feedback: 'The package arrived on time, thanks, but the invoice shows the wrong VAT number for my company. Can you reissue it?' },
			'billing'
		],
		[{ feedback: 'My card was declined at checkout but the money still left my account.' }, 'billing'],
		[{ feedback: 'I cancelled last month and you still took a payment today.' }, 'billing'],
		[{ feedback: "Tracking has said 'out for delivery' for four days now." }, 'shipping'],
		[{ feedback: 'The courier left my parcel outside the building in the rain and the box was soaked through.' }, 'shipping'],
		[{ feedback: "Can I change the delivery address? I'm moving before the order arrives." }, 'shipping'],
		[{ feedback: 'I paid for express shipping and it took nine days. Love the shoes though.' }, 'shipping'],
		[{ feedback: 'Half of my order came; the rest is missing and there is no tracking number for it.' }, 'shipping'],
		[{ feedback: 'The handle of the frying pan came loose after a month of normal use.' }, 'product-quality'],
		[{ feedback: 'The stitching on the backpack strap is already unravelling.' }, 'product-quality'],
		[{ feedback: 'Delivery was super quick, but the phone case cracked the first time I dropped my phone.' }, 'product-quality'],
		[{ feedback: 'These vitamin gummies taste different from my last order and smell off.' }, 'product-quality'],
		[{ feedback: 'The monitor has a dead pixel right in the middle of the screen.' }, 'product-quality'],
		[{ feedback: "I can't log in and the password reset email never arrives." }, 'account'],
		[{ feedback: 'Please delete my account and all the data you hold about me.' }, 'account'],
		[{ feedback: "Someone changed the email address on my profile and it wasn't me." }, 'account'],
		[{ feedback: 'How do I merge my two accounts? I have orders on both.' }, 'account'],
		[{ feedback: "Every two-factor code is rejected when I sign in, so I can't even check my refund." }, 'account'],
		[{ feedback: 'Do you have any stores in Lisbon?' }, 'other'],
		[{ feedback: 'Just wanted to say your support team was lovely on the phone yesterday.' }, 'other'],
		[{ feedback: 'Are you hiring warehouse staff for the summer?' }, 'other'],
		[{ feedback: 'Do you plan to sell the rain jacket in petite sizes?' }, 'other']
	]),
	scoring: {
		assertions: [
			{
				type: 'regex',
				value: '/^\\s*{{expected}}\\s*\\.?\\s*$/i',
				label: 'answers with the expected category only'
			}
		]
	},
	plainRecipe: plainRecipe('{{feedback}}', 12),
	engineeredRecipe: engineered
};
