import { defineConfig } from "vite";

// Served by the API under /explorer/, so every asset URL carries that prefix.
export default defineConfig({
  base: "/explorer/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // cytoscape alone is ~400 kB minified; one bundle keeps the page a single offline load
    chunkSizeWarningLimit: 1200,
  },
});
