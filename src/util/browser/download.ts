// Saves a Blob as a file the browser downloads (an object URL on a temporary link, revoked soon after).
// DOM only: no svelte, dexie or web-llm imports.

export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
