/** Row keys of SummaryTableView, by position in the table, so that other data (warnings) can point at a row. */

/** The key of a chapter row: `c{chapter index}`. */
export const chapterRowKey = (chapter: number) => `c${chapter}`;

/** The key of an item row: `i{chapter}/{task}/{item}` (indexes in the table, from 0). */
export const itemRowKey = (chapter: number, task: number, item: number) => `i${chapter}/${task}/${item}`;
