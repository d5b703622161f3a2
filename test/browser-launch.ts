// Shared by Vitest browser mode and Playwright: Debian's Chromium with SwiftShader WebGPU.
// CHROMIUM_PATH overrides the binary for people on other systems.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_LAUNCH = {
	executablePath: CHROMIUM_PATH,
	// No bare --enable-features here: Chromium keeps only the last one (see shared toolchain notes).
	args: [
		'--enable-unsafe-webgpu',
		'--no-sandbox',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
};
