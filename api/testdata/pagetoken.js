// pagetoken.js runs the web page's script against a live dealwire API that
// has a token, with just enough of a browser around it (DOM elements,
// sessionStorage, fetch), and walks through what a user does: the page asks
// for the token, refuses a wrong one, searches with the right one, shows a
// record, forgets the token. It exits 1 naming the first step that failed.
//
// Usage: node pagetoken.js BASE_URL PAGE_SCRIPT_FILE TOKEN
'use strict';
const vm = require('node:vm');
const fs = require('node:fs');
const [, , base, scriptFile, token] = process.argv;

function el(extra) {
  const e = Object.assign({
    hidden: false, innerHTML: '', className: '', style: {}, dataset: {}, listeners: {}, elements: {}, children: [],
    addEventListener(type, f) { this.listeners[type] = f; },
    focus() {},
    appendChild(c) { this.children.push(c); },
  }, extra);
  let text = '';
  Object.defineProperty(e, 'textContent', {
    get() { return text; },
    set(v) { text = String(v); e.innerHTML = text; },
  });
  return e;
}
const mainForm = el({elements: {view: el({value: 'articles'}), q: {value: ''}}});
const authForm = el({hidden: true, elements: {token: {value: '', focus() {}}}});
const els = {
  f: mainForm, hits: el(), status: el(), facets: el(), more: el(),
  results: el(), detail: el({hidden: true}), chart: el(), exports: el(), active: el(), main: el(),
  auth: authForm, authmsg: el(), forget: el({hidden: true}),
};
const storage = new Map();
const tokenKey = 'dealwire.api_token';
const requests = [];
const context = vm.createContext({
  document: {getElementById: id => els[id], createElement: () => el()},
  sessionStorage: {
    getItem: k => (storage.has(k) ? storage.get(k) : null),
    setItem: (k, v) => storage.set(k, String(v)),
    removeItem: k => storage.delete(k),
  },
  history: {replaceState() {}},
  location: {search: ''},
  URLSearchParams, TextEncoder, TextDecoder,
  FormData: class {
    constructor(form) { this.entries = [['q', form.elements.q.value]]; }
    [Symbol.iterator]() { return this.entries[Symbol.iterator](); }
  },
  fetch: (path, opts = {}) => {
    requests.push({path, auth: (opts.headers || {}).Authorization || ''});
    return fetch(base + path, opts);
  },
  console, setTimeout,
});

function check(ok, step, detail) {
  if (!ok) {
    console.error(`step "${step}" failed: ${detail}`);
    process.exit(1);
  }
}
// settle waits until the page's search has answered (the status is no
// longer "Searching…"), for at most 10 s.
async function settle(step) {
  for (let i = 0; i < 1000; i++) {
    await new Promise(r => setTimeout(r, 10));
    if (els.status.innerHTML !== 'Searching…') return;
  }
  check(false, step, 'the page never finished searching');
}
const submit = form => form.listeners.submit({preventDefault() {}});
const lastAuth = () => requests[requests.length - 1].auth;

(async () => {
  vm.runInContext(fs.readFileSync(scriptFile, 'utf8'), context);
  await settle('first load');
  check(!authForm.hidden, 'first load', 'the token form is hidden');
  check(els.status.innerHTML.includes('needs its API token'), 'first load', `status ${els.status.innerHTML}`);
  check(lastAuth() === '', 'first load', `sent ${lastAuth()} with no token given`);

  authForm.elements.token.value = token + 'x';
  submit(authForm);
  await settle('wrong token');
  check(lastAuth() === 'Bearer ' + token + 'x', 'wrong token', `sent ${lastAuth()}`);
  check(!authForm.hidden && els.authmsg.textContent.includes('refused'), 'wrong token', `form hidden ${authForm.hidden}, message ${els.authmsg.textContent}`);
  check(!storage.has(tokenKey), 'wrong token', 'the refused token was kept');

  authForm.elements.token.value = ' ' + token + ' ';
  submit(authForm);
  await settle('right token');
  check(lastAuth() === 'Bearer ' + token, 'right token', `sent ${lastAuth()}`);
  check(authForm.hidden && !els.forget.hidden, 'right token', 'the token form is still shown or "Forget token" hidden');
  check(els.hits.innerHTML.includes('Quillstone') && els.status.innerHTML.includes('2 matching articles'), 'right token', `status ${els.status.innerHTML}`);
  check(authForm.elements.token.value === '', 'right token', 'the token stays in the input');

  const pre = [];
  const hit = {querySelector: () => null, appendChild: c => pre.push(c)};
  const link = {getAttribute: () => '/api/articles/a1', closest: () => hit};
  let prevented = false;
  await els.hits.listeners.click({target: {closest: () => link}, preventDefault() { prevented = true; }});
  check(prevented && pre.length === 1 && pre[0].textContent.includes('"id": "a1"'), 'record', `prevented ${prevented}, shown ${pre.map(p => p.textContent).join('')}`);
  check(lastAuth() === 'Bearer ' + token, 'record', `sent ${lastAuth()}`);

  els.forget.listeners.click();
  await settle('forget token');
  check(!storage.has(tokenKey) && !authForm.hidden && els.hits.innerHTML === '', 'forget token', 'the token or the hits are still there');
  console.log(`ok: ${requests.length} requests`);
})().catch(e => check(false, 'script', e.stack));
