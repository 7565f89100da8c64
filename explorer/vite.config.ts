import { defineConfig } from "vite";

// Served by the API under /explorer/, so every asset URL carries that prefix. The build is
// package data: it goes into the Python package, so a built wheel carries it.
export default defineConfig({
  base: "/explorer/",
  build: {
    outDir: "../graph_api/static/explorer",
    emptyOutDir: true,
    // cytoscape alone is ~400 kB minified; one bundle keeps the page a single offline load
    chunkSizeWarningLimit: 1200,
  },
});
