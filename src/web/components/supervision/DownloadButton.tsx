import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';

/** A document download: a plain link, so the browser saves the file under the name the server gives it. */
export function DownloadButton({ href, label }: { href: string; label: string }) {
  return (
    <a href={href} download>
      <Button icon={<DownloadOutlined />}>{label}</Button>
    </a>
  );
}
