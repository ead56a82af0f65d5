import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Apart from the PDF writer so that the runtime can name the fonts without loading pdfkit.

/** A font file; `family` names the face inside a collection (.ttc), which holds one face per language. */
export interface PdfFontCandidate {
  path: string;
  family?: string;
}

/** Candidates in order of preference; the first one that opens and has Chinese glyphs is used. */
export interface PdfFontCandidates {
  regular: readonly PdfFontCandidate[];
  /** Without a bold face the regular one is drawn with a thin outline, which reads as bold. */
  bold?: readonly PdfFontCandidate[];
}

/** The same Noto CJK files sit under different folders on Debian/Ubuntu, Fedora and Arch. */
export const SYSTEM_FONT_FOLDERS: readonly string[] = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
];

/**
 * Noto Sans Hans (the Simplified Chinese subset of Noto Sans CJK, OFL-1.1) as OpenType files in the npm package
 * @embedpdf/fonts-sc, so that `npm install` alone gives working PDFs on a machine without fonts-noto-cjk. It is the
 * last resort because the system's full Noto CJK collections cover more rare characters.
 */
function bundledFontFolder(): string | undefined {
  try {
    // the package exports only its index, which sits in dist/ beside fonts/
    return join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  } catch {
    return undefined;
  }
}

/**
 * Order: the configured font (LUOSHI_PDF_FONT, read by src/config.ts), the system's Noto CJK, the font carried by npm.
 * The files are looked for at each export, so that fonts-noto-cjk installed while the server runs is picked up.
 * `systemFolders` is there for tests.
 */
export function defaultPdfFonts(
  configured?: PdfFontCandidate | null,
  systemFolders: readonly string[] = SYSTEM_FONT_FOLDERS,
): PdfFontCandidates {
  const bundled = bundledFontFolder();
  return {
    regular: [
      ...(configured ? [configured.family ? { path: configured.path, family: configured.family } : { path: configured.path }] : []),
      ...systemFolders.map((folder) => ({ path: `${folder}/NotoSansCJK-Regular.ttc`, family: 'NotoSansCJKsc-Regular' })),
      ...(bundled ? [{ path: join(bundled, 'NotoSansHans-Regular.otf') }] : []),
    ],
    bold: [
      ...systemFolders.map((folder) => ({ path: `${folder}/NotoSansCJK-Bold.ttc`, family: 'NotoSansCJKsc-Bold' })),
      ...(bundled ? [{ path: join(bundled, 'NotoSansHans-Bold.otf') }] : []),
    ],
  };
}
