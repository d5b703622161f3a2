// Page entry: mounts the app and, in production builds only, registers the service worker
// (vite-plugin-pwa, generateSW) so the app opens offline after one online visit.
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
	void import('workbox-window').then(({ Workbox }) => new Workbox('/sw.js').register());
}
