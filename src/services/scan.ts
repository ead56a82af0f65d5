import { spawn } from 'node:child_process';
import { AppError } from '../domain/errors.js';

/**
 * The hook point for virus scanning of evidence files. Without a configured scanner files are stored and marked
 * 未扫描; with one, an infected file is refused and a scanner that fails refuses the upload rather than letting an
 * unscanned file through as if it had been checked.
 */
export type ScanResult = 'clean' | 'not_scanned';
export type FileScanner = (bytes: Uint8Array, fileName: string) => Promise<ScanResult>;

export const noScanner: FileScanner = async () => 'not_scanned';

/** Runs the command with the file on standard input: exit 0 is clean, 1 infected, anything else a failure. */
export function commandScanner(command: readonly string[], timeoutMs = 60_000): FileScanner {
  return (bytes, fileName) =>
    new Promise((resolve, reject) => {
      const [program, ...args] = command;
      const child = spawn(program!, args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: timeoutMs });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-2000);
      });
      child.on('error', (error) => reject(new AppError(503, 'scan_failed', `病毒扫描程序无法运行（${error.message}），文件未保存。`)));
      child.on('close', (code) => {
        if (code === 0) resolve('clean');
        else if (code === 1) reject(new AppError(422, 'file_infected', `文件“${fileName}”未通过病毒扫描，已拒收。`));
        else
          reject(
            new AppError(
              503,
              'scan_failed',
              `病毒扫描失败（退出码 ${code}${stderr ? `：${stderr.trim().split('\n').pop()}` : ''}），文件未保存。`,
            ),
          );
      });
      // a scanner that stops reading early (it found something) closes the pipe: that is not our error
      child.stdin.on('error', () => {});
      child.stdin.end(Buffer.from(bytes));
    });
}
