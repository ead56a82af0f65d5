import type { ReactNode } from 'react';
import { Button, Card, Empty, Result, Skeleton } from 'antd';
import { Link } from 'react-router';
import { ApiError } from '../api.js';

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return '发生未知错误';
}

/**
 * An API error as a page, with the server's message: not found (404) and forbidden (403) get their own result,
 * everything else a retryable error. (401 never shows here: the app goes to the sign-in page.)
 */
export function ErrorState({
  error,
  onRetry,
  actions,
}: {
  error: unknown;
  onRetry?: () => void;
  /** Replaces the default 返回工作任务 link. */
  actions?: ReactNode;
}) {
  const notFound = error instanceof ApiError && error.status === 404;
  const forbidden = error instanceof ApiError && error.status === 403;
  // A request the server refused (4xx) fails the same way again; network and server errors may not.
  const retryable = !(error instanceof ApiError && error.status >= 400 && error.status < 500);
  return (
    <Result
      status={notFound ? '404' : forbidden ? '403' : 'error'}
      title={notFound ? '未找到' : forbidden ? '无权访问' : '加载失败'}
      subTitle={errorMessage(error)}
      extra={[
        onRetry && retryable ? (
          <Button key="retry" type="primary" onClick={onRetry}>
            重试
          </Button>
        ) : null,
        actions ?? (
          <Link key="home" to="/">
            <Button>返回工作任务</Button>
          </Link>
        ),
      ]}
    />
  );
}

export function LoadingState({ rows = 8 }: { rows?: number }) {
  return (
    <Card>
      <Skeleton active title paragraph={{ rows }} />
    </Card>
  );
}

export function EmptyState({ description, children }: { description: ReactNode; children?: ReactNode }) {
  return (
    <Card>
      <Empty description={description}>{children}</Empty>
    </Card>
  );
}
