/** Embedded charts of the Sheets fake: builder, insert / update / remove, the stored model, the Charts global. */
import { AppsScript } from '../runtime';
import { fakeExecution } from './execution';
import { SpreadsheetStore, makeSpreadsheetApp } from '../spreadsheet';
import { makeCharts } from '../services/charts';

function setup() {
  const store = new SpreadsheetStore();
  const { exec, realm } = fakeExecution();
  const app = makeSpreadsheetApp(store, exec);
  const Charts = makeCharts(exec);
  const ss = app.getActiveSpreadsheet();
  const sheet = ss.getSheets()[0];
  return { store, exec, realm, app, Charts, ss, sheet, data: store.active.sheet('Feuille 1') };
}

describe('EmbeddedChartBuilder', () => {
  test('builds, inserts and stores a chart with its type, ranges, position, options and headers', () => {
    const { Charts, sheet, data, exec } = setup();
    const chart = sheet
      .newChart()
      .setChartType(Charts.ChartType.LINE)
      .addRange(sheet.getRange('A1:C31'))
      .addRange(sheet.getRange('A1:C31')) // added once
      .setPosition(2, 6, 10, 5)
      .setOption('title', 'Leads')
      .setNumHeaders(1)
      .build();
    expect(chart.getChartId()).toBeNull(); // not on the sheet yet
    expect(data.charts).toHaveLength(0);
    sheet.insertChart(chart);
    expect(chart.getChartId()).toEqual(expect.any(Number));
    expect(data.chartList).toEqual([
      expect.objectContaining({ type: 'LINE', a1: ['A1:C31'], position: { row: 2, col: 6, offsetX: 10, offsetY: 5 }, options: { title: 'Leads' }, numHeaders: 1 }),
    ]);
    const [stored] = sheet.getCharts();
    expect(stored.getChartId()).toBe(chart.getChartId());
    expect(stored.getRanges().map((r) => r.getA1Notation())).toEqual(['A1:C31']);
    expect(stored.getOptions().get('title')).toBe('Leads');
    expect(stored.getOptions().get('colors')).toBeNull();
    expect(stored.getNumHeaders()).toBe(1);
    const info = stored.getContainerInfo();
    expect([info.getAnchorRow(), info.getAnchorColumn(), info.getOffsetX(), info.getOffsetY()]).toEqual([2, 6, 10, 5]);
    expect(exec.calls.count('Sheets', ['Sheet.newChart', 'Sheet.insertChart', 'EmbeddedChartBuilder.build'])).toBe(3);
    expect(exec.calls.count('Charts')).toBe(0); // reading an enum member is not a call
  });

  test('a range of another sheet is kept with its sheet; the builder reads back its state', () => {
    const { Charts, ss, sheet, data } = setup();
    const other = ss.insertSheet('Data');
    const b = sheet.newChart().setChartType(Charts.ChartType.COLUMN).addRange(other.getRange('A1:B5'));
    expect(b.getChartType()).toBe('COLUMN');
    expect(b.getRanges().map((r) => `${r.getSheet().getName()}!${r.getA1Notation()}`)).toEqual(['Data!A1:B5']);
    expect(b.getContainer().getAnchorRow()).toBe(1);
    sheet.insertChart(b.removeRange(other.getRange('A1:B5')).addRange(other.getRange('A1:A5')).build());
    expect(data.chartList[0].a1).toEqual(['Data!A1:A5']);
    expect(data.chartList[0].numHeaders).toBe(-1);
  });

  test('modify() + updateChart changes the stored chart, nothing changes before updateChart', () => {
    const { Charts, sheet, data } = setup();
    sheet.insertChart(sheet.newChart().setChartType(Charts.ChartType.GAUGE).addRange(sheet.getRange('A3:B3')).setOption('max', 50).build());
    const [chart] = sheet.getCharts();
    const rebuilt = chart.modify().setOption('max', 80).clearRanges().addRange(sheet.getRange('A4:B4')).build();
    expect(data.charts[0].options).toEqual({ max: 50 });
    sheet.updateChart(rebuilt);
    expect(data.chartList).toEqual([expect.objectContaining({ chartId: chart.getChartId(), type: 'GAUGE', a1: ['A4:B4'], options: { max: 80 } })]);
    expect(sheet.getCharts()).toHaveLength(1);
  });

  test('removeChart removes it; updating or removing a chart that is not on the sheet throws', () => {
    const { Charts, sheet, data } = setup();
    const built = sheet.newChart().setChartType(Charts.ChartType.PIE).addRange(sheet.getRange('A1:B3')).build();
    expect(() => sheet.updateChart(built)).toThrow('The chart does not exist on this sheet.');
    sheet.insertChart(built);
    sheet.removeChart(sheet.getCharts()[0]);
    expect(data.charts).toEqual([]);
    expect(() => sheet.removeChart(built)).toThrow('The chart does not exist on this sheet.');
    expect(() => sheet.insertChart({} as GoogleAppsScript.Spreadsheet.EmbeddedChart)).toThrow(/don't match the method signature/);
  });

  test('strictness: unknown chart types, missing type, bad positions and unimplemented methods throw', () => {
    const { Charts, sheet } = setup();
    expect(() => (Charts.ChartType as unknown as Record<string, unknown>).DONUT).toThrow('not implemented: ChartType.DONUT');
    expect(() => sheet.newChart().setChartType('DONUT' as unknown as GoogleAppsScript.Charts.ChartType)).toThrow(/don't match the method signature/);
    expect(() => sheet.newChart().addRange(sheet.getRange('A1')).build()).toThrow(/setChartType/);
    expect(() => sheet.newChart().setPosition(0, 1, 0, 0)).toThrow('outside the dimensions');
    expect(() => sheet.newChart().asLineChart()).toThrow('not implemented: EmbeddedChartBuilder.asLineChart');
    for (const t of ['AREA', 'BAR', 'COLUMN', 'LINE', 'PIE', 'SCATTER', 'TABLE', 'GAUGE']) expect((Charts.ChartType as unknown as Record<string, string>)[t]).toBe(t);
  });

  test('a copied spreadsheet keeps its charts, pointing at its own sheets', () => {
    const { Charts, ss, sheet, store } = setup();
    sheet.insertChart(sheet.newChart().setChartType(Charts.ChartType.BAR).addRange(sheet.getRange('A1:B2')).build());
    const copy = store.get(ss.copy('Copie').getId())!;
    const c = copy.sheet('Feuille 1');
    expect(c.chartList[0].a1).toEqual(['A1:B2']);
    expect(c.charts[0].ranges[0].sheet).toBe(c);
  });
});

describe('Charts global in a script', () => {
  test('a script builds a chart with Charts.ChartType and the call is counted', () => {
    const gas = new AppsScript({
      bundle: `function make() {
        var sh = SpreadsheetApp.getActiveSheet();
        sh.getRange('A1:B3').setValues([['k', 'v'], ['a', 1], ['b', 2]]);
        sh.insertChart(sh.newChart().setChartType(Charts.ChartType.PIE).addRange(sh.getRange('A1:B3')).setOption('title', 'T').build());
        return sh.getCharts().map(function (c) { return c.getOptions().get('title'); });
      }`,
    });
    const r = gas.runDetailed('make');
    expect(r.result).toEqual(['T']);
    expect(r.calls.count('Sheets', ['Sheet.insertChart'])).toBe(1);
    expect(gas.spreadsheet.active.sheet('Feuille 1').chartList[0]).toMatchObject({ type: 'PIE', a1: ['A1:B3'] });
  });
});
