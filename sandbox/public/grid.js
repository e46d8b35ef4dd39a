// The grid of the Sheet page: one tab drawn as Sheets shows it (formats, widths, frozen header,
// dropdowns and checkboxes, conditional colours, the basic filter, charts drawn with Chart.js), and
// what a person does in it: select, type (Enter / F2 / any key), pick from a dropdown, tick a
// checkbox, Delete, copy / paste (Ctrl+C / Ctrl+V), insert or delete rows, sort, filter. Every change
// is a call to the server, which applies it to the stored cells and runs onEdit (sheet-view.ts).
'use strict';
const Grid = (() => {
  const $ = (sel) => document.querySelector(`[data-testid="${sel}"]`);
  const ROW_H = 21;
  const ROWNUM_W = 46;
  /** The filter icon, drawn (a font glyph may render as a box). */
  const FUNNEL = '<svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><path d="M0 1h10L6 5.5V9L4 8V5.5z" fill="currentColor"/></svg>';
  let data = null;
  let key = '';
  let sel = null; // {r1, c1, r2, c2}, 1-based sheet rows and columns
  let editing = null; // {r, c, input}
  let clip = null; // {sheet, range, text}
  const charts = [];

  const colName = (n) => { let s = ''; for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s; return s; };
  const a1 = (s) => `${colName(Math.min(s.c1, s.c2))}${Math.min(s.r1, s.r2)}` + (s.r1 === s.r2 && s.c1 === s.c2 ? '' : `:${colName(Math.max(s.c1, s.c2))}${Math.max(s.r1, s.r2)}`);
  const norm = (s) => ({ r1: Math.min(s.r1, s.r2), r2: Math.max(s.r1, s.r2), c1: Math.min(s.c1, s.c2), c2: Math.max(s.c1, s.c2) });
  const width = () => data.columnWidths.length;
  const rowOf = (r) => (r === 1 && data.lastRow ? { n: 1, cells: data.header } : data.rows.find((x) => x.n === r));
  const cellAt = (r, c) => rowOf(r)?.cells[c - 1] || null;

  function status(text, kind) {
    const el = $('status-run');
    el.textContent = text;
    el.className = kind || '';
  }

  async function call(path, body) {
    try {
      const out = await Sbx.api(path, { sheet: data.name, ...body });
      if (out.ok === false && out.error) status(`onEdit a échoué : ${out.error}`, 'error');
      else if (out.warning) status(out.warning, 'warning');
      await Grid.refresh(true);
      Grid.afterChange?.();
      return out;
    } catch (e) {
      status(e.message, 'error');
      return { ok: false, error: e.message };
    }
  }

  // ---- drawing ----------------------------------------------------------------------------------
  function cellHtml(c, r, col) {
    const v = c && c.vi !== undefined ? data.validations[c.vi] : null;
    // Text runs over empty cells to its right, as in Sheets.
    const next = rowOf(r)?.cells[col];
    const overflow = c?.t === 's' && !v && c.d && col < width() && (!next || (next.d === '' && next.vi === undefined));
    const cls = [c ? c.t : '', c?.f ? 'f' : '', c?.invalid ? 'invalid' : '', v ? `dv-${v.type}` : '', overflow ? 'ov' : ''].filter(Boolean).join(' ');
    const style = [c?.bg ? `background:${c.bg}` : '', c?.fc ? `color:${c.fc}` : '', c?.bold ? 'font-weight:700' : ''].filter(Boolean).join(';');
    const title = c?.invalid ? `Entrée non valide : ${v?.type === 'list' ? 'la valeur doit être un élément de la liste' : 'valeur refusée par la validation'}${v?.helpText ? ` — ${v.helpText}` : ''}` : c?.note || (c?.f ? c.f : c?.d || '');
    let inner = Sbx.esc(c?.d ?? '');
    if (v?.type === 'checkbox' && r > 1 && (c.t === 'b' || c.d === '')) inner = `<input type="checkbox" tabindex="-1" data-testid="checkbox" ${c.v === true ? 'checked' : ''}>`;
    else if (v?.type === 'list' && r > 1) inner = `<span class="dv-text">${inner}</span><span class="dv-arrow" data-testid="dropdown-arrow">▾</span>`;
    const filterBtn = r === data.filter?.row && col >= data.filter.col && col < data.filter.col + data.filter.numCols
      ? `<button class="filter-btn${data.filter.criteria[col] ? ' on' : ''}" data-testid="filter-button-${Sbx.esc(c?.d || colName(col))}" title="Filtrer">${FUNNEL}</button>` : '';
    return `<td class="${cls}" data-r="${r}" data-c="${col}" title="${Sbx.esc(title)}"${style ? ` style="${style}"` : ''}>${inner}${filterBtn}</td>`;
  }

  function draw() {
    const w = width();
    const cols = `<colgroup><col style="width:${ROWNUM_W}px">${data.columnWidths.map((px) => `<col style="width:${px}px">`).join('')}</colgroup>`;
    const head = `<thead><tr><th class="rownum"></th>${Array.from({ length: w }, (_, i) => `<th data-col="${i + 1}">${colName(i + 1)}</th>`).join('')}</tr></thead>`;
    const line = (row, cls, testid) => `<tr class="${cls}" data-testid="${testid}" data-row="${row.n}"${row.hidden ? ' hidden' : ''}><td class="rownum">${row.n}</td>${Array.from({ length: w }, (_, i) => cellHtml(row.cells[i], row.n, i + 1)).join('')}</tr>`;
    const header = data.lastRow ? line({ n: 1, cells: data.header }, data.frozenRows ? 'header frozen' : 'header', 'grid-header') : '';
    const rows = data.rows.map((r) => line(r, r.n <= data.lastRow ? '' : 'spare', r.n <= data.lastRow ? 'grid-row' : 'grid-spare-row')).join('');
    const empty = data.lastRow === 1 ? `<tr><td class="rownum"></td><td colspan="${w}" class="muted" data-testid="grid-empty">Aucune ligne pour l'instant.</td></tr>` : '';
    $('grid').innerHTML = cols + head + `<tbody>${header}${empty}${rows}</tbody>`;
    $('grid').style.width = `${ROWNUM_W + data.columnWidths.reduce((a, b) => a + b, 0)}px`;
    drawSelection();
    drawCharts();
    const hidden = data.filter ? ` — filtre ${data.filter.range}, ${data.filter.hiddenRows} ligne(s) masquée(s)` : '';
    $('status-line').textContent = `${data.name} — ${Math.max(0, data.lastRow - 1)} ligne(s) de données${hidden}${data.truncated ? ' (les plus récentes seulement)' : ''}`;
    $('filter-toggle').textContent = data.filter ? 'Supprimer le filtre' : 'Créer un filtre';
  }

  function drawSelection() {
    document.querySelectorAll('td.sel, td.cursor').forEach((td) => td.classList.remove('sel', 'cursor'));
    if (!sel) { $('name-box').value = ''; $('formula-bar').value = ''; return; }
    const s = norm(sel);
    for (let r = s.r1; r <= s.r2; r++) for (let c = s.c1; c <= s.c2; c++) document.querySelector(`td[data-r="${r}"][data-c="${c}"]`)?.classList.add('sel');
    document.querySelector(`td[data-r="${sel.r1}"][data-c="${sel.c1}"]`)?.classList.add('cursor');
    $('name-box').value = a1(sel);
    const c = cellAt(sel.r1, sel.c1);
    $('formula-bar').value = c ? (c.f || (c.t === 'n' || c.t === 'b' ? String(c.d) : c.d)) : '';
  }

  // ---- charts (Chart.js, served from node_modules) -----------------------------------------------
  const PALETTE = ['#4285f4', '#db4437', '#f4b400', '#0f9d58', '#ab47bc', '#00acc1'];

  function gaugeConfig(ch) {
    const o = ch.options;
    const value = ch.data.series[0]?.values[0] ?? 0;
    const min = Number(o.min ?? 0);
    const max = Number(o.max ?? 100);
    const bands = [];
    const yFrom = o.yellowFrom ?? o.redFrom ?? max;
    bands.push({ to: Number(yFrom), color: '#e6f4ea' });
    if (o.yellowFrom !== undefined) bands.push({ to: Number(o.yellowTo ?? o.redFrom ?? max), color: '#fbbc04' });
    if (o.redFrom !== undefined) bands.push({ to: Number(o.redTo ?? max), color: '#ea4335' });
    let from = min;
    const sizes = bands.map((b) => { const s = Math.max(0, b.to - from); from = b.to; return s; });
    const needle = {
      id: 'needle',
      afterDatasetsDraw(chart) {
        const meta = chart.getDatasetMeta(0).data[0];
        if (!meta) return;
        const { x, y, outerRadius } = meta;
        const ratio = Math.max(0, Math.min(1, (value - min) / (max - min || 1)));
        const angle = Math.PI + ratio * Math.PI;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#c5221f';
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + Math.cos(angle) * outerRadius * 0.9, y + Math.sin(angle) * outerRadius * 0.9);
        ctx.stroke();
        ctx.fillStyle = '#202124';
        ctx.font = '600 22px system-ui, sans-serif';
        ctx.textAlign = 'center';
        ctx.fillText(String(value), x, y - outerRadius * 0.25);
        ctx.font = '12px system-ui, sans-serif';
        ctx.fillText(ch.data.labels[0] || '', x, y + 16);
        ctx.restore();
      },
    };
    return {
      type: 'doughnut',
      data: { labels: bands.map((b, i) => (i === 0 ? `${min}–${b.to}` : `–${b.to}`)), datasets: [{ data: sizes, backgroundColor: bands.map((b) => b.color), borderWidth: 1, gaugeValue: value }] },
      options: { circumference: 180, rotation: -90, cutout: '60%', animation: false, responsive: false, plugins: { legend: { display: false }, tooltip: { enabled: false }, title: { display: !!ch.title, text: ch.title } } },
      plugins: [needle],
    };
  }

  function seriesConfig(ch) {
    const legend = ch.options.legend;
    const type = { LINE: 'line', AREA: 'line', COLUMN: 'bar', BAR: 'bar', PIE: 'pie', SCATTER: 'scatter' }[ch.type] || 'bar';
    const datasets = ch.data.series.map((s, i) => ({
      label: s.name || `Série ${i + 1}`,
      data: s.values,
      borderColor: PALETTE[i % PALETTE.length],
      backgroundColor: type === 'pie' ? PALETTE : ch.type === 'AREA' ? PALETTE[i % PALETTE.length] + '55' : PALETTE[i % PALETTE.length],
      fill: ch.type === 'AREA',
      tension: 0.2,
      pointRadius: 2,
    }));
    return {
      type,
      data: { labels: ch.data.labels, datasets },
      options: {
        animation: false,
        responsive: false,
        indexAxis: ch.type === 'BAR' ? 'y' : 'x',
        plugins: { title: { display: !!ch.title, text: ch.title }, legend: { display: legend !== 'none', position: ['top', 'bottom', 'left', 'right'].includes(legend) ? legend : 'right' } },
        scales: type === 'pie' ? {} : { y: { beginAtZero: true } },
      },
    };
  }

  function drawCharts() {
    for (const c of charts.splice(0)) c.destroy();
    const layer = $('chart-layer');
    layer.innerHTML = '';
    for (const ch of data.charts) {
      const w = Number(ch.options.width) || 600;
      const h = Number(ch.options.height) || 371;
      // Where Sheets puts it: the anchor cell's top-left corner, plus the offsets.
      const anchor = document.querySelector(`tr[data-row="${ch.position.row}"]`);
      const top = (anchor ? anchor.offsetTop : 22 + (ch.position.row - 1) * ROW_H) + ch.position.offsetY;
      let left = ROWNUM_W;
      for (let c = 1; c < ch.position.col; c++) left += data.columnWidths[c - 1] ?? 100;
      left += ch.position.offsetX;
      const box = document.createElement('div');
      box.className = 'chart';
      box.dataset.testid = 'chart';
      box.dataset.type = ch.type;
      box.dataset.title = ch.title;
      box.style.cssText = `left:${left}px;top:${top}px;width:${w}px;height:${h}px`;
      box.innerHTML = `<canvas width="${w}" height="${h}" data-testid="chart-canvas"></canvas>`;
      layer.append(box);
      if (typeof Chart === 'undefined') { box.textContent = `${ch.title} (Chart.js introuvable)`; continue; }
      charts.push(new Chart(box.querySelector('canvas'), ch.type === 'GAUGE' ? gaugeConfig(ch) : seriesConfig(ch)));
    }
  }

  // ---- editing --------------------------------------------------------------------------------
  function select(r, c, extend) {
    if (extend && sel) sel = { ...sel, r2: r, c2: c };
    else sel = { r1: r, c1: c, r2: r, c2: c };
    drawSelection();
  }

  function startEdit(initial) {
    if (!sel) return;
    const td = document.querySelector(`td[data-r="${sel.r1}"][data-c="${sel.c1}"]`);
    if (!td) return;
    const c = cellAt(sel.r1, sel.c1);
    const input = document.createElement('input');
    input.className = 'cell-editor';
    input.dataset.testid = 'cell-editor';
    input.value = initial ?? (c ? (c.f || c.d) : '');
    input.style.cssText = `left:${td.offsetLeft}px;top:${td.offsetTop}px;min-width:${td.offsetWidth}px;height:${td.offsetHeight}px`;
    $('grid-wrap').append(input);
    editing = { r: sel.r1, c: sel.c1, input };
    input.focus();
    input.addEventListener('keydown', async (ev) => {
      ev.stopPropagation(); // the grid's own keys (Enter opens an editor) are not for this input
      if (ev.key === 'Escape') { stopEdit(); ev.preventDefault(); }
      else if (ev.key === 'Enter' || ev.key === 'Tab') {
        ev.preventDefault();
        const { r, c: col } = editing;
        const text = input.value;
        stopEdit();
        await call('/api/cells/type', { row: r, col, values: [[text]] });
        select(ev.key === 'Enter' ? r + 1 : r, ev.key === 'Tab' ? col + 1 : col);
      }
    });
    // Clicking elsewhere keeps what was typed, as in Sheets.
    input.addEventListener('blur', () => {
      if (editing?.input !== input) return;
      const { r, c: col } = editing;
      const changed = input.value !== (c ? (c.f || c.d) : '');
      stopEdit(false);
      if (changed) call('/api/cells/type', { row: r, col, values: [[input.value]] });
    });
  }

  function stopEdit(refocus = true) {
    const input = editing?.input;
    editing = null;
    input?.remove();
    if (refocus) $('grid-wrap').focus();
  }

  function closePopups() {
    document.querySelectorAll('.popup').forEach((p) => p.remove());
  }

  function popupAt(td, html, testid) {
    closePopups();
    const box = document.createElement('div');
    box.className = 'popup';
    box.dataset.testid = testid;
    box.innerHTML = html;
    box.style.left = `${td.offsetLeft}px`;
    box.style.top = `${td.offsetTop + td.offsetHeight}px`;
    $('grid-wrap').append(box);
    return box;
  }

  function openDropdown(r, c) {
    const cell = cellAt(r, c);
    const v = data.validations[cell.vi];
    const td = document.querySelector(`td[data-r="${r}"][data-c="${c}"]`);
    const box = popupAt(td, v.options.map((o) => `<button data-value="${Sbx.esc(o)}" data-testid="dropdown-option" class="${o === cell.d ? 'current' : ''}">${Sbx.esc(o)}</button>`).join('') + (v.helpText ? `<div class="help">${Sbx.esc(v.helpText)}</div>` : ''), 'dropdown');
    box.addEventListener('click', (ev) => {
      const b = ev.target.closest('button');
      if (!b) return;
      closePopups();
      call('/api/cells/type', { row: r, col: c, values: [[b.dataset.value]] });
    });
  }

  function openFilterMenu(col) {
    const td = document.querySelector(`td[data-r="${data.filter.row}"][data-c="${col}"]`);
    const values = [...new Set(data.rows.filter((r) => r.n <= data.lastRow && r.n > data.filter.row).map((r) => r.cells[col - 1]?.d ?? ''))].sort((a, b) => a.localeCompare(b, 'fr'));
    const hidden = new Set(data.filter.criteria[col]?.hiddenValues || []);
    const list = values.map((v) => `<label class="check"><input type="checkbox" value="${Sbx.esc(v)}" ${hidden.has(v) ? '' : 'checked'} data-testid="filter-value-${Sbx.esc(v || '(vide)')}"> ${Sbx.esc(v || '(vide)')}</label>`).join('');
    const box = popupAt(td, `<div class="sub">Filtrer par valeurs</div><div class="values">${list}</div>
      <div class="row"><button data-act="sort-asc" data-testid="filter-sort-asc">Trier A → Z</button><button data-act="sort-desc" data-testid="filter-sort-desc">Trier Z → A</button></div>
      <div class="row"><button data-act="clear" data-testid="filter-clear">Tout afficher</button><button class="primary" data-act="ok" data-testid="filter-ok">OK</button></div>`, 'filter-menu');
    box.addEventListener('click', (ev) => {
      const act = ev.target.closest('button')?.dataset.act;
      if (!act) return;
      closePopups();
      if (act === 'ok') {
        const hide = [...box.querySelectorAll('input[type=checkbox]')].filter((i) => !i.checked).map((i) => i.value);
        call('/api/filter', { action: 'criteria', column: col, hiddenValues: hide });
      } else if (act === 'clear') call('/api/filter', { action: 'criteria', column: col, hiddenValues: [] });
      else call('/api/sort', { column: col, ascending: act === 'sort-asc' });
    });
  }

  function selectionText() {
    const s = norm(sel);
    const out = [];
    for (let r = s.r1; r <= s.r2; r++) {
      const line = [];
      for (let c = s.c1; c <= s.c2; c++) line.push(cellAt(r, c)?.d ?? '');
      out.push(line.join('\t'));
    }
    return out.join('\n');
  }

  function bind() {
    const wrap = $('grid-wrap');
    wrap.tabIndex = 0;
    let dragging = false;
    wrap.addEventListener('mousedown', (ev) => {
      if (ev.target.closest('.popup, .cell-editor, .chart')) return;
      const td = ev.target.closest('td[data-r]');
      if (!td) return;
      closePopups();
      const r = Number(td.dataset.r);
      const c = Number(td.dataset.c);
      if (ev.target.closest('.filter-btn')) { ev.preventDefault(); select(r, c); openFilterMenu(c); return; }
      if (ev.target.matches('input[type=checkbox]')) {
        ev.preventDefault();
        select(r, c);
        call('/api/cells/type', { row: r, col: c, values: [[ev.target.checked ? 'FALSE' : 'TRUE']] });
        return;
      }
      if (ev.target.closest('.dv-arrow')) { ev.preventDefault(); select(r, c); openDropdown(r, c); return; }
      select(r, c, ev.shiftKey);
      dragging = true;
      wrap.focus();
    });
    wrap.addEventListener('mouseover', (ev) => {
      if (!dragging) return;
      const td = ev.target.closest('td[data-r]');
      if (td) select(Number(td.dataset.r), Number(td.dataset.c), true);
    });
    document.addEventListener('mouseup', () => { dragging = false; });
    wrap.addEventListener('dblclick', (ev) => {
      const td = ev.target.closest('td[data-r]');
      if (!td || ev.target.closest('.popup')) return;
      const cell = cellAt(Number(td.dataset.r), Number(td.dataset.c));
      if (cell?.vi !== undefined && data.validations[cell.vi].type === 'list') openDropdown(Number(td.dataset.r), Number(td.dataset.c));
      else startEdit();
    });
    wrap.addEventListener('keydown', (ev) => {
      if (editing || !sel || ev.target.closest?.('.popup') || ev.target.matches?.('input')) return;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[ev.key]) {
        ev.preventDefault();
        const [dr, dc] = moves[ev.key];
        const base = ev.shiftKey ? { r: sel.r2, c: sel.c2 } : { r: sel.r1, c: sel.c1 };
        select(Math.max(1, base.r + dr), Math.max(1, base.c + dc), ev.shiftKey);
      } else if (ev.key === 'Delete' || ev.key === 'Backspace') {
        ev.preventDefault();
        call('/api/cells/clear', { range: a1(sel) });
      } else if (ev.key === 'Enter' || ev.key === 'F2') {
        ev.preventDefault();
        startEdit();
      } else if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        startEdit(ev.key);
      }
    });
    document.addEventListener('copy', (ev) => {
      if (editing || !sel || document.activeElement !== wrap) return;
      clip = { sheet: data.name, range: a1(sel), text: selectionText() };
      ev.clipboardData.setData('text/plain', clip.text);
      ev.preventDefault();
      status(`Copié : ${clip.range}`);
    });
    document.addEventListener('paste', (ev) => {
      if (editing || !sel || document.activeElement !== wrap) return;
      ev.preventDefault();
      const text = ev.clipboardData.getData('text/plain');
      const s = norm(sel);
      // Our own copy keeps values, formulas and formats; text from elsewhere is typed in.
      if (clip && text === clip.text) call('/api/cells/paste', { from: { sheet: clip.sheet, range: clip.range }, row: s.r1, col: s.c1 });
      else if (text) call('/api/cells/type', { row: s.r1, col: s.c1, values: text.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => l.split('\t')) });
    });
    document.addEventListener('mousedown', (ev) => { if (!ev.target.closest('.popup, [data-testid="grid-wrap"]')) closePopups(); });

    $('formula-bar').addEventListener('keydown', async (ev) => {
      if (ev.key !== 'Enter' || !sel) return;
      ev.preventDefault();
      await call('/api/cells/type', { row: sel.r1, col: sel.c1, values: [[ev.target.value]] });
    });
    const selectedRows = () => { const s = norm(sel || { r1: 2, r2: 2, c1: 1, c2: 1 }); return { row: s.r1, count: s.r2 - s.r1 + 1 }; };
    $('rows-insert-before').addEventListener('click', () => call('/api/rows', { action: 'insertBefore', ...selectedRows() }));
    $('rows-insert-after').addEventListener('click', () => { const s = selectedRows(); call('/api/rows', { action: 'insertAfter', row: s.row + s.count - 1, count: s.count }); });
    $('rows-delete').addEventListener('click', () => call('/api/rows', { action: 'delete', ...selectedRows() }));
    $('sort-asc').addEventListener('click', () => sel && call('/api/sort', { column: sel.c1, ascending: true }));
    $('sort-desc').addEventListener('click', () => sel && call('/api/sort', { column: sel.c1, ascending: false }));
    $('filter-toggle').addEventListener('click', () => call('/api/filter', { action: data.filter ? 'remove' : 'create' }));
  }

  return {
    bind,
    /** Re-reads the tab; redraws only when something changed, never under an open editor or menu. */
    async refresh(force, tab) {
      const name = tab || data?.name;
      if (!name) return;
      if (!force && (editing || document.querySelector('.popup'))) return;
      const next = await Sbx.api(`/api/sheet/${encodeURIComponent(name)}`);
      const k = JSON.stringify(next);
      if (!force && k === key) return;
      if (data?.name !== next.name) sel = null;
      key = k;
      data = next;
      draw();
    },
    get data() { return data; },
    afterChange: null,
  };
})();
