import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The bundle goes into the service's static files; `npm run build` is run by the .NET build (SpatialApi.csproj).
const outDir = fileURLToPath(new URL('../src/SpatialApi/wwwroot', import.meta.url));

export default defineConfig({
  base: '/',
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a service started with `./eco up`
    proxy: Object.fromEntries(['/api', '/tiles', '/ogc'].map((p) => [p, 'http://127.0.0.1:5080'])),
  },
});
