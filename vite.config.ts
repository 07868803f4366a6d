import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The renderer builds to dist/renderer, served by `distlab serve` and loaded by Electron.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [vue()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
