import { defineConfig } from 'vite';

// The console page, served by the local cloud at /_local/console/ (src/console/local-console.ts). Everything is
// bundled: the page loads nothing from the network, so it works offline and its CSP allows only 'self'.
export default defineConfig({
  root: import.meta.dirname,
  base: '/_local/console/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the page's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
