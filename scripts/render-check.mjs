/**
 * `npm run test:render`: every job summary the demo writes, plus one with hostile API text,
 * rendered the way GitHub renders a summary: its Markdown parser (cmark-gfm with the table,
 * strikethrough, autolink and tagfilter extensions), its HTML allow-list (hast-util-sanitize's
 * default schema follows GitHub's), then headless Chromium with GitHub's Markdown CSS and Mermaid
 * drawing every chart, in the light and the dark theme. It fails when a chart does not render or
 * is hard to see, a table does not come out as a table, sanitising drops anything, API text
 * leaves its cell, or a summary says a sentence of 40 characters or more twice; screenshots go to
 * render-output/.
 *
 * Needs the Debian packages chromium, cmark-gfm and fonts-noto-color-emoji (.ci/run installs
 * them), so it is not part of `npm test`. Runs the committed dist/index.js, like the demo.
 * The pull-request comment (pr-comment) is rendered the same way, taken from the example GitHub
 * server (emulator/github.mjs) after a run on a pull_request event.
 *   --readme-image   also writes docs/summary-example.png (the demo's fleet, light theme) and
 *                    docs/pr-comment-example.png / -dark.png (the fleet's comment, both themes)
 *   --json FILE      writes the counts in jest's --json shape, for .ci/run's closing line
 * CHROMIUM and CMARK_GFM override the binaries (default /usr/bin/chromium and cmark-gfm).
 */
/* global document, getComputedStyle, mermaid -- in the functions that run in the page */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { chromium } from 'playwright-core';
import { GITHUB_TOKEN, startGitHub } from '../emulator/github.mjs';
import { startEmulator } from '../emulator/server.mjs';
import { demoInputs } from './demo.mjs';
import { runAction } from './run-action.mjs';
import { HOSTILE, addHostile, repeatedSentences, summaryCases } from './summaries.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'render-output');
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CMARK_GFM = process.env.CMARK_GFM ?? 'cmark-gfm';

/** GitHub's page background in each theme, and the stylesheet github-markdown-css has for it. */
const THEMES = {
  light: { background: '#ffffff', css: 'github-markdown-css/github-markdown-light.css', mermaid: 'default' },
  dark: { background: '#0d1117', css: 'github-markdown-css/github-markdown-dark.css', mermaid: 'dark' }
};

/** What API text the hostile agent's run carries: each must show, verbatim, in its own cell. */
/**
 * The elements a summary may contain once rendered (Mermaid's SVG aside): text formatting,
 * lists, tables, folds and links. An image, a form control or anything else means markup got in.
 */
const ALLOWED_TAGS = new Set(
  'h2 h3 h4 p sub sup strong em b i del code br hr ul ol li blockquote a table thead tbody tr th td details summary pre div'.split(
    ' '
  )
);

/**
 * Broken summaries the check must catch, so that its passes mean something: each must fail with
 * a problem matching `expect`.
 */
const CANARIES = [
  [
    'a chart Mermaid cannot parse',
    '```mermaid\nxychart-beta\n  line [1, oops]\n```\n',
    /did not render|Mermaid's error/
  ],
  ['a one-point chart', '```mermaid\nxychart-beta\n  x-axis [a]\n  line [1]\n```\n', /drew 0 visible lines of 1/],
  [
    "Mermaid's pale default colour",
    '```mermaid\nxychart-beta\n  x-axis [a, b]\n  y-axis 0 --> 10\n  line [1, 2]\n```\n',
    /contrast/
  ],
  [
    'a chart title wider than the chart',
    `\`\`\`mermaid\nxychart-beta\n  title "${'A title far too long for the chart '.repeat(4)}"\n  x-axis [a, b]\n  line [1, 2]\n\`\`\`\n`,
    /runs past the chart's edge/
  ],
  [
    'API text that opens a cell',
    '<table><tr><th>Run</th></tr><tr><td>R1</td><td>x</td></tr></table>\n',
    /row 2 has 2 cells/
  ],
  ['a table that is not rendered', 'A `<table>` in code.\n', /0 tables rendered, the summary has 1/],
  ['markup shown as text', '<p>&lt;td&gt;x&lt;/td&gt;</p>\n', /markup shows as text/],
  ['markup the sanitiser drops', '<p>ok <img src="x" onerror="alert(1)"></p>\n', /dropped: <img onError/],
  ['an element no summary has', '<p>a <img src="x.png"></p>\n', /unexpected elements: img/]
].map(([name, markdown, expect]) => ({
  name: String(name),
  markdown: String(markdown),
  expect: /** @type {RegExp} */ (expect)
}));

/** WCAG contrast a chart line needs against the page: 3:1, the minimum for graphics. */
const MIN_CONTRAST = 3;

const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

/** @type {{ name: string, ok: boolean, problems: string[] }[]} */
const checks = [];
/** @param {string} name @param {string[]} problems */
function record(name, problems) {
  checks.push({ name, ok: problems.length === 0, problems });
  console.log(`${problems.length === 0 ? '✓' : '✗'} ${name}`);
  for (const problem of problems) console.log(`    ${problem}`);
}

await main();

async function main() {
  const started = Date.now();
  for (const [what, ok] of [
    [`${CHROMIUM} (Debian package chromium; CHROMIUM names another)`, existsSync(CHROMIUM)],
    [`${CMARK_GFM} (Debian package cmark-gfm; CMARK_GFM names another)`, !spawnSync(CMARK_GFM, ['--version']).error]
  ]) {
    if (!ok) {
      console.error(`The render check needs ${what}: apt-get install chromium cmark-gfm fonts-noto-color-emoji`);
      process.exit(1);
    }
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const cases = [...(await summaries()), ...(await comments())];
  console.log(`${cases.length} summaries written by dist/index.js in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const profile = mkdtempSync(join(tmpdir(), 'render-check-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    offline: true,
    viewport: { width: 1012, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
  try {
    const page = await openPage(browser);
    for (const c of cases) {
      const html = githubHtml(c.markdown);
      record(`${c.slug}: sanitising keeps everything`, html.dropped);
      for (const theme of /** @type {const} */ (['light', 'dark'])) {
        const measured = await render(page, html.clean, theme, join(OUT, `${c.slug}-${theme}.png`));
        record(`${c.slug} (${theme}): ${describe(c.markdown)}`, problemsOf(c, measured, theme));
        if (c.readme && theme === 'light' && args.includes('--readme-image')) {
          await render(page, html.clean, theme, join(ROOT, 'docs/summary-example.png'), 1);
          console.log('  wrote docs/summary-example.png');
        }
        if (c.readmeComment && args.includes('--readme-image')) {
          const file = `docs/pr-comment-example${theme === 'dark' ? '-dark' : ''}.png`;
          await render(page, html.clean, theme, join(ROOT, file));
          console.log(`  wrote ${file}`);
        }
      }
    }
    for (const canary of CANARIES) {
      const html = githubHtml(canary.markdown);
      const measured = await render(page, html.clean, 'light', join(OUT, 'canary.png'));
      const found = [...html.dropped, ...problemsOf({ markdown: canary.markdown, hostile: false }, measured, 'light')];
      record(
        `catches ${canary.name}`,
        found.some((p) => canary.expect.test(p))
          ? []
          : [`expected a problem matching ${canary.expect}, got: ${found.join('; ') || 'none'}`]
      );
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`\nScreenshots in ${OUT} (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
  console.log(`render: ${checks.length - failed} passed, ${failed} failed`);
  if (jsonOut) {
    const counts = { numPassedTests: checks.length - failed, numFailedTests: failed, numPendingTests: 0 };
    writeFileSync(jsonOut, JSON.stringify(counts));
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

/**
 * Every summary the demo writes, and the fleet again with an agent whose run is hostile text.
 * @returns {Promise<{ slug: string, title: string, markdown: string, hostile: boolean, readme: boolean }[]>}
 */
async function summaries() {
  const server = await startEmulator();
  addHostile(server);
  try {
    const out = [];
    for (const { title, inputs, hostile } of summaryCases()) {
      const run = await runAction({ ...demoInputs(server), ...inputs });
      const slug = title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 48);
      if (run.summary === undefined) {
        record(`${slug}: writes a summary`, ['the action wrote no job summary']);
        continue;
      }
      writeFileSync(join(OUT, `${slug}.md`), run.summary);
      record(
        `${slug}: says each sentence of 40 characters or more once`,
        repeatedSentences(run.summary).map(({ sentence, count }) => `said ${count} times: ${sentence}`)
      );
      out.push({ slug, title, markdown: run.summary, hostile, readme: title.startsWith('A fleet') });
    }
    return out;
  } finally {
    await server.close();
  }
}

/**
 * The pull-request comment of the demo's fleet, and of a fleet with hostile API text, as the
 * example GitHub server holds them after a run on a pull_request event.
 * @returns {Promise<{ slug: string, title: string, markdown: string, hostile: boolean, readme: boolean, readmeComment: boolean, tables: number, hostileFields: readonly ('run_id' | 'status')[] }[]>}
 */
async function comments() {
  const server = await startEmulator();
  addHostile(server);
  const github = await startGitHub();
  const dir = mkdtempSync(join(tmpdir(), 'render-check-pr-'));
  try {
    const runs = [
      ['The pull-request comment of a fleet', 'sales-agent\npartial-agent\nsupport-agent\nbooking-agent', false],
      ['The pull-request comment with API text that tries to leave its cell', 'sales-agent\nhostile-agent', true]
    ];
    const out = [];
    for (const [n, [title, agents, hostile]] of runs.entries()) {
      const pull = n + 1;
      github.openPullRequest('octo-org/voice-agents', pull);
      const event = join(dir, `event-${pull}.json`);
      writeFileSync(
        event,
        JSON.stringify({ pull_request: { number: pull, head: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } } })
      );
      await runAction(
        { ...demoInputs(server), 'agent-handle': String(agents), 'pr-comment': 'always', 'github-token': GITHUB_TOKEN },
        {
          env: {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: event,
            GITHUB_REPOSITORY: 'octo-org/voice-agents',
            GITHUB_RUN_ID: '12345678901',
            GITHUB_RUN_ATTEMPT: '1',
            GITHUB_API_URL: github.url,
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_WORKFLOW: 'Deploy',
            GITHUB_JOB: 'gate'
          }
        }
      );
      const markdown = github.comments('octo-org/voice-agents', pull)[0]?.body;
      const slug = String(title)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 48);
      if (markdown === undefined) {
        record(`${slug}: writes a comment`, ['the action wrote no pull-request comment']);
        continue;
      }
      writeFileSync(join(OUT, `${slug}.md`), markdown);
      record(
        `${slug}: says each sentence of 40 characters or more once`,
        repeatedSentences(markdown).map(({ sentence, count }) => `said ${count} times: ${sentence}`)
      );
      // The marker is an HTML comment: GitHub drops it, so no reader sees it.
      const hidden = !githubHtml(markdown).clean.includes('unpod-gate-comment');
      record(`${slug}: the marker is hidden`, hidden ? [] : ['the marker shows in the rendered comment']);
      out.push({
        slug,
        title: String(title),
        markdown: markdown.replace(/^<!--[^\n]*-->\n/, ''),
        hostile: Boolean(hostile),
        readme: false,
        readmeComment: !hostile,
        tables: 1,
        hostileFields: /** @type {const} */ (['run_id'])
      });
    }
    return out;
  } finally {
    await github.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The summary through cmark-gfm and the sanitiser, with whatever sanitising dropped or changed.
 * @param {string} markdown
 */
function githubHtml(markdown) {
  const cmark = spawnSync(
    CMARK_GFM,
    [
      ...['table', 'strikethrough', 'autolink', 'tagfilter'].flatMap((e) => ['--extension', e]),
      // GitHub passes raw HTML to its sanitiser, and marks a fenced block's language as <pre lang>.
      '--unsafe',
      '--github-pre-lang'
    ],
    { input: markdown, encoding: 'utf8' }
  );
  if (cmark.error || cmark.status !== 0) {
    throw new Error(`${CMARK_GFM} failed: ${cmark.error?.message ?? cmark.stderr}`);
  }
  const tree = fromHtml(cmark.stdout, { fragment: true });
  const before = toHtml(tree);
  const cleanTree = sanitize(tree);
  const clean = toHtml(cleanTree);
  const kept = signatures(cleanTree);
  const dropped = signatures(tree).filter((s) => {
    const i = kept.indexOf(s);
    if (i === -1) return true;
    kept.splice(i, 1);
    return false;
  });
  if (dropped.length === 0 && before !== clean) dropped.push(`changed: ${firstDifference(before, clean)}`);
  return { clean, dropped: dropped.map((s) => `dropped: ${s}`) };
}

/**
 * Each element and attribute of a hast tree, and each text, as strings to compare.
 * @param {any} node
 * @returns {string[]}
 */
function signatures(node) {
  if (node.type === 'text') return node.value.trim() === '' ? [] : [`text "${node.value.trim().slice(0, 60)}"`];
  const own =
    node.type === 'element'
      ? [
          `<${node.tagName}>`,
          ...Object.entries(node.properties ?? {}).map(([k, v]) => `<${node.tagName} ${k}="${String(v)}">`)
        ]
      : [];
  return [...own, ...(node.children ?? []).flatMap(signatures)];
}

/** @param {string} a @param {string} b */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))} became ${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))}`;
}

/** @param {string} markdown */
function describe(markdown) {
  const n = (re) => (markdown.match(re) ?? []).length;
  return `${n(/<table>/g)} table(s), ${n(/^```mermaid$/gm)} chart(s) render`;
}

/**
 * One page for every rendering, so that Mermaid's 3 MB script is parsed once. Nothing may come
 * from the network: the page is whole as set.
 * @param {import('playwright-core').BrowserContext} browser
 */
async function openPage(browser) {
  const page = await browser.newPage();
  await page.route('**/*', (route) => route.abort());
  await page.setContent(
    '<!doctype html><html><head><meta charset="utf-8"><style id="theme"></style></head><body></body></html>'
  );
  await page.addScriptTag({ content: readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8') });
  return page;
}

/**
 * Shows sanitised HTML as GitHub shows a summary, in a theme, draws its charts with Mermaid,
 * measures what the checks need and saves a screenshot.
 * @param {import('playwright-core').Page} page
 * @param {string} html
 * @param {'light' | 'dark'} theme
 * @param {string} screenshot
 * @param {number} [openDetails] how many <details> stay open in the screenshot (default all)
 */
async function render(page, html, theme, screenshot, openDetails) {
  const { background, css, mermaid } = THEMES[theme];
  const style = `${readFileSync(require.resolve(css), 'utf8')}
body { margin: 0; background: ${background}; }
.markdown-body { box-sizing: border-box; width: 1012px; padding: 24px; }`;
  await page.evaluate(
    ([styleText, body]) => {
      document.getElementById('theme').textContent = styleText;
      document.body.innerHTML = `<article class="markdown-body">${body}</article>`;
    },
    [style, html]
  );
  const measured = await page.evaluate(measure, { mermaidTheme: mermaid, open: openDetails });
  await page.locator('article').screenshot({ path: screenshot });
  return measured;
}

/**
 * In the page: draw each Mermaid block the way GitHub does (GitHub's theme, the chart's own
 * init settings on top), then report charts, tables, stray markup and the elements used.
 * @param {{ mermaidTheme: string, open: number | undefined }} options
 */
async function measure({ mermaidTheme, open }) {
  const article = document.querySelector('article');
  const details = [...article.querySelectorAll('details')];
  // Mermaid measures text to lay out a chart: it must be drawn unfolded.
  for (const d of details) d.open = true;
  mermaid.initialize({ startOnLoad: false, theme: mermaidTheme, securityLevel: 'strict' });
  const charts = [];
  let i = 0;
  for (const pre of [...article.querySelectorAll('pre[lang="mermaid"]')]) {
    const code = pre.textContent;
    const chart = {
      lines: code.split('\n').filter((l) => l.trim().startsWith('line ')).length,
      error: '',
      strokes: []
    };
    try {
      const { svg } = await mermaid.render(`chart-${i++}`, code);
      const div = document.createElement('div');
      div.innerHTML = svg;
      pre.replaceWith(div);
      const paths = [...div.querySelectorAll('g.line-plot-0 path, g[class^="line-plot"] path')];
      chart.strokes = [...new Set(paths)].map((p) => ({
        stroke: getComputedStyle(p).stroke,
        d: p.getAttribute('d') ?? ''
      }));
      // Mermaid paints a background behind the chart (grey in its dark theme): lines sit on it.
      const backdrop = div.querySelector('rect.background');
      chart.background = backdrop ? getComputedStyle(backdrop).fill : '';
      chart.text = div.textContent;
      const box = div.querySelector('svg').getBoundingClientRect();
      chart.height = box.height;
      // Mermaid clips a title wider than the chart instead of wrapping it: text must fit.
      chart.overflow = [...div.querySelectorAll('svg text')]
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
        })
        .map((t) => t.textContent);
    } catch (error) {
      chart.error = String(error?.message ?? error);
    }
    charts.push(chart);
  }
  const tables = [...article.querySelectorAll('table')].map((table) =>
    [...table.querySelectorAll(':scope > tbody > tr, :scope > thead > tr, :scope > tr')].map((tr) =>
      [...tr.children].map((cell) => ({ tag: cell.tagName.toLowerCase(), text: cell.textContent }))
    )
  );
  const tags = [...article.querySelectorAll('*')]
    .filter((el) => !el.closest('svg'))
    .map((el) => el.tagName.toLowerCase());
  // What a reader sees as text outside charts: no markup may show through as text.
  const clone = article.cloneNode(true);
  for (const svg of clone.querySelectorAll('svg')) svg.remove();
  const text = clone.textContent;
  details.forEach((d, n) => (d.open = open === undefined || n < open));
  return { charts, tables, tags: [...new Set(tags)], text };
}

/**
 * What is wrong with one rendering.
 * @param {{ markdown: string, hostile: boolean, tables?: number, hostileFields?: readonly ('run_id' | 'status')[] }} c
 * @param {Awaited<ReturnType<typeof measure>>} page
 * @param {'light' | 'dark'} theme
 */
function problemsOf(c, page, theme) {
  const problems = [];
  // Summaries write HTML tables; the comment writes one Markdown table.
  const expectedTables = c.tables ?? (c.markdown.match(/<table>/g) ?? []).length;
  const expectedCharts = (c.markdown.match(/^```mermaid$/gm) ?? []).length;
  if (page.tables.length !== expectedTables) {
    problems.push(`${page.tables.length} tables rendered, the summary has ${expectedTables}`);
  }
  page.tables.forEach((rows, t) => {
    const width = rows[0]?.length ?? 0;
    if (rows.length < 2 || rows[0].some((cell) => cell.tag !== 'th')) {
      problems.push(`table ${t + 1} has no header row and body`);
    }
    rows.forEach((row, r) => {
      if (row.length !== width)
        problems.push(`table ${t + 1} row ${r + 1} has ${row.length} cells, the header ${width}`);
    });
  });
  if (page.charts.length !== expectedCharts) {
    problems.push(`${page.charts.length} charts found, the summary has ${expectedCharts}`);
  }
  page.charts.forEach((chart, n) => {
    if (chart.error) return problems.push(`chart ${n + 1} did not render: ${chart.error}`);
    if (/syntax error/i.test(chart.text ?? '')) problems.push(`chart ${n + 1} shows Mermaid's error`);
    // A line is drawn when its path moves to a point and on to another, all numbers.
    const drawn = chart.strokes.filter((s) => /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+/.test(s.d) && !/NaN/.test(s.d));
    if (drawn.length !== chart.lines || chart.strokes.length !== chart.lines) {
      problems.push(`chart ${n + 1} drew ${drawn.length} visible lines of ${chart.lines}`);
    }
    for (const { stroke } of chart.strokes) {
      for (const [where, background] of [
        [`the ${theme} page`, THEMES[theme].background],
        ['the chart', chart.background]
      ]) {
        if (!background || background === 'none') continue;
        const ratio = contrast(stroke, background);
        if (!(ratio >= MIN_CONTRAST)) {
          problems.push(
            `chart ${n + 1}: a line in ${stroke} has contrast ${ratio.toFixed(2)}:1 on ${where} (${background})`
          );
        }
      }
    }
    for (const text of chart.overflow ?? []) problems.push(`chart ${n + 1}: "${text}" runs past the chart's edge`);
    if (chart.height > 400) problems.push(`chart ${n + 1} is ${Math.round(chart.height)} px tall (at most 400)`);
  });
  const stray = page.tags.filter((tag) => !ALLOWED_TAGS.has(tag) && tag !== 'svg');
  if (stray.length > 0) problems.push(`unexpected elements: ${stray.join(', ')}`);
  // The hostile strings are meant to show as text; anything else that looks like markup is ours.
  const text = c.hostile ? page.text.split(HOSTILE.run_id).join('').split(HOSTILE.status).join('') : page.text;
  const leaked = /<\/?(?:table|tr|td|th|details|summary|h[1-6]|p|ul|li|br|sub|code|strong)\b[^>]*>|^```/m.exec(text);
  if (leaked) problems.push(`markup shows as text: ${JSON.stringify(leaked[0])}`);
  if (c.hostile) {
    const cells = page.tables.flat(2).map((cell) => cell.text);
    for (const field of c.hostileFields ?? /** @type {const} */ (['run_id', 'status'])) {
      if (!cells.includes(HOSTILE[field])) problems.push(`the hostile ${field} is not a cell's whole text`);
    }
  }
  return problems;
}

/**
 * WCAG contrast ratio of two CSS colours (rgb(...) or #rrggbb).
 * @param {string} a @param {string} b
 */
function contrast(a, b) {
  const [la, lb] = [a, b].map(luminance).sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

/** @param {string} colour */
function luminance(colour) {
  const hex = /^#([\da-f]{2})([\da-f]{2})([\da-f]{2})$/i.exec(colour);
  const rgb = hex
    ? hex.slice(1).map((h) => parseInt(h, 16))
    : (/^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour) ?? []).slice(1).map(Number);
  if (rgb.length !== 3) return NaN;
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
