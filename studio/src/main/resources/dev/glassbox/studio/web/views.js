// Glassbox studio: the course's worked examples (a trace's "demos") and pictures of maps and
// matrices, in the slides' colours (../shared/STUDIO.md): grey image pixels, a yellow filter,
// blue feature maps, green pooled maps, a pink centre word and yellow context words.
'use strict';

const V = {
  en: {
    demos: "The course's worked examples", convolution: 'Convolution: the filter slides over the image', pooling: 'Max pooling: each window keeps its largest value',
    frames: 'Training pairs: the frame slides along the sentence', negative: 'Negative sampling: the true context against drawn words',
    flow: 'How much of the loss reaches each word', decoding: 'Decoding with attention', image: 'image', filter: 'filter', featureMap: 'feature map',
    products: 'products', input: 'input', pooled: 'pooled', cell: 'cell', stride: 'stride', frame: 'frame', pairs: 'pairs', centre: 'centre',
    word: 'word', score: 's = e·row', sigma: 'σ(s)', lossPart: 'loss part', target: 'target', sample: 'negative sample', output: 'output',
    greedy: 'greedy', beam: 'beam', attention: 'attention weights', heads: 'attention', weights: 'weights', scores: 'scores', first: '|◀', prev: '◀', next: '▶', playDemo: '▶▶',
    plotLinear: 'The data (blue) and the fitted line (red), moving with each update',
    attentionTitle: 'Attention: where each token looks (rows look, columns are seen; blank: masked, the future)', head: 'head', masked: 'masked: a later position',
    plotLogistic: 'Class 1 (blue), class 0 (red) and the separating line (crimson), turning with each update',
  },
  ko: {
    demos: '수업의 예제', convolution: '합성곱: 필터가 이미지 위를 움직입니다', pooling: '최대 풀링: 각 창에서 가장 큰 값',
    frames: '학습 쌍: frame이 문장을 따라 움직입니다', negative: '네거티브 샘플링: 실제 문맥 단어와 뽑힌 단어',
    flow: '손실의 기울기가 각 단어에 얼마나 도달하는가', decoding: '어텐션으로 디코딩', image: '이미지', filter: '필터', featureMap: 'feature map',
    products: '곱', input: '입력', pooled: '풀링 결과', cell: '칸', stride: 'stride', frame: 'frame', pairs: '쌍', centre: '중심 단어',
    word: '단어', score: 's = e·row', sigma: 'σ(s)', lossPart: '손실 몫', target: '정답', sample: '네거티브 샘플', output: '출력',
    greedy: '탐욕', beam: '빔', attention: '어텐션 가중치', heads: '어텐션', weights: '가중치', scores: '점수', first: '|◀', prev: '◀', next: '▶', playDemo: '▶▶',
    plotLinear: '파란 데이터 포인트와 빨간 선형 모델: 업데이트마다 움직입니다',
    attentionTitle: '어텐션: 각 토큰이 어디를 보는가 (행이 보고 열이 보임; 빈칸은 가려진 미래)', head: '헤드', masked: '가려짐: 뒤의 위치',
    plotLogistic: '파랑이면 1, 빨강이면 0, 선홍색 선형 모델: 업데이트마다 돌아갑니다',
  },
};
const v = (k) => (V[S.lang][k] ?? V.en[k] ?? k);

const COLOURS = { image: [120, 120, 120], filter: [234, 179, 8], map: [37, 99, 235], pooled: [22, 163, 74], attention: [225, 29, 116] };

// A grid of numbers as an HTML table whose cells are shaded by value (0 white, max full colour).
function grid(values, colour, opts = {}) {
  const tb = document.createElement('table');
  tb.className = 'grid' + (opts.small ? ' small' : '');
  let max = 1e-9;
  for (const row of values) for (const x of row) if (Number.isFinite(x)) max = Math.max(max, Math.abs(x));
  values.forEach((row, r) => {
    const tr = document.createElement('tr');
    row.forEach((x, c) => {
      const td = document.createElement('td');
      const shown = opts.hide ? opts.hide(r, c) : false;
      if (!shown) {
        const a = Math.min(1, Math.abs(x) / max);
        const [R, G, B] = colour;
        td.style.background = `rgba(${R},${G},${B},${(0.08 + 0.8 * a).toFixed(2)})`;
        td.textContent = opts.digits === 0 ? String(Math.round(x)) : fmt(x);
        if (a > 0.6) td.style.color = 'white';
      }
      if (opts.mark && opts.mark(r, c)) td.classList.add('mark');
      td.dataset.r = r;
      td.dataset.c = c;
      tr.appendChild(td);
    });
    tb.appendChild(tr);
  });
  return tb;
}

function labelled(title, node) {
  const d = document.createElement('div');
  d.className = 'panel';
  d.appendChild(text('div', title, 'panel-title'));
  d.appendChild(node);
  return d;
}

// One demo with its own stepper: show(k) draws position k of n.
function stepper(box, n, show) {
  const body = document.createElement('div');
  body.className = 'demo-body';
  const bar = document.createElement('div');
  bar.className = 'demo-bar';
  let k = 0, timer = null;
  const pos = text('span', '');
  const go = (to) => {
    k = Math.max(0, Math.min(n - 1, to));
    pos.textContent = `${k + 1} / ${n}`;
    body.dataset.at = String(k);
    show(k, body);
  };
  const mk = (label, cls, f) => {
    const b = text('button', label, cls);
    b.type = 'button';
    b.onclick = f;
    bar.appendChild(b);
    return b;
  };
  mk(v('first'), 'demo-first', () => { clearInterval(timer); go(0); });
  mk(v('prev'), 'demo-prev', () => { clearInterval(timer); go(k - 1); });
  mk(v('next'), 'demo-next', () => { clearInterval(timer); go(k + 1); });
  mk(v('playDemo'), 'demo-play', () => {
    clearInterval(timer);
    if (k === n - 1) go(0);
    timer = setInterval(() => { if (k === n - 1) clearInterval(timer); else go(k + 1); }, 700);
  });
  bar.appendChild(pos);
  box.appendChild(bar);
  box.appendChild(body);
  go(0);
}

function renderDemos(trace) {
  const host = $('demos');
  host.textContent = '';
  host.hidden = !trace.demos || trace.demos.length === 0;
  if (host.hidden) return;
  host.appendChild(text('h2', v('demos')));
  for (const d of trace.demos) {
    const box = document.createElement('div');
    box.className = 'demo demo-' + d.type;
    box.dataset.demo = d.type;
    host.appendChild(box);
    const draw = DEMOS[d.type];
    if (draw) draw(box, d);
  }
}

const DEMOS = {
  convolution(box, d) {
    box.appendChild(text('h3', `${v('convolution')} (${v('stride')} ${d.stride})`));
    const k = d.filter.length;
    stepper(box, d.cells.length, (i, body) => {
      const cell = d.cells[i];
      const r0 = cell.row * d.stride, c0 = cell.col * d.stride;
      body.textContent = '';
      const inWindow = (r, c) => r >= r0 && r < r0 + k && c >= c0 && c < c0 + k;
      body.appendChild(labelled(v('image'), grid(d.image, COLOURS.image, { digits: 0, mark: inWindow })));
      body.appendChild(text('div', '×', 'op'));
      body.appendChild(labelled(v('filter'), grid(d.filter, COLOURS.filter, { digits: 0 })));
      body.appendChild(text('div', '=', 'op'));
      const done = (r, c) => d.cells.findIndex((x) => x.row === r && x.col === c) > i;
      const fm = grid(d.featureMap, COLOURS.map, { digits: 0, hide: done, mark: (r, c) => r === cell.row && c === cell.col });
      fm.classList.add('feature-map');
      body.appendChild(labelled(v('featureMap'), fm));
      const sum = cell.products.flat().map((x) => fmt(x)).join(' + ');
      body.appendChild(labelled(`${v('cell')} (${cell.row}, ${cell.col}): ${v('products')}`, text('div', `${sum}\n= ${fmt(cell.value)}`, 'formula')));
    });
  },
  pooling(box, d) {
    box.appendChild(text('h3', `${v('pooling')} (${d.size}×${d.size}, ${v('stride')} ${d.stride})`));
    stepper(box, d.cells.length, (i, body) => {
      const cell = d.cells[i];
      const r0 = cell.row * d.stride, c0 = cell.col * d.stride;
      body.textContent = '';
      const inWindow = (r, c) => r >= r0 && r < r0 + d.size && c >= c0 && c < c0 + d.size;
      body.appendChild(labelled(v('input'), grid(d.input, COLOURS.map, { digits: 0, mark: inWindow })));
      body.appendChild(text('div', '→', 'op'));
      const done = (r, c) => d.cells.findIndex((x) => x.row === r && x.col === c) > i;
      body.appendChild(labelled(v('pooled'), grid(d.pooled, COLOURS.pooled, { digits: 0, hide: done, mark: (r, c) => r === cell.row && c === cell.col })));
      body.appendChild(labelled(`${v('cell')} (${cell.row}, ${cell.col})`, text('div', `max(${cell.window.flat().map(fmt).join(', ')})\n= ${fmt(cell.value)}`, 'formula')));
    });
  },
  frames(box, d) {
    box.appendChild(text('h3', `${v('frames')} (${v('frame')} ${d.frameSize})`));
    stepper(box, d.frames.length, (i, body) => {
      const f = d.frames[i];
      body.textContent = '';
      const line = document.createElement('div');
      line.className = 'sentence';
      d.words.forEach((w, wi) => {
        const inside = wi >= frameStart(d, i) && wi < frameStart(d, i) + f.inside.length;
        const cls = 'word' + (inside ? (wi === i ? ' centre' : ' context') : '');
        line.appendChild(text('span', w, cls));
      });
      body.appendChild(line);
      const pairs = f.pairs.map((p, pi) => `input${pi} = ${p.input}   target${pi} = ${p.target}`).join('\n');
      body.appendChild(labelled(v('pairs'), text('div', pairs, 'formula')));
    });
  },
  negative_sampling(box, d) {
    box.appendChild(text('h3', v('negative')));
    const rows = [[v('word'), '', v('score'), v('sigma'), v('lossPart')]];
    for (const s of d.samples) rows.push([s.word, s.positive ? v('target') : v('sample'), fmt(s.score), fmt(s.sigmoid), fmt(s.lossPart)]);
    const tb = table(rows);
    tb.className = 'plain';
    box.appendChild(text('div', `${v('centre')}: ${d.centre}   e = [${d.embedding.map(fmt).join(', ')}]`, 'formula'));
    box.appendChild(tb);
    box.appendChild(text('div', `loss = ${fmt(d.loss)}`, 'formula'));
  },
  gradient_flow(box, d) {
    box.appendChild(text('h3', v('flow')));
    const svg = el('svg', { width: 40 + d.words.length * 64, height: 170, class: 'bars' });
    const n = d.words.length - 1;
    d.flows.forEach((f, fi) => {
      f.fractions.forEach((x, i) => {
        const h = 120 * Math.min(1, x);
        el('rect', { x: 30 + i * 64 + fi * 22, y: 130 - h, width: 20, height: Math.max(1, h), class: 'bar ' + f.cell, 'data-cell': f.cell, 'data-value': x }, svg);
      });
      const key = el('text', { x: 30 + fi * 90, y: 14, class: 'key ' + f.cell }, svg);
      key.textContent = '■ ' + f.cell;
    });
    d.words.slice(0, n).forEach((w, i) => {
      const tx = el('text', { x: 30 + i * 64 + 20, y: 150, 'text-anchor': 'middle' }, svg);
      tx.textContent = w;
    });
    box.appendChild(svg);
  },
  decoding(box, d) {
    box.appendChild(text('h3', `${v('decoding')} (${d.attention})`));
    if (d.steps.length > 0 && d.steps[0].weights && d.steps[0].weights.length > 0) {
      const tb = document.createElement('table');
      tb.className = 'grid heat';
      const head = document.createElement('tr');
      head.appendChild(text('th', ''));
      for (const ch of d.inputChars) head.appendChild(text('th', ch === ' ' ? '␣' : ch));
      tb.appendChild(head);
      for (const s of d.steps) {
        const tr = document.createElement('tr');
        tr.appendChild(text('th', s.decoded));
        s.weights.forEach((w) => {
          const td = document.createElement('td');
          td.style.background = `rgba(225,29,116,${(0.05 + 0.95 * w).toFixed(2)})`;
          td.title = fmt(w);
          tr.appendChild(td);
        });
        tb.appendChild(tr);
      }
      box.appendChild(labelled(v('attention'), tb));
    }
    box.appendChild(text('div', `${v('greedy')}: ${d.greedy}\n${v('beam')}: ${d.beam.map((c) => c.output + ' (' + fmt(c.logProbability) + ')').join(', ')}`, 'formula'));
  },
};

// word2vec's frames: frame i has word i in its middle and starts half a frame before it.
function frameStart(d, i) {
  const half = Math.floor(d.frameSize / 2);
  return Math.max(0, i - half);
}

// A map's values as a small picture inside its node, in its layer's colour.
function mapImage(values, shape, layerId) {
  const [h, w] = shape;
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const g = c.getContext('2d');
  const img = g.createImageData(w, h);
  let max = 1e-9;
  for (const x of values) max = Math.max(max, Math.abs(x));
  const colour = /^input|image/.test(layerId) ? COLOURS.image : /pool/.test(layerId) ? COLOURS.pooled : COLOURS.map;
  for (let i = 0; i < h * w; i++) {
    const a = Math.min(1, Math.abs(values[i] || 0) / max);
    img.data[4 * i] = Math.round(255 - a * (255 - colour[0]));
    img.data[4 * i + 1] = Math.round(255 - a * (255 - colour[1]));
    img.data[4 * i + 2] = Math.round(255 - a * (255 - colour[2]));
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  return c.toDataURL();
}

// Puts the picture of a map into its node (drawn as a square) when its values are known.
function showMap(nodeElement, values, shape, layerId) {
  if (!shape || shape.length !== 2 || values.length !== shape[0] * shape[1]) return;
  const rect = nodeElement.querySelector('rect');
  if (!rect) return;
  let im = nodeElement.querySelector('image');
  if (!im) {
    im = el('image', { x: rect.getAttribute('x'), y: rect.getAttribute('y'), width: rect.getAttribute('width'), height: rect.getAttribute('height'), preserveAspectRatio: 'none', style: 'image-rendering: pixelated' }, nodeElement);
  }
  im.setAttribute('href', mapImage(values, shape, layerId));
}

// A caption's matrices (attention weights, windows) as shaded grids.
function matrixPanels(e) {
  const out = [];
  for (const [k, val] of Object.entries(e)) {
    if (!Array.isArray(val) || val.length === 0 || !Array.isArray(val[0]) || typeof val[0][0] !== 'number') continue;
    if (val.length > 24 || val[0].length > 24) continue;
    const colour = k === 'weights' || k === 'scores' ? COLOURS.attention : k === 'filters' ? COLOURS.filter : k === 'windows' ? COLOURS.image : COLOURS.map;
    const side = Math.round(Math.sqrt(val[0].length));
    if (val.length <= 4 && val[0].length > 3 && side * side === val[0].length) {   // a window or filter per channel, flattened: k x k each
      val.forEach((row, ch) => out.push(labelled(val.length > 1 ? `${k} [${ch}]` : k,
        grid(Array.from({ length: side }, (_, r) => row.slice(r * side, (r + 1) * side)), colour, { small: true }))));
      continue;
    }
    out.push(labelled(k, grid(val, colour, { small: true })));
  }
  return out;
}

// ---------- least squares and logistic regression: the data and the line ----------
// The course's pictures: blue data points and the red fitted line (least squares); blue (1)
// and red (0) points and the crimson separating line, blue above, red below (logistic).
const PLOTS = {};

async function points(model) {
  if (!(model in PLOTS)) PLOTS[model] = await api('/api/models/' + model + '/points').catch(() => null);
  return PLOTS[model];
}

// Draws the points into host and returns a function that redraws the line from the model's
// numbers ({slope, intercept} or {w1, w2, b}) and marks one example point.
function scatter(host, pts) {
  host.textContent = '';
  const W = 380, H = 270, P = 30;
  const svg = el('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'scatter' }, host);
  const logistic = 'x1' in pts;
  const xs = logistic ? pts.x1 : pts.x, ys = logistic ? pts.x2 : pts.y;
  const span = (v) => {
    const lo = Math.min(...v), hi = Math.max(...v), pad = (hi - lo) * 0.08 || 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = span(xs), [y0, y1] = span(ys);
  const X = (x) => P + (W - 2 * P) * (x - x0) / (x1 - x0), Y = (y) => H - P - (H - 2 * P) * (y - y0) / (y1 - y0);
  el('rect', { x: P, y: P, width: W - 2 * P, height: H - 2 * P, class: 'frame' }, svg);
  for (const [v, x, y, anchor] of [[x0, P, H - P + 14, 'start'], [x1, W - P, H - P + 14, 'end']]) {
    const tx = el('text', { x, y, 'text-anchor': anchor }, svg);
    tx.textContent = fmt(v);
  }
  xs.forEach((x, i) => el('circle', { cx: X(x), cy: Y(ys[i]), r: 3.2, class: 'pt ' + (logistic ? (pts.label[i] > 0.5 ? 'one' : 'zero') : 'data') }, svg));
  const clipId = 'plot-clip-' + (scatter.count = (scatter.count || 0) + 1);
  el('rect', { x: P, y: P, width: W - 2 * P, height: H - 2 * P }, el('clipPath', { id: clipId }, el('defs', {}, svg)));
  const line = el('line', { class: logistic ? 'boundary' : 'fit', 'clip-path': `url(#${clipId})` }, svg);
  const mark = el('circle', { r: 7, class: 'example', visibility: 'hidden' }, svg);
  const clip = (ax, ay, bx, by) => [X(ax), Y(ay), X(bx), Y(by)];
  return (p, example) => {
    let c = null;
    if (p && p.slope != null) c = clip(x0, p.slope * x0 + p.intercept, x1, p.slope * x1 + p.intercept);
    else if (p && p.w1 != null && Math.abs(p.w2) > 1e-9) c = clip(x0, -(p.w1 * x0 + p.b) / p.w2, x1, -(p.w1 * x1 + p.b) / p.w2);
    else if (p && p.w1 != null && Math.abs(p.w1) > 1e-9) c = clip(-p.b / p.w1, y0, -p.b / p.w1, y1);
    if (c) {
      line.setAttribute('x1', c[0]); line.setAttribute('y1', c[1]); line.setAttribute('x2', c[2]); line.setAttribute('y2', c[3]);
      line.dataset.params = JSON.stringify(p);
    }
    if (example) {
      mark.setAttribute('cx', X(example[0]));
      mark.setAttribute('cy', Y(logistic ? example[1] : example[1]));
      mark.setAttribute('visibility', 'visible');
    }
  };
}

// The line of the trace's model after the first `at` events: its weights, with every update passed.
function lineAt(trace, at) {
  const w = Object.fromEntries(trace.graph.weights.map((x) => [x.id, x.values.slice()]));
  for (let k = 0; k < at; k++) {
    const e = trace.events[k];
    if (e.type === 'update' && e.after && w[e.weight] && !e.indices) w[e.weight] = e.after;
  }
  const weight = w['output.weight'], bias = w['output.bias'];
  if (!weight || !bias) return null;
  return weight.length === 1 ? { slope: weight[0], intercept: bias[0] } : { w1: weight[0], w2: weight[1], b: bias[0] };
}

async function renderPlot(trace) {
  const host = $('plot');
  const pts = await points(trace.model);
  host.hidden = !pts;
  S.plotLine = null;
  if (!pts) return;
  host.textContent = '';
  host.appendChild(text('h2', trace.model === 'linear' ? v('plotLinear') : v('plotLogistic')));
  const box = document.createElement('div');
  host.appendChild(box);
  S.plotLine = scatter(box, pts);
  updatePlot();
}

function updatePlot() {
  if (!S.plotLine || !S.trace) return;
  const ex = S.trace.example;
  const point = ex.input.length === 1 ? [ex.input[0], ex.target[0]] : [ex.input[0], ex.input[1]];
  S.plotLine(lineAt(S.trace, S.at), point);
}

async function trainPlot(model) {
  const host = $('train-plot');
  const pts = await points(model);
  host.hidden = !pts;
  S.trainLine = pts ? scatter(host, pts) : null;
}

// ---------- attention ----------
// Every head's attention weights of the step as a heat map, rows the positions that look,
// columns the positions they may see (masked cells left blank), labelled with the sequence's
// words: where each token's attention goes.
function renderAttention(trace) {
  const host = $('attention');
  host.textContent = '';
  const heads = trace.events.filter((e) => e.type === 'attention_head' && Array.isArray(e.weights));
  host.hidden = heads.length === 0;
  if (host.hidden) return;
  host.appendChild(text('h2', v('attentionTitle')));
  const words = (trace.example && trace.example.words) || [];
  const row = document.createElement('div');
  row.className = 'grids';
  for (const e of heads) {
    const n = e.weights.length;
    const tb = document.createElement('table');
    tb.className = 'grid heat attention-map';
    tb.dataset.layer = e.layer;
    tb.dataset.head = e.head;
    const head = document.createElement('tr');
    head.appendChild(text('th', ''));
    for (let j = 0; j < e.weights[0].length; j++) head.appendChild(text('th', words[j] ?? String(j + 1)));
    tb.appendChild(head);
    for (let i = 0; i < n; i++) {
      const tr = document.createElement('tr');
      tr.appendChild(text('th', words[i] ?? String(i + 1)));
      e.weights[i].forEach((w, j) => {
        const td = document.createElement('td');
        const allowed = !e.allowed || e.allowed[i][j];
        if (allowed) {
          td.style.background = `rgba(225,29,116,${(0.06 + 0.9 * w).toFixed(2)})`;
          td.textContent = fmt(w).slice(0, 4);
          if (w > 0.55) td.style.color = 'white';
        } else {
          td.className = 'masked';
        }
        td.title = allowed ? `${words[i] ?? i + 1} → ${words[j] ?? j + 1}: ${fmt(w)}` : v('masked');
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    }
    row.appendChild(labelled(`${e.layer} · ${v('head')} ${e.head}`, tb));
  }
  host.appendChild(row);
}
