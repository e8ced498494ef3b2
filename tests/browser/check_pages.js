#!/usr/bin/env node
// Opens every HTML page given on the command line in headless Chromium (Debian's,
// driven by playwright-core) and prints one JSON array, an object per page:
//   axe      axe-core violations (every rule axe runs by default, any impact)
//   lang, dir, h1, headings (levels in document order), languageLinks
//   phone    at 375 x 812: viewport and document width, elements sticking out
//   print    with print media: the font size, style and alignment of text
// tests/test_browser.py runs it once over build/ and judges the results.
'use strict';
const fs = require('fs');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
// Headless as root on a machine with no network: no sandbox, nothing phoned home.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 375, height: 812 };
const PARALLEL = 2;   // pages open at once (the machines have two cores)

function describePage() {
  const h = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  return {
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    title: document.title,
    h1: h.filter((e) => e.tagName === 'H1').length,
    headings: h.map((e) => Number(e.tagName[1])),
    languageLinks: [...document.querySelectorAll('nav.languages a')].map((a) => ({
      href: a.getAttribute('href'), hreflang: a.getAttribute('hreflang'),
      lang: a.getAttribute('lang'), text: a.textContent })),
  };
}

function name(el) {
  const cls = [...el.classList].map((c) => `.${c}`).join('');
  return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}`;
}

function overflow(describe) {
  const doc = document.documentElement;
  const width = window.innerWidth;
  const out = [];
  const outside = (r) => r.width && (r.left < -0.5 || r.right > width + 0.5);
  const where = (r) => `[${Math.round(r.left)}, ${Math.round(r.right)}]`;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (outside(r)) out.push(`${describe(el)} ${where(r)}`);
  }
  // Text can stick out of a box that fits (a word too long for the line),
  // unless a box around it cuts it off (as for text only screen readers get).
  const clipped = (el) => el && el !== document.body
    && (getComputedStyle(el).overflowX !== 'visible' || clipped(el.parentElement));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (clipped(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = [...range.getClientRects()].find(outside);
    const text = node.textContent.trim().slice(0, 40);
    if (r) out.push(`text "${text}" in ${describe(node.parentElement)} ${where(r)}`);
  }
  return { viewport: width, scrollWidth: doc.scrollWidth, outside: out.slice(0, 10) };
}

// Every visible element holding text of its own, grouped by how it is set.
function textStyles(describe) {
  const seen = new Map();
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || el.closest('[aria-hidden="true"]')) continue;
    const s = getComputedStyle(el);
    const key = [describe(el), s.fontSize, s.fontStyle, s.textAlign, s.direction].join('|');
    if (!seen.has(key)) {
      seen.set(key, { element: describe(el), fontSizePx: parseFloat(s.fontSize),
        fontStyle: s.fontStyle, textAlign: s.textAlign, direction: s.direction,
        furniture: Boolean(el.closest('.running-footer, footer')) });
    }
  }
  return [...seen.values()];
}

async function checkPage(context, file) {
  const page = await context.newPage();
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    });
    const info = await page.evaluate(describePage);
    await page.setViewportSize(PHONE);
    const phone = await page.evaluate(`(${overflow})(${name})`);
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(`(${textStyles})(${name})`);
    return { file, axe: violations, ...info, phone, print };
  } finally {
    await page.close();
  }
}

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: check_pages.js PAGE.html...');
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
      offline: true });
    const results = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        results[i] = await checkPage(context, files[i]);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    process.stdout.write(JSON.stringify(results));
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
