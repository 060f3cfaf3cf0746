/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The app runs offline inside Tauri under a strict content security policy:
// relative asset paths, no remote assets, no inline scripts, CSS in files.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // Tests also read the shell's command list and capabilities (capabilities.test.ts);
    // the dev server itself serves ui/ only.
    fs: process.env.VITEST ? { allow: [".", "../src-tauri"] } : undefined,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
