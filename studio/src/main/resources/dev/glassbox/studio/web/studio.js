// Glassbox studio: draws the trace the API serves (the same JSON as `glassbox explain --json`)
// and steps through it. The page lays things out; every number on it comes from the trace.
'use strict';

const T = {
  en: {
    studio: 'studio', tagline: "every model drawn the course's way, stepped node by node",
    galleryTitle: 'Models', galleryLead: "Pick a model: see its nodes and arrows, walk through one training step with the engine's own numbers, or train it live.",
    tabStep: 'Step through', tabTrain: 'Train', back: '◀ Back', step: 'Step ▶', play: 'Play', pause: 'Pause', speed: 'speed',
    asText: 'The whole step as text (as glassbox explain prints it)', preset: 'preset', epochs: 'epochs', lr: 'learning rate', seed: 'seed',
    start: 'Start', stop: 'Stop', explainTrained: 'Step through the trained model', presets: 'presets',
    start0: 'The graph before the step: press Step (or →) to run the forward pass node by node.',
    forward: 'forward', loss: 'loss', backward: 'backward', update: 'update',
    weightedSum: 'weighted sum', activation: 'activation', value: 'value', node: 'node', target: 'target (정답, Y)',
    lossOf: 'Loss', against: 'against the target', gradient: 'gradient', dLdz: 'dL/dz', weightGrad: 'gradient of',
    updateOf: 'update of', oldNew: 'old → new', rule: 'rule', terms: 'weights × inputs',
    freshModel: 'a fresh model (seed 42)', trainedModel: 'the model trained here',
    running: 'training…', finished: 'finished', stopped: 'stopped', failed: 'failed', steps: 'steps', epoch: 'epoch',
    lossCurve: 'loss per step', valCurve: 'held-out loss per epoch', bias: 'bias', more: 'more',
    samplesTitle: 'new images from the same fixed noise, each epoch', frozen: 'frozen: not trained in this stage', stageLabel: 'stage', nearestTitle: 'each word and its nearest words (cosine similarity)', word: 'word', nearest: 'nearest',
    reconstructions: 'held-out images (top), as stage 1 gives them back (middle), as stage 2 does through decoder_1 (bottom)',
    latent_plane: 'the latent plane: z1 from -3 to 3 left to right, z2 from 3 to -3 top to bottom, each decoded',
    latent_scatter: 'the held-out images\' mu, coloured by class',
  },
  ko: {
    studio: '스튜디오', tagline: '수업의 그림 그대로 그린 모델, 노드 하나씩 따라가는 한 스텝',
    galleryTitle: '모델', galleryLead: '모델을 고르세요: 노드와 화살표를 보고, 엔진의 실제 값으로 학습 한 스텝을 따라가거나, 직접 학습시켜 보세요.',
    tabStep: '한 스텝 따라가기', tabTrain: '학습', back: '◀ 이전', step: '다음 ▶', play: '재생', pause: '멈춤', speed: '속도',
    asText: '한 스텝 전체를 글로 (glassbox explain 출력과 같음)', preset: '프리셋', epochs: '에폭', lr: '학습률', seed: '시드',
    start: '시작', stop: '중지', explainTrained: '학습된 모델로 한 스텝 따라가기', presets: '프리셋',
    start0: '스텝 전의 그래프입니다. 다음(또는 →)을 누르면 순전파를 노드 하나씩 계산합니다.',
    forward: '순전파', loss: '손실', backward: '역전파', update: '업데이트',
    weightedSum: '가중합', activation: '활성화 함수', value: '값', node: '노드', target: '정답 (Y)',
    lossOf: '손실', against: '정답과 비교', gradient: '기울기', dLdz: 'dL/dz', weightGrad: '기울기:',
    updateOf: '업데이트:', oldNew: '이전 → 새 값', rule: '규칙', terms: '가중치 × 입력',
    freshModel: '새 모델 (시드 42)', trainedModel: '여기서 학습한 모델',
    running: '학습 중…', finished: '완료', stopped: '중지됨', failed: '실패', steps: '스텝', epoch: '에폭',
    lossCurve: '스텝별 손실', valCurve: '에폭별 검증 손실', bias: 'bias', more: '더',
    samplesTitle: '같은 고정 노이즈로 매 에폭 새로 만든 이미지', frozen: '고정: 이 단계에서는 학습하지 않음', stageLabel: '단계', nearestTitle: '각 단어와 가장 가까운 단어 (코사인 유사도)', word: '단어', nearest: '가장 가까운 단어',
    reconstructions: '검증 이미지 (위), 1단계의 복원 (가운데), 2단계의 복원을 decoder_1로 그린 것 (아래)',
    latent_plane: '잠재 공간: z1은 왼쪽에서 오른쪽으로 -3에서 3, z2는 위에서 아래로 3에서 -3, 각각 디코딩',
    latent_scatter: '검증 이미지의 μ, 클래스별 색',
  },
};

const S = {
  lang: localStorage.getItem('glassbox.lang') || 'en',
  token: new URLSearchParams(location.search).get('token'),
  models: [], model: null, trace: null, at: 0, timer: null, trained: false,
  drawn: {}, curve: { loss: [], val: [] }, source: null,
};
const $ = (id) => document.getElementById(id);
const t = (k) => (T[S.lang][k] ?? T.en[k] ?? k);
const SVGNS = 'http://www.w3.org/2000/svg';
const fmt = (v) => (v == null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v));

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (S.token) headers['X-Glassbox-Token'] = S.token;
  const res = await fetch(path, Object.assign({}, options, { headers }));
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error(body && body.error ? body.error : res.status + ' ' + res.statusText);
  return body;
}

function showError(msg) {
  const e = $('error');
  e.textContent = msg;
  e.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { e.hidden = true; }, 8000);
}

// ---------- language ----------
function applyLanguage() {
  document.documentElement.lang = S.lang;
  $('lang').textContent = S.lang === 'en' ? '한국어' : 'English';
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  if (S.timer) $('play').textContent = t('pause');
  renderCards();
  if (S.trace) {
    $('source').textContent = S.trained ? t('trainedModel') : t('freshModel');
    renderDemos(S.trace);
    renderAttention(S.trace);
    renderPlot(S.trace);
    renderStep();
    loadText();
  }
}

// ---------- gallery ----------
function renderCards() {
  const box = $('cards');
  box.textContent = '';
  for (const m of S.models) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.model = m.name;
    card.tabIndex = 0;
    const h = document.createElement('h2');
    h.textContent = m.name;
    const p = document.createElement('p');
    p.textContent = m.title;
    card.append(h, glyph(m.name), p);
    for (const preset of m.presets) {
      const c = document.createElement('span');
      c.className = 'chip';
      c.textContent = preset;
      card.appendChild(c);
    }
    card.onclick = () => { location.hash = '#/model/' + m.name; };
    card.onkeydown = (e) => { if (e.key === 'Enter') card.onclick(); };
    box.appendChild(card);
  }
}

// A little picture of layers of nodes on every card (decoration only: no numbers).
function glyph(name) {
  const sizes = { linear: [2, 1], logistic: [3, 1], dnn: [5, 3, 3, 4], cnn: [4, 4, 3, 2], autoencoder: [5, 3, 2, 3, 5], word2vec: [5, 2, 5],
    rnn: [2, 3, 2], lstm: [2, 4, 2], gru: [2, 3, 2], seq2seq: [3, 3, 3, 3], transformer: [3, 3, 3, 3], vae: [5, 3, 2, 3, 5], dcgan: [2, 3, 4, 1] }[name] || [3, 3];
  const svg = el('svg', { width: 220, height: 48, viewBox: '0 0 220 48' });
  const dx = 200 / Math.max(1, sizes.length - 1);
  const pos = sizes.map((n, i) => Array.from({ length: n }, (_, j) => [10 + i * dx, 24 + (j - (n - 1) / 2) * 9]));
  for (let i = 0; i + 1 < pos.length; i++) for (const a of pos[i]) for (const b of pos[i + 1]) el('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: '#c7cfdb', 'stroke-width': 0.7 }, svg);
  for (const col of pos) for (const p of col) el('circle', { cx: p[0], cy: p[1], r: 3.2, fill: 'white', stroke: '#64748b' }, svg);
  return svg;
}

// ---------- routing ----------
async function route() {
  stopPlay();
  const m = location.hash.match(/^#\/model\/([\w-]+)(\/train)?(?:@(\d+))?/);
  if (!m) {
    $('gallery').hidden = false;
    $('model').hidden = true;
    return;
  }
  $('gallery').hidden = true;
  $('model').hidden = false;
  const info = S.models.find((x) => x.name === m[1]);
  if (!info) { showError('no model ' + m[1]); return; }
  if (S.model !== info.name) {
    S.model = info.name;
    S.trained = false;
    S.stage = null;
    S.trace = null;
    $('model-title').textContent = info.name;
    $('model-sub').textContent = info.title;
    fillTrainForm(info);
  }
  showTab(m[2] ? 'train' : 'step');
  if (!m[2] && !S.trace) await (S.loading ||= loadTrace().finally(() => { S.loading = null; }));   // one load at a time
  if (m[3] && S.trace) {   // #/model/dnn@5: the graph after five events
    S.at = Math.min(Number(m[3]), S.trace.events.length);
    renderStep();
  }
}

function showTab(which) {
  $('tab-step').classList.toggle('on', which === 'step');
  $('tab-train').classList.toggle('on', which === 'train');
  $('step-view').hidden = which !== 'step';
  $('train-view').hidden = which !== 'train';
}

// ---------- the step ----------
async function loadTrace() {
  const name = S.model;
  $('caption').textContent = '…';
  $('graph').textContent = '';
  try {
    const trace = await api('/api/models/' + name + '/explain' + query());
    if (name !== S.model) return;
    S.trace = trace;
    S.at = 0;
    $('source').textContent = S.trained ? t('trainedModel') : t('freshModel');
    drawGraph();
    renderStages(trace);
    renderDemos(trace);
    renderAttention(trace);
    renderPlot(trace);
    renderStep();
    loadText();
  } catch (e) {
    $('caption').textContent = e.message;
    showError(e.message);
  }
}

// The query of the trace asked for: the trained model, the stage chosen.
function query(extra = {}) {
  const q = new URLSearchParams(extra);
  if (S.trained) q.set('trained', 'true');
  if (S.stage) q.set('stage', S.stage);
  const s = q.toString();
  return s ? '?' + s : '';
}

// A model trained in stages (the autoencoder): a choice of the stage to step through.
function renderStages(trace) {
  const box = $('stages');
  box.textContent = '';
  box.hidden = !trace.stage;
  if (!trace.stage) return;
  for (let i = 1; i <= trace.stage.of; i++) {
    const b = text('button', String(i), 'stage-button' + (i === trace.stage.index ? ' on' : ''));
    b.type = 'button';
    b.dataset.stage = i;
    b.onclick = () => { S.stage = i; S.trace = null; loadTrace(); };
    box.appendChild(b);
  }
  box.appendChild(text('span', `${trace.stage.name} → ${trace.stage.target}`, 'muted'));
}

async function loadText() {
  try {
    $('trace-text').textContent = await api('/api/models/' + S.model + '/text' + query({ lang: S.lang }));
  } catch (e) {
    $('trace-text').textContent = e.message;
  }
}

const MAX_NODES = 30;

// The nodes a layer shows: all of them, or the first and last of a long layer with a gap
// between (bias nodes always, last).
function shownNodes(layer) {
  if (layer.nodes.length <= MAX_NODES + 1) return { shown: layer.nodes, hidden: 0 };
  const units = layer.nodes.filter((n) => n.kind !== 'BIAS');
  const bias = layer.nodes.filter((n) => n.kind === 'BIAS');
  const half = Math.floor(MAX_NODES / 2) - 1;
  return { shown: units.slice(0, half).concat([{ gap: true }], units.slice(units.length - half), bias), hidden: units.length - 2 * half };
}

// Layers in columns, left to right, nodes top to bottom: the course's feed-forward picture.
function layoutColumns(g, width0) {
  const colW = Math.max(130, Math.min(300, (width0 - 200) / Math.max(1, g.layers.length - 1)));
  const tallest = Math.max(...g.layers.map((l) => Math.min(l.nodes.length, MAX_NODES + 1)));
  const maps = g.layers.some((l) => l.nodes.some((n) => n.kind === 'MAP'));
  const gap = Math.max(maps ? 38 : 15, Math.min(34, 560 / tallest));
  const place = {};
  g.layers.forEach((layer, li) => {
    const x = 90 + li * colW;
    const { shown, hidden } = shownNodes(layer);
    const span = (tallest - 1) * gap;
    const gapL = shown.length > 1 ? Math.min(56, span / (shown.length - 1)) : 0;
    const top = 70 + (span - (shown.length - 1) * gapL) / 2;
    place[layer.id] = {
      cx: x, cy: 70 + span / 2, hw: 16, labelAt: { x, y: 22, anchor: 'middle', sub: true }, chars: Math.floor(colW / 7.5), hidden, first: li === 0,
      crowded: shown.length > 1 && gapL < 26,   // too close for a label above each node: hovering names it
      items: shown.map((n, ni) => ({ n, x, y: top + ni * gapL, r: n.kind === 'MAP' ? Math.min(15, (shown.length > 1 ? gapL : 56) / 2 - 5) : Math.min(11, gap / 2 - 1) })),
    };
  });
  return { place, width: 90 + (g.layers.length - 1) * colW + 90, height: Math.max(300, tallest * gap + 110) };
}

// A recurrent network unrolled over time as the course draws it: a column per time step, the
// input X(t) at the bottom, the states S(t) (and an LSTM's cell and gates) above it, the output
// Y(t) on top, each layer a row of nodes; the state carried right from step to step.
function unrollable(g) {
  if (!g.layers.every((l) => l.step != null)) return false;
  const steps = new Set(g.layers.map((l) => l.step));
  if (steps.size < 2 || steps.size > 12) return false;
  const perStep = {};
  for (const l of g.layers) if (l.role === 'HIDDEN') perStep[l.step] = (perStep[l.step] || 0) + 1;
  return Object.values(perStep).every((k) => k <= 3) && g.layers.every((l) => l.nodes.length <= MAX_NODES);
}

function layoutUnrolled(g, width0) {
  const steps = [...new Set(g.layers.map((l) => l.step))].sort((a, b) => a - b);
  const kind = (l) => l.id.replace(/\d+$/, '');
  const kinds = (role) => [...new Set(g.layers.filter((l) => l.role === role).map(kind))];
  const outputs = kinds('OUTPUT'), hiddens = kinds('HIDDEN').filter((k) => !outputs.includes(k));
  const inputs = kinds('INPUT').filter((k) => !hiddens.includes(k) && !outputs.includes(k));   // S(0), C(0) sit in their state's row
  const bands = outputs.concat(hiddens.slice().reverse(), inputs);   // Y on top, the last state next, the gates above X
  const colW = Math.max(190, Math.min(320, (width0 - 120) / steps.length));
  const bandH = 92;
  const place = {};
  for (const layer of g.layers) {
    const col = steps.indexOf(layer.step), band = bands.indexOf(kind(layer));
    const cx = 110 + col * colW + colW / 2, cy = 60 + band * bandH;
    const nodes = layer.nodes;
    const dx = Math.min(24, (colW - 70) / Math.max(1, nodes.length));   // room for the row's label on its left
    const r = Math.max(3, Math.min(9, dx / 2 - 1));
    place[layer.id] = {
      cx, cy, hw: (nodes.length * dx) / 2, labelAt: { x: cx - (nodes.length * dx) / 2 - 8, y: cy + 4, anchor: 'end' }, chars: 12, hidden: 0, row: true,
      items: nodes.map((n, i) => ({ n, x: cx + (i - (nodes.length - 1) / 2) * dx, y: cy, r })),
    };
  }
  return { place, width: 110 + steps.length * colW + 40, height: 60 + bands.length * bandH };
}

// Draws the layers (from the layout) and the arrows between them.
function drawGraph() {
  const g = S.trace.graph;
  const svg = $('graph');
  svg.textContent = '';
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'head', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#94a3b8' }, marker);
  const unrolled = unrollable(g);
  svg.classList.toggle('unrolled', unrolled);
  const geo = (unrolled ? layoutUnrolled : layoutColumns)(g, svg.parentElement.clientWidth || 900);
  const { width, height } = geo;
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const weights = Object.fromEntries(g.weights.map((w) => [w.id, w]));
  const pos = {};
  const layerAt = {};
  const linkLayer = el('g', { class: 'links' }, svg);
  const arrowLayer = el('g', { class: 'arrows' }, svg);
  const nodeLayer = el('g', { class: 'nodes' }, svg);
  g.layers.forEach((layer) => {
    const p = geo.place[layer.id];
    layerAt[layer.id] = { x: p.cx, y: p.cy, hw: p.hw, layer };
    const lt = el('text', { x: p.labelAt.x, y: p.labelAt.y, 'text-anchor': p.labelAt.anchor, class: 'layer-label' }, nodeLayer);
    lt.textContent = layer.label.length > p.chars ? layer.label.slice(0, p.chars - 1) + '…' : layer.label;
    el('title', {}, lt).textContent = layer.label;
    if (p.labelAt.sub) {
      const units = layer.nodes.filter((n) => n.kind !== 'BIAS').length;
      const sub = el('text', { x: p.labelAt.x, y: 38, 'text-anchor': 'middle', class: 'layer-sub' }, nodeLayer);
      sub.textContent = (layer.activation ? layer.activation + ' · ' : '') + units;
    }
    for (const { n, x, y, r } of p.items) {
      if (n.gap) {
        const e = el('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'layer-sub' }, nodeLayer);
        e.textContent = '⋮ ' + p.hidden + ' ' + t('more');
        continue;
      }
      pos[n.id] = { x, y, r, node: n, layer };
      const cls = 'node' + (n.kind === 'BIAS' ? ' bias' : '');
      const ge = el('g', { class: cls, 'data-node': n.id, 'data-layer': layer.id, transform: `translate(${x},${y})` }, nodeLayer);
      if (n.kind === 'MAP' || n.kind === 'VECTOR') el('rect', { x: -r, y: -r, width: 2 * r, height: 2 * r, rx: 3 }, ge);
      else el('circle', { r: n.kind === 'BIAS' ? r * 0.8 : r }, ge);
      if (!p.row && (p.first || n.kind === 'BIAS' || !p.crowded)) {
        const label = p.first || n.kind === 'BIAS' ? el('text', { x: -r - 4, y: 4, 'text-anchor': 'end' }, ge)
          : el('text', { x: 0, y: -r - 3, 'text-anchor': 'middle', class: 'node-label' }, ge);
        label.textContent = n.kind === 'BIAS' ? '+1' : n.label;
        if (p.first && layer.role === 'INPUT' && n.kind !== 'BIAS') el('text', { x: r + 4, y: 4, class: 'input-value' }, ge);
      }
      el('text', { x: r + 4, y: 4, class: 'value' }, ge);
      el('text', { x: r + 4, y: 15, class: 'gradv' }, ge);
      ge.addEventListener('mousemove', (ev) => tooltip(ev, nodeTip(n.id)));
      ge.addEventListener('mouseleave', hideTip);
    }
  });
  S.drawn = { pos, layerAt, weights, arrows: {} };
  const input = g.layers[0];
  const x = S.trace.example && S.trace.example.input;
  const units = input.nodes.filter((n) => n.kind !== 'BIAS');
  if (input.role === 'INPUT' && x && units.length === 1 && units[0].kind === 'MAP' && units[0].shape) {   // an image: its picture
    S.inputMap = () => showMap(nodeEl(units[0].id), x, units[0].shape.slice(-2), input.id);
  } else {
    S.inputMap = null;
  }
  if (input.role === 'INPUT' && x && x.length === units.length) {   // the example's values stand at the input nodes
    units.forEach((n, i) => {
      const ne = nodeEl(n.id);
      if (ne) ne.querySelector('.input-value') && (ne.querySelector('.input-value').textContent = fmt(x[i]));
    });
  }
  let links = 0;
  for (const c of g.connections) {
    const from = g.layers.find((l) => l.id === c.from), to = g.layers.find((l) => l.id === c.to);
    if (!from || !to) continue;
    const w = c.weight ? weights[c.weight] : null;
    const ins = from.nodes.filter((n) => n.kind !== 'BIAS'), outs = to.nodes.filter((n) => n.kind !== 'BIAS');
    const dense = (c.pattern === 'DENSE' || c.pattern === 'EMBEDDING') && ins.length * outs.length <= 4096;
    if (!dense) {
      const a = layerAt[c.from], b = layerAt[c.to];
      const lift = links++ % 2 === 0 ? 0 : 16;   // neighbours' labels apart
      const same = Math.abs(a.y - b.y) < 1;
      const x1 = same ? a.x + a.hw : a.x, y1 = (same ? a.y : a.y + Math.sign(b.y - a.y) * 10) + lift;
      const x2 = same ? b.x - b.hw - 2 : b.x, y2 = (same ? b.y : b.y - Math.sign(b.y - a.y) * 12) + lift;
      const mx = (x1 + x2) / 2 + (same ? 0 : 26), my = same ? Math.min(y1, y2) - 30 : (y1 + y2) / 2;   // over a row's gap, or beside a column
      const path = el('path', { class: 'link', d: `M ${x1} ${y1} C ${mx} ${my}, ${mx} ${my}, ${x2} ${y2}`, 'data-from': c.from, 'data-to': c.to, 'data-weight': c.weight || '' }, linkLayer);
      const lbl = el('text', { x: mx, y: my + 6, 'text-anchor': 'middle', class: 'link-label' }, linkLayer);
      lbl.textContent = c.pattern.toLowerCase().replace('_', ' ') + (c.kernel ? ` ${c.kernel}×${c.kernel}` : '') + (c.stride ? ` /${c.stride}` : '') + (w ? ' · ' + w.label : '');
      (S.drawn.arrows[c.to] ||= []).push(path);
      continue;
    }
    const bias = c.bias ? weights[c.bias] : null;
    const biasNode = from.nodes.find((n) => n.kind === 'BIAS');
    const at = (i, j) => {
      if (!w || !w.values) return null;
      if (w.shape[0] === outs.length && w.shape[1] === ins.length) return [j * ins.length + i, w.values[j * ins.length + i]];
      if (w.shape[0] === ins.length && w.shape[1] === outs.length) return [i * outs.length + j, w.values[i * outs.length + j]];
      return null;
    };
    let maxAbs = 1e-9;
    if (w && w.values) for (const v of w.values) maxAbs = Math.max(maxAbs, Math.abs(v));
    outs.forEach((o, j) => {
      const b = pos[o.id];
      if (!b) return;
      const sources = ins.map((n, i) => [n, at(i, j), c.weight]);
      if (biasNode && bias) sources.push([biasNode, [j, bias.values[j]], c.bias]);
      for (const [n, wv, wid] of sources) {
        const a = pos[n.id];
        if (!a) continue;
        const value = wv ? wv[1] : 0;
        const len = Math.hypot(b.x - a.x, b.y - a.y) || 1, ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
        const frozen = S.drawn.weights[wid] && S.drawn.weights[wid].training === 'FROZEN';
        const line = el('line', {
          class: 'arrow ' + (value >= 0 ? 'pos' : 'neg') + (frozen ? ' frozen' : ''), x1: a.x + ux * a.r, y1: a.y + uy * a.r, x2: b.x - ux * b.r, y2: b.y - uy * b.r,
          'stroke-width': (0.6 + 2.6 * Math.min(1, Math.abs(value) / maxAbs)).toFixed(2),
          'data-from': n.id, 'data-to': o.id, 'data-weight': wid, 'data-index': wv ? wv[0] : -1,
        }, arrowLayer);
        line.addEventListener('mousemove', (ev) => tooltip(ev, arrowTip(line)));
        line.addEventListener('mouseleave', hideTip);
        (S.drawn.arrows[o.id] ||= []).push(line);
      }
    });
  }
}

const PHASE = {
  forward: 'forward', map_forward: 'forward', window: 'forward', lstm_cell: 'forward', attention_head: 'forward', reparameterize: 'forward', gan_step: 'forward',
  loss: 'loss', total_loss: 'loss', kl_divergence: 'loss',
  node_gradient: 'backward', map_gradient: 'backward', weight_gradient: 'backward', latent_gradient: 'backward',
  update: 'update',
};

// Shows the graph after the first S.at events: every node computed so far with its value, the
// current event lit (its node, the arrows it used), its numbers in the caption.
function renderStep() {
  const events = S.trace.events;
  const svg = $('graph');
  for (const im of svg.querySelectorAll('.node image')) im.remove();
  for (const e of svg.querySelectorAll('.node')) {
    e.classList.remove('computed', 'active', 'graded', 'grad-active', 'target');
    e.querySelector('.value').textContent = '';
    e.querySelector('.gradv').textContent = '';
    const tl = e.querySelector('.target-label');
    if (tl) tl.remove();
  }
  for (const a of svg.querySelectorAll('.arrow, .link')) a.classList.remove('in-use', 'back', 'updated');
  S.values = {};
  S.grads = {};
  S.updated = {};
  if (S.inputMap) S.inputMap();
  for (let k = 0; k < S.at; k++) apply(events[k], k === S.at - 1);
  $('position').textContent = S.at + ' / ' + events.length;
  $('back').disabled = S.at === 0;
  $('step').disabled = S.at === events.length;
  const cur = S.at > 0 ? events[S.at - 1] : null;
  const phase = cur ? PHASE[cur.type] || 'forward' : '';
  $('phase').className = 'phase ' + phase;
  $('phase').hidden = !phase;
  $('phase').textContent = phase ? t(phase) : '';
  updatePlot();
  $('caption').innerHTML = '';
  $('caption').appendChild(cur ? caption(cur) : text('p', t('start0')));
}

function nodeEl(id) { return $('graph').querySelector(`.node[data-node="${CSS.escape(id)}"]`); }

function apply(e, current) {
  if ((e.type === 'forward' || e.type === 'map_forward') && e.node) {
    S.values[e.node] = e;
    const n = nodeEl(e.node);
    if (n) {
      n.classList.add('computed');
      if (typeof e.value === 'number') n.querySelector('.value').textContent = fmt(e.value);
      const p = S.drawn.pos[e.node];
      if (e.type === 'map_forward' && p && p.node.shape) showMap(n, e.values, p.node.shape.slice(-2), e.layer);
      if (current) {
        n.classList.add('active');
        for (const a of S.drawn.arrows[e.node] || []) a.classList.add('in-use');
      }
    }
  } else if (e.type === 'loss' && e.layer) {
    const layer = S.trace.graph.layers.find((l) => l.id === e.layer);
    if (layer && e.target) {
      layer.nodes.filter((n) => n.kind !== 'BIAS').forEach((n, i) => {
        const ne = nodeEl(n.id);
        if (!ne || e.target[i] == null) return;
        if (e.targetClass != null ? i === e.targetClass : true) {
          ne.classList.add('target');
          const lbl = el('text', { x: 0, y: -14, 'text-anchor': 'middle', class: 'target-label' }, ne);
          lbl.textContent = 'Y=' + fmt(e.target[i]);
        }
      });
    }
  } else if (e.type === 'node_gradient' && e.node) {
    S.grads[e.node] = e.gradient;
    const n = nodeEl(e.node);
    if (n) {
      n.classList.add('graded');
      n.querySelector('.gradv').textContent = 'δ ' + fmt(e.gradient);
      if (current) {
        n.classList.add('grad-active');
        for (const a of S.drawn.arrows[e.node] || []) a.classList.add('back');
      }
    }
  } else if ((e.type === 'weight_gradient' || e.type === 'update') && e.weight) {
    if (e.type === 'update') S.updated[e.weight] = e;
    if (current) for (const a of $('graph').querySelectorAll(`[data-weight="${CSS.escape(e.weight)}"]`)) a.classList.add(e.type === 'update' ? 'updated' : 'back', 'in-use');
  }
}

function text(tag, s, cls) {
  const e = document.createElement(tag);
  e.textContent = s;
  if (cls) e.className = cls;
  return e;
}

function nodeLabel(id) {
  const p = S.drawn.pos[id];
  return p ? p.node.label : id;
}

function weightLabel(id) {
  const w = S.drawn.weights[id];
  return w ? w.label : id;
}

function caption(e) {
  const box = document.createElement('div');
  const phase = PHASE[e.type] || 'forward';
  if (e.type === 'forward' && e.inputs && e.weights) {
    box.appendChild(text('h3', `${t('forward')} · ${nodeLabel(e.node)} (${e.layer})`));
    const terms = e.inputs.map((x, i) => [e.weights[i], x]);
    const shown = terms.filter(([w, x]) => x !== 0).slice(0, 8);
    const lines = shown.map(([w, x]) => `${fmt(w)} × ${fmt(x)}`);
    if (terms.filter(([, x]) => x !== 0).length > shown.length) lines.push('…');
    box.appendChild(text('div', `${t('terms')}:\n  ${lines.join('\n+ ') || '0'}${e.bias != null ? '\n+ ' + fmt(e.bias) + '  (' + t('bias') + ')' : ''}`, 'formula'));
    box.appendChild(text('div', `${t('weightedSum')} z = ${fmt(e.sum)}\n${t('activation')} ${e.activation || 'identity'}(z) = ${fmt(e.value)}`, 'formula'));
  } else if (e.type === 'loss') {
    box.appendChild(text('h3', `${t('lossOf')} (${e.kind || ''}) = ${fmt(e.value)}`));
    box.appendChild(text('p', t('against') + (e.targetClass != null ? ': ' + t('target') + ' = ' + e.targetClass : '')));
    if (e.output && e.target) box.appendChild(table([['', 'output', 'Y']].concat(e.output.slice(0, 12).map((o, i) => [String(i), fmt(o), fmt(e.target[i])]))));
  } else if (e.type === 'node_gradient') {
    box.appendChild(text('h3', `${t('backward')} · ${nodeLabel(e.node)} (${e.layer})`));
    box.appendChild(text('div', `${t('dLdz')} = ${fmt(e.gradient)}`, 'formula'));
  } else if (e.type === 'weight_gradient') {
    box.appendChild(text('h3', `${t('weightGrad')} ${weightLabel(e.weight)}`));
    box.appendChild(text('div', 'dL/d' + weightLabel(e.weight) + ' = [' + (e.values || []).slice(0, 8).map(fmt).join(', ') + ((e.values || []).length > 8 ? ', …' : '') + ']', 'formula'));
  } else if (e.type === 'update') {
    const r = S.trace.rule || {};
    box.appendChild(text('h3', `${t('updateOf')} ${weightLabel(e.weight)} (${r.name || ''}, lr ${fmt(r.lr)})`));
    const rows = [['', t('oldNew'), t('gradient')]];
    for (let i = 0; i < Math.min(10, (e.before || []).length); i++) rows.push([String(e.indices ? e.indices[i] : i), `${fmt(e.before[i])} → ${fmt(e.after[i])}`, fmt(e.gradient ? e.gradient[i] : null)]);
    box.appendChild(table(rows));
  } else {
    box.appendChild(text('h3', `${t(phase)} · ${e.type.replace(/_/g, ' ')}`));
    const rows = [];
    for (const [k, v] of Object.entries(e)) {
      if (k === 'type' || v == null) continue;
      if (Array.isArray(v)) rows.push([k, '[' + v.slice(0, 6).map((x) => (typeof x === 'number' ? fmt(x) : Array.isArray(x) ? '[…]' : String(x))).join(', ') + (v.length > 6 ? ', …' : '') + ']']);
      else if (typeof v === 'object') continue;
      else rows.push([k, fmt(v)]);
    }
    box.appendChild(table(rows));
    const grids = document.createElement('div');
    grids.className = 'grids';
    const node = e.node && S.drawn.pos[e.node];
    const shape = node && node.node.shape ? node.node.shape.slice(-2) : null;
    if (Array.isArray(e.values) && shape && shape.length === 2 && shape[0] * shape[1] === e.values.length && shape[0] <= 28) {   // a map: its grid
      const rows = Array.from({ length: shape[0] }, (_, r) => e.values.slice(r * shape[1], (r + 1) * shape[1]));
      const colour = /pool/.test(e.layer) ? COLOURS.pooled : COLOURS.map;
      grids.appendChild(labelled(nodeLabel(e.node), grid(rows, e.type === 'map_gradient' ? COLOURS.attention : colour, { small: true })));
    }
    for (const p of matrixPanels(e)) grids.appendChild(p);
    box.appendChild(grids);
  }
  return box;
}

function table(rows) {
  const tb = document.createElement('table');
  for (const r of rows) {
    const tr = document.createElement('tr');
    for (const c of r) tr.appendChild(text('td', c));
    tb.appendChild(tr);
  }
  return tb;
}

function nodeTip(id) {
  const p = S.drawn.pos[id];
  const lines = [`${p.node.label}  (${id})`];
  const f = S.values[id];
  if (f) {
    if (f.sum != null) lines.push(`z = ${fmt(f.sum)}`);
    if (f.value != null) lines.push(`${f.activation || 'value'} → ${fmt(f.value)}`);
  }
  if (S.grads[id] != null) lines.push(`dL/dz = ${fmt(S.grads[id])}`);
  if (p.node.kind === 'BIAS') lines.push(t('bias') + ' = 1');
  return lines.join('\n');
}

function arrowTip(line) {
  const wid = line.dataset.weight, idx = Number(line.dataset.index);
  const w = S.drawn.weights[wid];
  const lines = [`${nodeLabel(line.dataset.from)} → ${nodeLabel(line.dataset.to)}`];
  if (w && idx >= 0) {
    lines.push(`${w.label}[${idx}] = ${fmt(w.values[idx])}${w.training === 'FROZEN' ? '  (' + t('frozen') + ')' : ''}`);
    const u = S.updated[wid];
    if (u && u.before && (u.indices == null)) lines.push(`${t('oldNew')}: ${fmt(u.before[idx])} → ${fmt(u.after[idx])}`);
  }
  return lines.join('\n');
}

function tooltip(ev, s) {
  const tip = $('tooltip');
  tip.textContent = s;
  tip.hidden = false;
  tip.style.left = ev.clientX + 14 + 'px';
  tip.style.top = ev.clientY + 12 + 'px';
}

function hideTip() { $('tooltip').hidden = true; }

function go(delta) {
  if (!S.trace) return;
  const n = Math.max(0, Math.min(S.trace.events.length, S.at + delta));
  if (n === S.at) { stopPlay(); return; }
  S.at = n;
  renderStep();
}

function stopPlay() {
  if (S.timer) clearInterval(S.timer);
  S.timer = null;
  $('play').textContent = t('play');
}

function togglePlay() {
  if (S.timer) { stopPlay(); return; }
  if (S.trace && S.at === S.trace.events.length) S.at = 0;
  $('play').textContent = t('pause');
  S.timer = setInterval(() => go(1), Number($('speed').value));
}

// ---------- training ----------
function fillTrainForm(info) {
  const sel = $('preset');
  sel.textContent = '';
  for (const p of info.presets) {
    const o = document.createElement('option');
    o.value = o.textContent = p;
    sel.appendChild(o);
  }
  const fill = () => {   // the chosen preset's own defaults
    const d = (info.preset_defaults && info.preset_defaults[sel.value]) || info.defaults;
    $('epochs').value = d.epochs;
    $('lr').value = d.lr;
  };
  sel.onchange = fill;
  fill();
  $('seed').value = 42;
  $('train-metrics').textContent = '';
  $('train-status').textContent = '';
  $('explain-trained').hidden = true;
  $('samples').hidden = true;
  $('sample-strip').textContent = '';
  S.curve = { loss: [], val: [] };
  drawCurve();
  trainPlot(info.name);
}

async function startTraining() {
  const body = { model: S.model, preset: $('preset').value, epochs: Number($('epochs').value), lr: Number($('lr').value), seed: Number($('seed').value) };
  S.curve = { loss: [], val: [] };
  drawCurve();
  $('train-metrics').textContent = '';
  $('explain-trained').hidden = true;
  $('samples').hidden = true;
  $('sample-strip').textContent = '';
  $('pictures').textContent = '';
  $('neighbours').hidden = true;
  try {
    await api('/api/train', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch (e) {
    $('train-status').textContent = e.message;
    showError(e.message);
    return;
  }
  $('start').disabled = true;
  $('stop').disabled = false;
  $('train-status').textContent = t('running');
  listen(S.model);
}

function listen(model) {
  if (S.source) S.source.close();
  const src = new EventSource('/api/train/events' + (S.token ? '?token=' + encodeURIComponent(S.token) : ''));
  S.source = src;
  let steps = 0;
  let offset = 0, last = 0, perEpoch = 0;   // a run in stages counts its steps from 1 in each: the curve runs on
  src.addEventListener('started', (m) => { perEpoch = JSON.parse(m.data).stepsPerEpoch; });
  src.addEventListener('stage', (m) => { offset = last; perEpoch = JSON.parse(m.data).stepsPerEpoch; });
  src.addEventListener('step', (m) => {
    const e = JSON.parse(m.data);
    steps = e.totalSteps;
    last = offset + e.step;
    S.curve.loss.push([last, e.loss]);
    $('train-status').textContent = `${t('running')} ${t('epoch')} ${e.epoch} · ${t('steps')} ${e.step}/${e.totalSteps} · loss ${fmt(e.meanLoss)}`;
    drawCurve();
  });
  src.addEventListener('epoch_end', (m) => {
    const e = JSON.parse(m.data);
    if (S.trainLine && e.metrics) S.trainLine(e.metrics);
    const v = e.metrics && (e.metrics.val_loss ?? e.metrics.test_loss);
    if (typeof v === 'number') S.curve.val.push([perEpoch > 0 ? offset + e.epoch * perEpoch : last, v]);   // at the step the epoch ended
    drawCurve();
  });
  const done = (state, extra) => {
    src.close();
    S.source = null;
    $('start').disabled = false;
    $('stop').disabled = true;
    $('train-status').textContent = t(state) + (extra ? ': ' + extra : '');
  };
  src.addEventListener('finished', (m) => {
    const e = JSON.parse(m.data);
    const rows = Object.entries(e.metrics).filter(([, v]) => typeof v !== 'object').map(([k, v]) => [k, fmt(v)]);
    $('train-metrics').replaceWith(Object.assign(table(rows), { id: 'train-metrics' }));
    done('finished', fmt(e.seconds) + ' s');
    $('explain-trained').hidden = model !== S.model;
    showPictures();
  });
  src.addEventListener('sample', (m) => {
    const e = JSON.parse(m.data);
    const url = e.url + (S.token ? '?token=' + encodeURIComponent(S.token) : '');
    $('samples').hidden = false;
    $('sample-img').src = url;
    $('sample-img').dataset.epoch = e.epoch;
    $('sample-epoch').textContent = t('epoch') + ' ' + e.epoch;
    const thumb = document.createElement('img');
    thumb.src = url;
    thumb.title = t('epoch') + ' ' + e.epoch;
    thumb.onclick = () => { $('sample-img').src = url; $('sample-epoch').textContent = thumb.title; };
    $('sample-strip').appendChild(thumb);
  });
  src.addEventListener('snapshot', (m) => showSnapshot(JSON.parse(m.data)));
  src.addEventListener('stopped', () => done('stopped'));
  src.addEventListener('failed', (m) => done('failed', JSON.parse(m.data).error));
}

// word2vec's words moving: each word's nearest words at an epoch's end, as the engine measured them.
function showSnapshot(e) {
  const nearest = e.values && e.values.nearest;
  if (!nearest) return;
  const box = $('neighbours');
  box.hidden = false;
  box.textContent = '';
  box.appendChild(text('div', `${t('nearestTitle')} · ${t('epoch')} ${e.epoch}`, 'panel-title'));
  const rows = [[t('word'), t('nearest')]];
  for (const [w, list] of Object.entries(nearest)) rows.push([w, list.map((n) => `${n.word} (${fmt(n.similarity)})`).join(', ')]);
  const tb = table(rows);
  tb.className = 'plain';
  box.dataset.epoch = e.epoch;
  box.appendChild(tb);
}

// What the trained model learned, drawn by the engine (reconstructions, a latent plane), if anything.
async function showPictures() {
  const box = $('pictures');
  box.textContent = '';
  let list = [];
  try {
    list = await api('/api/train/pictures');
  } catch (e) {
    return;
  }
  for (const p of list) {
    const fig = document.createElement('figure');
    fig.dataset.picture = p.name;
    const img = document.createElement('img');
    img.src = p.url + (S.token ? '?token=' + encodeURIComponent(S.token) : '');
    fig.append(text('figcaption', t(p.name)), img);
    box.appendChild(fig);
  }
}

function drawCurve() {
  const svg = $('curve');
  svg.textContent = '';
  const W = svg.clientWidth || 900, H = 280, L = 56, R = 16, TOP = 16, B = 34;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const pts = S.curve.loss;
  svg.dataset.points = String(pts.length);
  el('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }, svg);
  el('line', { class: 'axis', x1: L, y1: TOP, x2: L, y2: H - B }, svg);
  const cap = el('text', { x: L, y: H - 8 }, svg);
  cap.textContent = `— ${t('lossCurve')}   - - ${t('valCurve')}`;
  if (pts.length === 0) return;
  const maxX = Math.max(...pts.map((p) => p[0]), ...S.curve.val.map((p) => p[0]), 1);
  const ys = pts.map((p) => p[1]).concat(S.curve.val.map((p) => p[1])).filter(Number.isFinite);
  const lo = Math.min(...ys), hi = Math.max(...ys);
  const y = (v) => TOP + (H - B - TOP) * (hi === lo ? 0.5 : 1 - (v - lo) / (hi - lo));
  const x = (s) => L + (W - L - R) * (s / maxX);
  el('polyline', { class: 'loss', points: pts.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ') }, svg);
  if (S.curve.val.length > 0) {
    el('polyline', { class: 'val', points: S.curve.val.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ') }, svg);
  }
  for (const v of [hi, lo]) {
    const tx = el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, svg);
    tx.textContent = fmt(v);
  }
  const sx = el('text', { x: W - R, y: H - B + 14, 'text-anchor': 'end' }, svg);
  sx.textContent = maxX + ' ' + t('steps');
}

// ---------- start ----------
async function main() {
  $('lang').onclick = () => {
    S.lang = S.lang === 'en' ? 'ko' : 'en';
    localStorage.setItem('glassbox.lang', S.lang);
    applyLanguage();
  };
  $('back').onclick = () => { stopPlay(); go(-1); };
  $('step').onclick = () => { stopPlay(); go(1); };
  $('play').onclick = togglePlay;
  $('speed').onchange = () => { if (S.timer) { stopPlay(); togglePlay(); } };
  $('tab-step').onclick = () => { location.hash = '#/model/' + S.model; };
  $('tab-train').onclick = () => { location.hash = '#/model/' + S.model + '/train'; };
  $('start').onclick = startTraining;
  $('stop').onclick = () => api('/api/train/stop', { method: 'POST' }).catch((e) => showError(e.message));
  $('explain-trained').onclick = () => {
    S.trained = true;
    S.trace = null;
    location.hash = '#/model/' + S.model;
    loadTrace();
  };
  document.addEventListener('keydown', (e) => {
    if ($('model').hidden || $('step-view').hidden || e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
    if (e.key === 'ArrowRight') { stopPlay(); go(1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { stopPlay(); go(-1); e.preventDefault(); }
  });
  window.addEventListener('hashchange', route);
  try {
    S.models = await api('/api/models');
  } catch (e) {
    showError(e.message);
  }
  applyLanguage();
  await route();
  document.body.dataset.ready = 'true';
}

main();
