// The fonts of every Word document luoshi writes: the summary table (docx.ts) and the official documents
// (notice.ts, bulletin.ts) use the same three and need the same fallbacks.

export const FONT_TITLE = '方正小标宋简体';
export const FONT_HEADING = '黑体';
export const FONT_BODY = '仿宋_GB2312';

/**
 * Word substitutes a missing font by what the font table says about it (w:altName first, then charset and family),
 * and a run can name only one font, so the fallbacks live here: machines without the 方正 and _GB2312 fonts (most
 * machines outside government offices) then show 宋体 / 仿宋 instead of an arbitrary Latin font.
 */
const FONT_TABLE = [
  { name: FONT_TITLE, altName: '宋体', panose: '02000000000000000000', family: 'script' },
  { name: FONT_HEADING, altName: 'SimHei', panose: '02010609060101010101', family: 'modern' },
  { name: FONT_BODY, altName: '仿宋', panose: '02010609030101010101', family: 'modern' },
  { name: '仿宋', altName: 'FangSong', panose: '02010609060101010101', family: 'modern' },
  { name: '宋体', altName: 'SimSun', panose: '02010600030101010101', family: 'auto' },
];

/** A run's font for every script, so that Chinese, Latin and digits print in the same face. */
export const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

/** word/fontTable.xml with the fallbacks; docx writes entries only for embedded fonts, so this replaces its own. */
export function fontTableXml(): string {
  const fonts = FONT_TABLE.map(
    ({ name, altName, panose, family }) =>
      `<w:font w:name="${name}"><w:altName w:val="${altName}"/><w:panose1 w:val="${panose}"/><w:charset w:val="86"/>` +
      `<w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    fonts +
    '</w:fonts>'
  );
}
