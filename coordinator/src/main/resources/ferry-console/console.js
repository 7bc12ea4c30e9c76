// Ferry's read-only console. It reads the control API with the token kept in this tab's
// sessionStorage (sent as an Authorization header, never in a URL) and redraws every few seconds.
'use strict';

const POLL_MILLIS = 3000;
const TOKEN_KEY = 'ferry.token';
const SVG = 'http://www.w3.org/2000/svg';
let timer = null;

function token() { return sessionStorage.getItem(TOKEN_KEY); }

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function get(path) {
  const headers = { Accept: 'application/json' };
  if (token()) { headers.Authorization = 'Bearer ' + token(); }
  const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new HttpError(response.status, (body.error && body.error.message) || response.statusText);
  }
  return body;
}

// Fetches path; a 403 (this token's role may not see it) becomes {forbidden: message}.
async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 403) { return { forbidden: e.message }; }
    throw e;
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) node.setAttribute(k, v); });
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) { node.textContent = text; }
  return node;
}

function table(id, columns, rows, empty) {
  const t = document.getElementById(id);
  t.replaceChildren(el('tr', {}, columns.map(c => el('th', {}, c.title))));
  if (rows.forbidden) {
    t.append(el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, rows.forbidden)));
    return;
  }
  if (rows.length === 0) {
    t.append(el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, empty || 'none')));
  }
  rows.forEach(r => t.append(el('tr', r.rowAttrs ? r.rowAttrs() : {}, columns.map(c => el('td', {}, c.value(r))))));
}

function rate(bytes) {
  if (bytes == null) { return ''; }
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let value = bytes, i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return value.toFixed(value < 10 && i > 0 ? 1 : 0) + ' ' + units[i];
}

function badge(state) { return el('span', { class: 'badge state-' + (state || 'unknown') }, state || 'unknown'); }

function progress(counts) {
  const c = counts || {};
  const planned = c.planned || 0;
  const done = ['upToDate', 'succeeded', 'failed', 'conflict', 'rejected', 'cancelled']
    .reduce((sum, k) => sum + (c[k] || 0), 0);
  const share = planned === 0 ? 1 : Math.min(1, done / planned);
  const bar = el('span', { class: 'bar', title: done + ' of ' + planned }, el('span', { style: 'width:' + Math.round(share * 100) + '%' }));
  return [bar, ' ' + done + '/' + planned];
}

// The topology: a column per region (registries as nodes coloured by health), links between
// regions with quota and measured rate, and each route with an arrow to its active mirror.
function drawGraph(registries, links, routes) {
  const regions = [...new Set(registries.map(r => r.region || '(no region)'))].sort();
  const width = Math.max(640, regions.length * 240);
  const column = width / regions.length;
  const perRegion = {};
  const pos = {};
  registries.forEach(r => {
    const region = r.region || '(no region)';
    const i = (perRegion[region] = (perRegion[region] || 0) + 1) - 1;
    pos[r.name] = { x: column * regions.indexOf(region) + column / 2, y: 130 + i * 80 };
  });
  const rows = Math.max(1, ...Object.values(perRegion));
  const routeY = 130 + rows * 80 + 40;
  const height = routeY + 70;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'topology' });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#37474f' }));
  defs.append(marker);
  root.append(defs);

  regions.forEach((region, i) => {
    const g = svg('g', { class: 'region', 'data-region': region });
    g.append(svg('rect', { x: column * i + 10, y: 10, width: column - 20, height: routeY - 30, rx: 8, fill: '#f1f4f8', stroke: '#c5ced8' }));
    g.append(svg('text', { x: column * i + column / 2, y: 32, 'text-anchor': 'middle', 'font-weight': 'bold' }, region));
    root.append(g);
  });

  links.forEach(link => {
    const a = regions.indexOf(link.from), b = regions.indexOf(link.to);
    if (a < 0 || b < 0 || a === b) { return; }
    const x1 = column * a + column / 2, x2 = column * b + column / 2;
    const y = 60 + (a < b ? 0 : 22);
    const g = svg('g', { class: 'link', 'data-link': link.from + '->' + link.to });
    g.append(svg('line', { x1: x1 + (a < b ? 20 : -20), y1: y, x2: x2 + (a < b ? -20 : 20), y2: y, stroke: '#546e7a', 'stroke-width': 2, 'marker-end': 'url(#arrow)' }));
    const quota = link.bytesPerSecond ? rate(link.bytesPerSecond) : 'unlimited';
    g.append(svg('text', { x: (x1 + x2) / 2, y: y - 5, 'text-anchor': 'middle', 'font-size': 11 },
      'quota ' + quota + ' · now ' + rate(link.observedBytesPerSecond || 0)));
    root.append(g);
  });

  routes.forEach((route, i) => {
    const x = width / (routes.length + 1) * (i + 1);
    const g = svg('g', { class: 'route', 'data-route': route.name, 'data-active': route.active || '' });
    const target = route.active && pos[route.active];
    if (target) {
      g.append(svg('line', { class: 'route-arrow', 'data-route': route.name, 'data-target': route.active,
        x1: x, y1: routeY, x2: target.x, y2: target.y + 22, stroke: '#1565c0', 'stroke-width': 2.5, 'marker-end': 'url(#arrow)' }));
    }
    g.append(svg('rect', { x: x - 55, y: routeY, width: 110, height: 36, rx: 6, fill: '#e3f0ff', stroke: '#1565c0' }));
    g.append(svg('text', { x, y: routeY + 15, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold' }, 'route ' + route.name));
    g.append(svg('text', { x, y: routeY + 29, 'text-anchor': 'middle', 'font-size': 11 }, '→ ' + (route.active || 'none')));
    root.append(g);
  });

  registries.forEach(r => {
    const p = pos[r.name];
    const state = r.state || 'unknown';
    const g = svg('g', { class: 'registry', 'data-registry': r.name, 'data-state': state, 'data-in-routes': String(r.inRoutes) });
    g.append(svg('title', {}, r.name + ': ' + state + (r.reason ? ' (' + r.reason + ')' : '')));
    g.append(svg('circle', { cx: p.x, cy: p.y, r: 22, class: 'state-' + state, stroke: r.inRoutes === false ? '#000' : '#fff', 'stroke-width': 3, 'stroke-dasharray': r.inRoutes === false ? '4 3' : '' }));
    g.append(svg('text', { x: p.x + 30, y: p.y + 5, 'text-anchor': 'start', 'font-size': 12 }, r.name));
    root.append(g);
  });
  document.getElementById('graph').replaceChildren(root);
}

function showTopology(registries, links, routes) {
  drawGraph(registries, links, routes);
  table('registries', [
    { title: 'registry', value: r => r.name },
    { title: 'region', value: r => r.region || '' },
    { title: 'health', value: r => badge(r.state) },
    { title: 'in routes', value: r => r.inRoutes ? 'yes' : 'no' },
    { title: 'why', value: r => r.reason || '' }], registries);
  table('links', [
    { title: 'link', value: l => l.from + ' → ' + l.to },
    { title: 'quota', value: l => l.bytesPerSecond ? rate(l.bytesPerSecond) : 'unlimited' },
    { title: 'measured', value: l => rate(l.observedBytesPerSecond || 0) },
    { title: 'leases', value: l => (l.leases || []).length }], links, 'no link has a quota or leases');
  table('routes', [
    { title: 'route', value: r => r.name },
    { title: 'region', value: r => r.region || '' },
    { title: 'active mirror', value: r => r.active || 'none' },
    { title: 'why', value: r => r.reason || '' }], routes);
}

async function showPolicies(status) {
  const policies = await get('/v1/policies');
  const list = Array.isArray(policies) ? policies : (policies.policies || []);
  const runs = await Promise.all(list.map(p => p.lastRun ? optional('/v1/runs/' + encodeURIComponent(p.lastRun)).catch(() => null) : null));
  table('policy-table', [
    { title: 'policy', value: p => p.name },
    { title: 'tier', value: p => p.tier },
    { title: 'trigger', value: p => p.trigger },
    { title: 'paused', value: p => p.paused ? 'paused' : '' },
    { title: 'last run', value: p => p.run ? p.run.run + ' ' + p.run.state : '' },
    { title: 'progress', value: p => p.run ? progress(p.run.counts) : '' },
    { title: 'error', value: p => (p.run && p.run.error) || '' }],
  list.map((p, i) => ({ ...p, run: runs[i] && !runs[i].forbidden ? runs[i] : null })));
  table('active-runs', [
    { title: 'run', value: r => r.run },
    { title: 'policy', value: r => r.policy },
    { title: 'state', value: r => r.state },
    { title: 'progress', value: r => progress(r.counts) },
    { title: 'started', value: r => r.startedAt || '' }], status.activeRuns || [], 'no run in progress');
}

async function showJobs() {
  for (const state of ['queued', 'held', 'failed']) {
    const jobs = await optional('/v1/jobs?state=' + state + '&limit=50');
    const rows = jobs.forbidden ? jobs : (Array.isArray(jobs) ? jobs : (jobs.jobs || []));
    table('jobs-' + state, [
      { title: 'target', value: j => j.target },
      { title: 'policy', value: j => j.policy },
      { title: 'attempts', value: j => j.attempts },
      { title: 'reason', value: j => j.lastError || (state === 'queued' ? 'waiting for a worker' : '') }],
    rows.forbidden ? rows : rows.map(j => ({ ...j, rowAttrs: () => ({ class: 'job', 'data-job': j.id }) })));
  }
}

async function showActivity() {
  const drift = await optional('/v1/drift');
  table('drift', [
    { title: 'target', value: d => d.registry + '/' + d.repository + ':' + d.tag },
    { title: 'policy', value: d => d.policy },
    { title: 'action', value: d => d.action },
    { title: 'found', value: d => d.detectedAt }], drift.forbidden ? drift : (drift.drift || []), 'no drift found');
  const activity = await optional('/v1/activity?limit=200');
  const entries = activity.forbidden ? [] : (activity.entries || []);
  const drills = {};
  entries.filter(e => e.action.startsWith('drill.') && e.details && e.details.drill).forEach(e => {
    const d = drills[e.details.drill] || (drills[e.details.drill] = { id: e.details.drill, registry: e.subject, events: [] });
    d.events.push(e.action.substring(6) + ' ' + e.time);
    if (e.details.outcome) { d.outcome = e.details.outcome; }
  });
  table('drills', [
    { title: 'drill', value: d => d.id },
    { title: 'registry', value: d => d.registry },
    { title: 'outcome', value: d => d.outcome || 'running' },
    { title: 'events', value: d => d.events.join(', ') }], activity.forbidden ? activity : Object.values(drills), 'no drill');
  table('audit', [
    { title: 'seq', value: e => e.seq },
    { title: 'time', value: e => e.time },
    { title: 'actor', value: e => e.actor },
    { title: 'action', value: e => e.action },
    { title: 'subject', value: e => e.subject }], activity.forbidden ? activity : entries.slice(-30).reverse(), 'no event yet');
}

async function refresh() {
  const problem = document.getElementById('problem');
  try {
    const status = await get('/v1/status');
    const [registries, links, routes] = await Promise.all([get('/v1/registries'), optional('/v1/links'), get('/v1/routes')]);
    showTopology(registries.registries || [], links.links || [], routes.routes || []);
    await showPolicies(status);
    await showJobs();
    await showActivity();
    problem.hidden = true;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.status === 401) {
      signOut(e.message);
      return;
    }
    problem.textContent = 'Could not refresh: ' + e.message;
    problem.hidden = false;
  }
  timer = setTimeout(refresh, POLL_MILLIS);
}

function signOut(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById('console').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
}

function start() {
  document.getElementById('login').hidden = true;
  document.getElementById('console').hidden = false;
  document.getElementById('signout').hidden = !token();
  clearTimeout(timer);
  refresh();
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('login-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('token');
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    start();
  });
  document.getElementById('signout').addEventListener('click', () => signOut('Signed out.'));
  // Without a stored token the first refresh tries without one: a dev-mode API (no tokens
  // configured) answers; one with tokens answers 401 and the login form shows.
  start();
});
