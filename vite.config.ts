import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = process.env.LUOSHI_API ?? 'http://127.0.0.1:3000';

// The web UI lives in src/web and is built to dist/web, which the server serves at / (SPA fallback).
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs)[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      // a regular expression, so that the module /api.ts is not sent to the server
      '^/api/': server,
      '/healthz': server,
    },
  },
});
