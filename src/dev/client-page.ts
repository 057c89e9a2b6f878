/**
 * The dev page: a shell around an iframe that holds the deck's own HTML (the very document the
 * export prints), patched in place on every rebuild so the page never reloads. The client script
 * is a typed function serialized into the page; it must not use anything from outside its body.
 */

/** Styles injected into the deck's iframe: one slide fitted to the frame, or a grid of them. */
const frameCss = `
html[data-dev-view] { overflow: hidden; scrollbar-width: thin; }
html[data-dev-view] body { background: #1b1c1f; }
html[data-dev-view="slide"] div.marpit { display: block; padding: 0; }
html[data-dev-view="slide"] div.marpit > svg[data-marpit-svg] { display: none; }
html[data-dev-view="slide"] div.marpit > svg[data-marpit-svg][data-dev-current] {
  display: block; position: fixed; inset: 0; margin: auto; height: auto;
  width: min(calc(100vw - 32px), calc((100vh - 32px) * var(--dev-ratio, 1.7778)));
  box-shadow: 0 4px 24px rgb(0 0 0 / 50%);
}
html[data-dev-view="overview"] { overflow: auto; }
html[data-dev-view="overview"] div.marpit {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 20px; padding: 20px; align-items: start;
}
html[data-dev-view="overview"] div.marpit > svg[data-marpit-svg] {
  width: 100%; height: auto; cursor: pointer; box-shadow: 0 2px 10px rgb(0 0 0 / 45%);
}
html[data-dev-view="overview"] div.marpit > svg[data-marpit-svg][data-dev-current] { outline: 4px solid #4c8dff; outline-offset: 3px; }
`;

const pageCss = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: grid; grid-template-rows: auto 1fr; background: #111214; color: #e6e6e6; font: 14px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; }
header { display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: #1f2125; border-bottom: 1px solid #2e3136; }
header strong { margin-right: 8px; letter-spacing: .02em; }
button, select { font: inherit; color: inherit; background: #2b2e33; border: 1px solid #3a3e45; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button:hover:not(:disabled) { background: #363a40; }
button:disabled { opacity: .5; cursor: default; }
button[aria-pressed="true"] { background: #2f4b7c; border-color: #4c8dff; }
#counter { min-width: 64px; text-align: center; font-variant-numeric: tabular-nums; }
#status { margin-left: auto; color: #9aa0a6; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#status.bad { color: #ff8a80; }
main { display: grid; grid-template-columns: 1fr 320px; min-height: 0; }
#stage { position: relative; min-width: 0; }
#deck { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: #1b1c1f; }
#empty { position: absolute; inset: 0; display: grid; place-items: center; color: #9aa0a6; }
#overlay { position: absolute; inset: 0; display: flex; align-items: flex-start; justify-content: center; padding: 32px; background: rgb(20 0 0 / 55%); overflow: auto; }
#overlay[hidden], #empty[hidden] { display: none; }
.problem { width: min(900px, 100%); background: #2a1215; border: 1px solid #e5484d; border-radius: 8px; padding: 16px 20px; box-shadow: 0 8px 32px rgb(0 0 0 / 60%); margin-bottom: 16px; }
.problem .where { font: 13px/1.4 ui-monospace, monospace; color: #ffb4b4; }
.problem .message { font-size: 16px; margin: 6px 0 10px; white-space: pre-wrap; }
.problem pre { margin: 0 0 10px; padding: 10px 12px; background: #17090b; border-radius: 6px; overflow: auto; font: 13px/1.5 ui-monospace, "Noto Sans Mono CJK SC", monospace; }
.problem .hint { color: #c9c9c9; margin: 0; }
.problem .code { float: right; font: 12px ui-monospace, monospace; color: #ff8a80; }
aside { border-left: 1px solid #2e3136; background: #17181b; overflow: auto; padding: 12px 14px; }
aside h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: #9aa0a6; margin: 14px 0 8px; }
aside h2:first-child { margin-top: 0; }
#warnings { list-style: none; margin: 0; padding: 0; }
#warnings li { padding: 8px 10px; margin-bottom: 6px; border-radius: 6px; background: #2a2411; border-left: 3px solid #f5a524; }
#warnings li[data-slide] { cursor: pointer; }
#warnings li[data-slide]:hover { background: #3a3216; }
#warnings li.none { background: #13261a; border-left-color: #3dd68c; color: #a8d5b8; }
#warnings .tag { font: 11px ui-monospace, monospace; color: #f5c26b; display: block; }
#fit-notes { list-style: none; margin: 0; padding: 0; }
#fit-notes li { padding: 6px 10px; margin-bottom: 6px; border-radius: 6px; background: #132033; border-left: 3px solid #4c8dff; color: #c6d6f0; }
#fit-notes li[data-slide] { cursor: pointer; }
#fit-notes li[data-slide]:hover { background: #1a2a42; }
#fit-notes .tag { font: 11px ui-monospace, monospace; color: #8fb5ff; display: block; }
#fit-notes:empty::before { content: "Nothing shrunk or re-split."; color: #6f757c; }
#notes { white-space: pre-wrap; color: #c9c9c9; min-height: 1.4em; }
#notes:empty::before { content: "No speaker notes on this slide."; color: #6f757c; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 10px; margin: 0; color: #9aa0a6; font-size: 12px; }
dt { font-family: ui-monospace, monospace; color: #e6e6e6; }
dd { margin: 0; }
`;

interface ClientConfig {
  frameCss: string;
}

/** Runs in the browser. Self-contained: it is serialized with Function.prototype.toString. */
function devClient(config: ClientConfig): void {
  interface Warning { code: string; deck: string; slide?: number; message: string }
  interface FitNote { slide?: number; message: string }
  interface DeckView { key: string; title: string; version: number; slideCount: number; width: number; height: number; notes: string[]; warnings: Warning[]; measuring: boolean; fitCss?: string; fitNotes: FitNote[]; buildMs: number }
  interface Problem { source: string; code: string; message: string; hint?: string; file?: string; line?: number; column?: number; dataPath?: string; excerpt?: string; decks?: string[] }
  interface Snapshot { decks: DeckView[]; problems: Problem[]; busy: boolean }
  /** `fitVersion`/`fitAt`: the version whose measurement the frame shows (its fit CSS applied), and when it came. */
  interface DevState { version: number; patchedAt: number; paintedAt: number; updates: number; frameLoads: number; changedSlides: number[]; fitVersion: number; fitAt: number }

  const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const frame = byId<HTMLIFrameElement>('deck');
  const select = byId<HTMLSelectElement>('deck-select');
  const counter = byId<HTMLSpanElement>('counter');
  const status = byId<HTMLSpanElement>('status');
  const overlay = byId<HTMLDivElement>('overlay');
  const empty = byId<HTMLDivElement>('empty');
  const exportButton = byId<HTMLButtonElement>('export');
  const overviewButton = byId<HTMLButtonElement>('overview');

  const state: DevState = { version: 0, patchedAt: 0, paintedAt: 0, updates: 0, frameLoads: 0, changedSlides: [], fitVersion: 0, fitAt: 0 };
  (window as unknown as { __briefgenDev: DevState }).__briefgenDev = state;

  let deckKey = new URLSearchParams(location.search).get('deck') ?? '';
  let snapshot: Snapshot = { decks: [], problems: [], busy: true };
  let current = Math.max(0, (Number.parseInt(location.hash.slice(1), 10) || 1) - 1);
  let view: 'slide' | 'overview' = 'slide';
  let shownVersion = 0;
  let frameDeck = '';
  let slideSources: string[] = [];
  let queue: Promise<void> = Promise.resolve();
  let exporting = false;
  let lastStatus = '';

  const now = (): number => performance.timeOrigin + performance.now();
  const deckView = (): DeckView | undefined => snapshot.decks.find((d) => d.key === deckKey);
  const frameDoc = (): Document | undefined => (frameDeck ? (frame.contentDocument ?? undefined) : undefined);
  const slidesOf = (doc: Document): SVGSVGElement[] => Array.from(doc.querySelectorAll<SVGSVGElement>('div.marpit > svg[data-marpit-svg]'));
  const setStatus = (text: string, bad = false): void => {
    status.textContent = text;
    status.title = text;
    status.classList.toggle('bad', bad);
  };

  function show(index: number): void {
    const doc = frameDoc();
    const count = doc ? slidesOf(doc).length : (deckView()?.slideCount ?? 0);
    current = Math.min(Math.max(0, index), Math.max(0, count - 1));
    if (doc) {
      applyFit(doc);
      doc.documentElement.dataset.devView = view;
      slidesOf(doc).forEach((slide, i) => {
        if (i === current) slide.setAttribute('data-dev-current', '');
        else slide.removeAttribute('data-dev-current');
      });
      if (view === 'overview') slidesOf(doc)[current]?.scrollIntoView({ block: 'nearest' });
    }
    counter.textContent = count > 0 ? `${current + 1} / ${count}` : '– / –';
    const hash = `#${current + 1}`;
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    byId('notes').textContent = deckView()?.notes[current] ?? '';
  }

  /**
   * The slide fit's CSS, once measured, so the preview shows the slides as the export will. While a
   * new version is measured the last fit stays: most edits leave it as it was, and dropping it
   * would flash the overflowing slide for a moment.
   */
  function applyFit(doc: Document): void {
    const deck = deckView();
    if (!deck || deck.measuring || deck.version !== shownVersion) return;
    const css = deck.fitCss ?? '';
    if (state.fitVersion !== deck.version) {
      state.fitVersion = deck.version;
      state.fitAt = now();
    }
    let style = doc.getElementById('briefgen-fit');
    if (!style && !css) return;
    if (!style) {
      style = doc.createElement('style');
      style.id = 'briefgen-fit';
      doc.head.append(style);
    }
    if (style.textContent !== css) style.textContent = css;
  }

  function setView(next: 'slide' | 'overview'): void {
    view = next;
    overviewButton.setAttribute('aria-pressed', String(view === 'overview'));
    show(current);
  }

  function onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'SELECT' || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
    const count = deckView()?.slideCount ?? 0;
    const actions: Record<string, () => void> = {
      ArrowRight: () => show(current + 1),
      ArrowDown: () => show(current + 1),
      PageDown: () => show(current + 1),
      ' ': () => show(current + 1),
      ArrowLeft: () => show(current - 1),
      ArrowUp: () => show(current - 1),
      PageUp: () => show(current - 1),
      Home: () => show(0),
      End: () => show(count - 1),
      o: () => setView(view === 'slide' ? 'overview' : 'slide'),
      Escape: () => setView('slide'),
      Enter: () => setView('slide'),
      e: () => void runExport(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    // The deck's own script also listens for arrows (it scrolls); in the dev page, this one decides.
    event.stopImmediatePropagation();
    action();
  }

  function prepareFrame(): void {
    const doc = frame.contentDocument;
    if (!doc) return;
    const style = doc.createElement('style');
    style.id = 'briefgen-dev';
    style.textContent = config.frameCss;
    doc.head.append(style);
    const deck = deckView();
    if (deck) doc.documentElement.style.setProperty('--dev-ratio', String(deck.width / deck.height));
    doc.addEventListener('keydown', onKey, true);
    doc.addEventListener('click', (event) => {
      const slide = (event.target as Element | null)?.closest?.('svg[data-marpit-svg]');
      if (!slide || view !== 'overview') return;
      const index = slidesOf(doc).indexOf(slide as SVGSVGElement);
      if (index >= 0) {
        current = index;
        setView('slide');
      }
    });
    slideSources = slidesOf(doc).map((slide) => slide.outerHTML);
    shownVersion = Number(doc.documentElement.dataset.briefgenVersion) || 0;
    state.frameLoads += 1;
  }

  function loadFrame(deck: DeckView): Promise<void> {
    return new Promise((resolve) => {
      frame.onload = () => {
        frameDeck = deck.key;
        prepareFrame();
        markUpdated([]);
        resolve();
      };
      frameDeck = '';
      frame.src = `/frame?deck=${encodeURIComponent(deck.key)}&v=${deck.version}`;
    });
  }

  function markUpdated(changed: number[]): void {
    state.version = shownVersion;
    state.patchedAt = now();
    state.updates += 1;
    state.changedSlides = changed;
    show(current);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      state.paintedAt = now();
    }));
  }

  /** Puts the new version into the frame: changed styles and changed slides only, no reload. */
  function patchFrame(html: string, version: number): boolean {
    const doc = frameDoc();
    const next = new DOMParser().parseFromString(html, 'text/html');
    const container = doc?.querySelector('div.marpit');
    const nextContainer = next.querySelector('div.marpit');
    if (!doc || !container || !nextContainer) return false;
    const devStyle = doc.getElementById('briefgen-dev');
    const oldStyles = Array.from(doc.head.querySelectorAll('style:not(#briefgen-dev):not(#briefgen-fit)'));
    const newStyles = Array.from(next.head.querySelectorAll('style'));
    newStyles.forEach((style, i) => {
      const old = oldStyles[i];
      if (!old) doc.head.insertBefore(doc.importNode(style, true), devStyle);
      else if (old.textContent !== style.textContent) old.textContent = style.textContent;
    });
    for (const old of oldStyles.slice(newStyles.length)) old.remove();
    if (doc.title !== next.title) doc.title = next.title;
    doc.documentElement.lang = next.documentElement.lang;
    const oldSlides = slidesOf(doc);
    const newSlides = slidesOf(next);
    const sources = newSlides.map((slide) => slide.outerHTML);
    const changed: number[] = [];
    let previous: Element | undefined;
    newSlides.forEach((slide, i) => {
      const old = oldSlides[i];
      if (old && slideSources[i] === sources[i]) {
        previous = old;
        return;
      }
      const node = doc.importNode(slide, true);
      if (old) old.replaceWith(node);
      else if (previous) previous.after(node);
      else container.prepend(node);
      previous = node;
      changed.push(i);
    });
    for (const old of oldSlides.slice(newSlides.length)) old.remove();
    slideSources = sources;
    shownVersion = version;
    markUpdated(changed);
    return true;
  }

  async function syncFrame(): Promise<void> {
    const deck = deckView();
    empty.hidden = Boolean(deck);
    if (!deck) {
      empty.textContent = snapshot.busy ? 'Building…' : 'No deck to show.';
      return;
    }
    if (frameDeck !== deck.key) {
      await loadFrame(deck);
      return;
    }
    if (deck.version <= shownVersion) return;
    const response = await fetch(`/frame?deck=${encodeURIComponent(deck.key)}&v=${deck.version}`, { cache: 'no-store' });
    if (!response.ok) return;
    const version = Number(response.headers.get('x-briefgen-version')) || deck.version;
    const html = await response.text();
    if (!patchFrame(html, version)) await loadFrame(deck);
  }

  const sync = (): void => {
    queue = queue.then(syncFrame).catch((error: unknown) => setStatus(`update failed: ${String(error)}`, true));
  };

  function renderDeckList(): void {
    const keys = snapshot.decks.map((d) => d.key);
    if (Array.from(select.options, (o) => o.value).join('\n') !== keys.join('\n')) {
      select.replaceChildren(...keys.map((key) => new Option(key, key)));
    }
    select.value = deckKey;
    select.hidden = keys.length < 2;
  }

  function renderWarnings(): void {
    const deck = deckView();
    const list = byId<HTMLUListElement>('warnings');
    const warnings = deck?.warnings ?? [];
    byId('warning-count').textContent = warnings.length > 0 ? `(${warnings.length})` : '';
    const items = warnings.map((warning) => {
      const item = document.createElement('li');
      const tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = `${warning.code}${warning.slide !== undefined ? ` · slide ${warning.slide}` : ''}`;
      item.append(tag, warning.message);
      if (warning.slide !== undefined) {
        item.dataset.slide = String(warning.slide);
        item.addEventListener('click', () => {
          setView('slide');
          show((warning.slide ?? 1) - 1);
        });
      }
      return item;
    });
    if (items.length === 0) {
      const item = document.createElement('li');
      item.className = 'none';
      item.textContent = deck?.measuring ? 'Measuring…' : 'No warnings.';
      items.push(item);
    }
    list.replaceChildren(...items);
  }

  function renderFitNotes(): void {
    const deck = deckView();
    const items = (deck?.fitNotes ?? []).map((note) => {
      const item = document.createElement('li');
      const tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = note.slide !== undefined ? `slide ${note.slide}` : 'deck';
      item.append(tag, note.message);
      if (note.slide !== undefined) {
        item.dataset.slide = String(note.slide);
        item.addEventListener('click', () => {
          setView('slide');
          show((note.slide ?? 1) - 1);
        });
      }
      return item;
    });
    byId('fit-notes').replaceChildren(...items);
    byId('fit-section').hidden = !deck || deck.measuring;
  }

  function renderProblems(): void {
    const mine = snapshot.problems.filter((p) => !p.decks || p.decks.includes(deckKey));
    overlay.hidden = mine.length === 0;
    overlay.replaceChildren(...mine.map((problem) => {
      const box = document.createElement('div');
      box.className = 'problem';
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = problem.code;
      const where = document.createElement('div');
      where.className = 'where';
      where.textContent = [problem.file, problem.line, problem.line !== undefined ? problem.column : undefined].filter((part) => part !== undefined).join(':') + (problem.dataPath ? `  (${problem.dataPath})` : '');
      const message = document.createElement('div');
      message.className = 'message';
      message.textContent = problem.message;
      box.append(code, where, message);
      if (problem.excerpt !== undefined && problem.line !== undefined) {
        const pre = document.createElement('pre');
        const gutter = String(problem.line);
        const caret = problem.column !== undefined ? `\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, problem.column - 1))}^` : '';
        pre.textContent = `${gutter} | ${problem.excerpt}${caret}`;
        box.append(pre);
      }
      if (problem.hint) {
        const hint = document.createElement('p');
        hint.className = 'hint';
        hint.textContent = `Hint: ${problem.hint}`;
        box.append(hint);
      }
      return box;
    }));
  }

  function renderStatus(): void {
    const deck = deckView();
    if (exporting) return;
    if (snapshot.busy) setStatus('rebuilding…');
    else if (deck) {
      const problems = snapshot.problems.length;
      setStatus(`${deck.title} · v${deck.version} · built in ${Math.round(deck.buildMs)} ms${problems > 0 ? ` · ${problems} problem${problems > 1 ? 's' : ''}` : ''}${lastStatus ? ` · ${lastStatus}` : ''}`, problems > 0);
    }
  }

  function apply(next: Snapshot): void {
    snapshot = next;
    if (!snapshot.decks.some((d) => d.key === deckKey)) deckKey = snapshot.decks[0]?.key ?? deckKey;
    renderDeckList();
    renderWarnings();
    renderFitNotes();
    renderProblems();
    renderStatus();
    sync();
    queue = queue.then(() => show(current));
  }

  async function runExport(): Promise<void> {
    const deck = deckView();
    if (!deck || exporting) return;
    exporting = true;
    exportButton.disabled = true;
    setStatus(`exporting ${deck.key}…`);
    try {
      const response = await fetch(`/api/export?deck=${encodeURIComponent(deck.key)}`, { method: 'POST' });
      const result = (await response.json()) as { ok: boolean; files?: string[]; dir?: string; ms?: number; error?: { message: string } };
      exporting = false;
      if (result.ok) {
        lastStatus = `exported ${result.files?.length ?? 0} files to ${result.dir} in ${((result.ms ?? 0) / 1000).toFixed(1)} s`;
        renderStatus();
      } else setStatus(`export failed: ${result.error?.message ?? response.statusText}`, true);
    } catch (error) {
      exporting = false;
      setStatus(`export failed: ${String(error)}`, true);
    } finally {
      exporting = false;
      exportButton.disabled = false;
    }
  }

  document.addEventListener('keydown', onKey, true);
  byId('prev').addEventListener('click', () => show(current - 1));
  byId('next').addEventListener('click', () => show(current + 1));
  overviewButton.addEventListener('click', () => setView(view === 'slide' ? 'overview' : 'slide'));
  exportButton.addEventListener('click', () => void runExport());
  select.addEventListener('change', () => {
    location.search = `?deck=${encodeURIComponent(select.value)}`;
  });
  window.addEventListener('hashchange', () => show((Number.parseInt(location.hash.slice(1), 10) || 1) - 1));

  const events = new EventSource(`/api/events?deck=${encodeURIComponent(deckKey)}`);
  events.addEventListener('state', (event) => apply(JSON.parse((event as MessageEvent<string>).data) as Snapshot));
  events.addEventListener('open', () => {
    if (status.classList.contains('bad') && status.textContent?.startsWith('disconnected')) setStatus('reconnected');
  });
  events.addEventListener('error', () => setStatus('disconnected from briefgen dev; retrying…', true));
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The dev page's HTML. */
export function renderDevPage(options: { title?: string } = {}): string {
  const config: ClientConfig = { frameCss };
  // `<` escaped so nothing in the configuration can close the script element.
  const script = `(${devClient.toString()})(${JSON.stringify(config).replace(/</g, '\\u003c')});`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title ?? 'briefgen dev')}</title>
<style>${pageCss}</style>
</head>
<body>
<header>
  <strong>briefgen dev</strong>
  <select id="deck-select" aria-label="Deck" hidden></select>
  <button id="prev" title="Previous slide (←)" aria-label="Previous slide">‹</button>
  <span id="counter" aria-live="polite">– / –</span>
  <button id="next" title="Next slide (→)" aria-label="Next slide">›</button>
  <button id="overview" title="Overview of all slides (o)" aria-pressed="false">Overview</button>
  <button id="export" title="Export PDF and PNG into out/ (e)">Export PDF + PNG</button>
  <span id="status">connecting…</span>
</header>
<main>
  <section id="stage">
    <iframe id="deck" title="Slides"></iframe>
    <div id="empty">Building…</div>
    <div id="overlay" role="alert" hidden></div>
  </section>
  <aside>
    <h2>Warnings <span id="warning-count"></span></h2>
    <ul id="warnings"></ul>
    <section id="fit-section" hidden>
      <h2>Slide fit</h2>
      <ul id="fit-notes"></ul>
    </section>
    <h2>Speaker notes</h2>
    <div id="notes"></div>
    <h2>Keys</h2>
    <dl>
      <dt>← →</dt><dd>previous / next slide</dd>
      <dt>Home End</dt><dd>first / last slide</dd>
      <dt>o</dt><dd>overview of all slides</dd>
      <dt>e</dt><dd>export PDF + PNG into out/</dd>
    </dl>
  </aside>
</main>
<script>${script}</script>
</body>
</html>
`;
}
