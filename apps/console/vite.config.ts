import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console's build: `apps/console` → `dist/console` (CONSOLE_OUT_DIR overrides; scripts/console-build.ts
 * runs it), served by the gateway under `/console/`. Hashed file names under `assets/` (cached for a
 * year), no inline script (the CSP has no 'unsafe-inline' for scripts), no source of the server bundled:
 * the API types are imported type-only.
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything as files: an inlined data: URL of a script would need a CSP exception.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
});
