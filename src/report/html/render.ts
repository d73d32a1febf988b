/** The HTML report of a run as files: index.html first, then one page per scenario run. */
import type { RunRecord } from '../../record/run-record.ts';
import { scenarioPageNames } from './format.ts';
import { renderIndexPage } from './index-page.ts';
import { renderScenarioPage } from './scenario-page.ts';

export interface ReportFile {
  /** file name inside the run folder */
  name: string;
  content: string;
}

/** Render every page of a run's report, one at a time as they are taken (pure: the caller writes the files, and may stop between pages). */
export function* renderHtmlReport(record: RunRecord): Generator<ReportFile> {
  const pages = scenarioPageNames(record.scenarios);
  yield { name: 'index.html', content: renderIndexPage(record, pages) };
  for (const [index, run] of record.scenarios.entries()) yield { name: pages[index]!, content: renderScenarioPage(record, run) };
}
