import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_EXPORT_WORKERS, loadConfig } from './config.js';
import { defaultPdfFonts } from './documents/pdf-fonts.js';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const BUNDLED_FONT = defaultPdfFonts().regular.at(-1)!.path;

describe('export configuration', () => {
  it('sizes the export pool to the cores, within bounds, by default', () => {
    const config = loadConfig({});
    expect(config.exportWorkers).toBe(DEFAULT_EXPORT_WORKERS);
    expect(DEFAULT_EXPORT_WORKERS).toBe(Math.max(1, Math.min(4, availableParallelism())));
    expect(config).toMatchObject({ exportMaxQueue: 8, exportTimeoutMs: 60_000, exportMaxMemoryMb: 256, pdfFont: null });
  });

  it('reads the pool’s size, queue, deadline and heap', () => {
    const config = loadConfig({
      LUOSHI_EXPORT_WORKERS: '3',
      LUOSHI_EXPORT_MAX_QUEUE: '0',
      LUOSHI_EXPORT_TIMEOUT_MS: '5000',
      LUOSHI_EXPORT_MAX_MEMORY_MB: '512',
    });
    expect(config).toMatchObject({ exportWorkers: 3, exportMaxQueue: 0, exportTimeoutMs: 5000, exportMaxMemoryMb: 512 });
  });

  it('reads LUOSHI_PDF_FONT once, with the face of a collection', () => {
    expect(loadConfig({ LUOSHI_PDF_FONT: BUNDLED_FONT }).pdfFont).toEqual({ path: BUNDLED_FONT });
    // only whether the file is there is checked at start; whether it has Chinese glyphs, at the first PDF
    const collection = join(mkdtempSync(join(tmpdir(), 'luoshi-font-')), 'simsun.ttc');
    writeFileSync(collection, '');
    expect(loadConfig({ LUOSHI_PDF_FONT: collection, LUOSHI_PDF_FONT_FAMILY: ' SimSun ' }).pdfFont).toEqual({
      path: collection,
      family: 'SimSun',
    });
    expect(defaultPdfFonts(loadConfig({ LUOSHI_PDF_FONT: collection, LUOSHI_PDF_FONT_FAMILY: 'SimSun' }).pdfFont).regular[0]).toEqual({
      path: collection,
      family: 'SimSun',
    });
  });

  it('lists every bad export variable together, fonts included', () => {
    const problems = problemsOf({
      LUOSHI_EXPORT_WORKERS: '0',
      LUOSHI_EXPORT_MAX_QUEUE: 'many',
      LUOSHI_EXPORT_MAX_MEMORY_MB: '8',
      LUOSHI_PDF_FONT: '/nonexistent/simsun.ttc',
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^LUOSHI_EXPORT_WORKERS="0": 应为 1–64 之间的整数/);
    expect(problems[1]).toMatch(/^LUOSHI_EXPORT_MAX_QUEUE="many"/);
    expect(problems[2]).toMatch(/^LUOSHI_EXPORT_MAX_MEMORY_MB="8"/);
    expect(problems[3]).toContain('字体文件不存在');
  });

  it('refuses a face without a font, a collection without a face, and a face for a single font', () => {
    expect(problemsOf({ LUOSHI_PDF_FONT_FAMILY: 'SimSun' })).toEqual([
      'LUOSHI_PDF_FONT_FAMILY="SimSun": 只在设置了 LUOSHI_PDF_FONT 时有效',
    ]);
    expect(problemsOf({ LUOSHI_PDF_FONT: BUNDLED_FONT, LUOSHI_PDF_FONT_FAMILY: 'SimSun' })[0]).toContain('是单个字体文件，不能指定字体名');
  });
});
