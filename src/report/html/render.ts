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

/** Render every page of a run's report (pure: the caller writes the files). */
export function renderHtmlReport(record: RunRecord): ReportFile[] {
  const pages = scenarioPageNames(record.scenarios);
  return [
    { name: 'index.html', content: renderIndexPage(record, pages) },
    ...record.scenarios.map((run, index) => ({ name: pages[index]!, content: renderScenarioPage(record, run) })),
  ];
}
