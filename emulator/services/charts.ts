/** Charts fake: only the `Charts.ChartType` enum, which `EmbeddedChartBuilder.setChartType` takes. */
import type { Execution } from '../core';
import { strict } from '../core';
import { CHART_TYPES } from '../spreadsheet/charts';

/** The `Charts` global of one execution. A member that does not exist throws `not implemented`. */
export function makeCharts(exec: Execution): GoogleAppsScript.Charts.Charts {
  const chartType: Record<string, string> = {};
  for (const t of CHART_TYPES) chartType[t] = t;
  return strict(exec, 'Charts', 'Charts', {
    ChartType: strict(exec, 'Charts', 'ChartType', Object.freeze(chartType)),
  }) as unknown as GoogleAppsScript.Charts.Charts;
}
