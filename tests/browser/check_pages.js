#!/usr/bin/env node
// Opens every HTML page given on the command line in headless Chromium (Debian's,
// driven by playwright-core) and prints one JSON array, an object per page:
//   axe       axe-core violations (every rule axe runs by default, any impact)
//   lang, dir, title, h1, headings (levels in document order), languageLinks
//   phone     at 375 x 812: viewport and document width, what sticks out sideways
//   overlaps  text drawn over other text: on a desktop, a phone, and printed
//   print     with print media at the width of an A4 page's text: how text is set
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
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const A4_TEXT = { width: 680, height: 960 };  // 180 mm between the PDF's margins
const PARALLEL = 2;   // pages open at once (the machines have two cores)

// Runs in the page: defines window.leafletCheck.
function pageTools() {
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`
    + [...el.classList].map((c) => `.${c}`).join('');
  // Cut off by a box around it (text only screen readers get), or not shown.
  const clipped = (el) => Boolean(el) && el !== document.body
    && (getComputedStyle(el).overflowX !== 'visible' || clipped(el.parentElement));
  const unseen = (el) => !el.getClientRects().length || Boolean(el.closest('[aria-hidden="true"]'));
  function* textNodes() {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent.trim() && !unseen(node.parentElement)
          && !clipped(node.parentElement)) yield node;
    }
  }
  const rects = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  };
  const label = (node) => `"${node.textContent.trim().slice(0, 30)}" in ${name(node.parentElement)}`;

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

  // Boxes, and text (a word too long for its line), outside the viewport's width.
  function overflow() {
    const width = window.innerWidth;
    const outside = (r) => r.width && (r.left < -0.5 || r.right > width + 0.5);
    const where = (r) => `[${Math.round(r.left)}, ${Math.round(r.right)}]`;
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (outside(r)) out.push(`${name(el)} ${where(r)}`);
    }
    for (const node of textNodes()) {
      const r = rects(node).find(outside);
      if (r) out.push(`text ${label(node)} ${where(r)}`);
    }
    return { viewport: width, scrollWidth: document.documentElement.scrollWidth,
      outside: out.slice(0, 10) };
  }

  // Lines of two different texts drawn over each other: more than half the
  // height of the smaller one (tall scripts' lines touch, they do not cover).
  function overlaps() {
    const lines = [];
    for (const node of textNodes()) for (const r of rects(node)) lines.push([node, r]);
    const out = [];
    for (let i = 0; i < lines.length; i += 1) {
      for (let j = i + 1; j < lines.length; j += 1) {
        const [n, a] = lines[i];
        const [m, b] = lines[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (n !== m && w > 1 && h > 0.5 * Math.min(a.height, b.height)) {
          out.push(`${label(n)} over ${label(m)} at y ${Math.round(Math.max(a.top, b.top))}`);
        }
      }
    }
    return out.slice(0, 10);
  }

  // Every visible element holding text of its own, grouped by how it is set.
  function textStyles() {
    const seen = new Map();
    for (const node of textNodes()) {
      const el = node.parentElement;
      const s = getComputedStyle(el);
      const lang = el.closest('[lang]').lang;
      const key = [name(el), lang, s.fontSize, s.fontStyle, s.textAlign, s.direction].join('|');
      if (!seen.has(key)) {
        seen.set(key, { element: name(el), lang, fontSizePx: parseFloat(s.fontSize),
          fontStyle: s.fontStyle, textAlign: s.textAlign, direction: s.direction,
          furniture: Boolean(el.closest('.running-footer, footer')) });
      }
    }
    return [...seen.values()];
  }

  window.leafletCheck = { describePage, overflow, overlaps, textStyles };
}

async function checkPage(context, file) {
  const page = await context.newPage();
  const run = (fn) => page.evaluate(`window.leafletCheck.${fn}()`);
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.addScriptTag({ content: `${AXE}\n(${pageTools})();` });
    const axe = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    });
    const info = await run('describePage');
    const overlapsAt = { desktop: await run('overlaps') };
    await page.setViewportSize(PHONE);
    const phone = await run('overflow');
    overlapsAt.phone = await run('overlaps');
    await page.setViewportSize(A4_TEXT);
    await page.emulateMedia({ media: 'print' });
    const print = await run('textStyles');
    overlapsAt.print = await run('overlaps');
    return { file, axe, ...info, phone, overlaps: overlapsAt, print };
  } finally {
    await page.close();
  }
}

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: check_pages.js PAGE.html...');
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: DESKTOP, offline: true });
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
