import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ConfigProviderProps } from 'antd';
// antd ships no package exports: a namespace import reads the ESM default both under NodeNext types and in Vite.
import * as zhCNModule from 'antd/es/locale/zh_CN.js';
import { ApiError } from './api.js';
import { App } from './App.js';
import { AuthProvider } from './auth.js';
import './styles.css';

type Locale = NonNullable<ConfigProviderProps['locale']>;
// Vite gives the ESM default (the locale); TypeScript types the file as CommonJS (default of default).
const zhCNDefault = zhCNModule.default as unknown as Locale | { default: Locale };
const zhCN: Locale = 'locale' in zhCNDefault ? zhCNDefault : zhCNDefault.default;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx answer (not found, bad parameter) will not change on retry.
      retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
  },
});

/** The sticky header's height (.app-header in styles.css) and a gap: where success and error messages appear. */
const MESSAGE_TOP = 60 + 12;

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      theme={{
        token: {
          colorPrimary: '#1d4e89',
          colorLink: '#1d4e89',
          borderRadius: 4,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      {/* antd's App gives message and modal that follow the theme and locale (App.useApp); messages appear below the
          sticky header (60px high in styles.css), not over its menu */}
      <AntApp component={false} message={{ top: MESSAGE_TOP }}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <App />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
