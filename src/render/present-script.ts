/**
 * The HTML deck as a presentation: one slide at a time, fitted to the window (F for fullscreen),
 * keyboard and swipe navigation, the slide number in the URL (`#3`), an overview of every slide (O),
 * and a presenter view in a second window (P: current and next slide, notes, a timer) kept in sync
 * with the audience window both ways. Everything is inline: the deck stays one offline file.
 *
 * It stays out of the way where the document is not a presentation: inside a frame (the live
 * preview's), and while the export stage drives it (`html[data-exporting]`, set before the deck's
 * script runs; the export then measures and captures the stacked slides).
 */

/** Set on `<html>` by the export stage before it loads the deck: the script then changes nothing. */
export const exportingAttribute = 'data-exporting';

export function presentCss(width: number, height: number): string {
  const on = 'html[data-present]:not([data-export])';
  const ratio = `${width} / ${height}`;
  return `
@media screen {
  ${on} body { background: #000; overflow: hidden; }
  ${on} div.marpit { display: block; padding: 0; gap: 0; }
  ${on} div.marpit > svg[data-marpit-svg] { display: none; }
  ${on} div.marpit > svg[data-marpit-svg][data-current] {
    display: block; position: fixed; inset: 0; margin: auto; box-shadow: none;
    width: min(100vw, calc(100vh * ${ratio})); height: auto; aspect-ratio: ${ratio};
  }
  ${on} section.speaker-notes { display: none; }
  html[data-presenter] body { background: #1d1f21; color: #e8e8e8; font: 16px/1.5 system-ui, 'Noto Sans CJK SC', sans-serif; }
  html[data-presenter] div.marpit > svg[data-marpit-svg][data-current] {
    inset: auto; left: 2vw; top: 4vh; width: min(62vw, calc(80vh * ${ratio}));
  }
  html[data-presenter] div.marpit > svg[data-marpit-svg][data-next] {
    display: block; position: fixed; right: 2vw; top: 4vh; width: 32vw; height: auto; aspect-ratio: ${ratio}; box-shadow: none; opacity: 0.85;
  }
  .briefgen-presenter { display: none; }
  html[data-presenter] .briefgen-presenter { display: block; }
  .briefgen-presenter-notes {
    position: fixed; right: 2vw; width: 32vw; top: calc(6vh + 32vw * ${height} / ${width}); bottom: 10vh;
    overflow: auto; white-space: pre-wrap; font-size: 20px; margin: 0;
  }
  .briefgen-presenter-bar { position: fixed; left: 2vw; right: 2vw; bottom: 3vh; display: flex; gap: 2em; align-items: center; font-size: 22px; }
  .briefgen-presenter-bar button { font: inherit; background: #333; color: inherit; border: 1px solid #555; border-radius: 4px; padding: 0 0.6em; cursor: pointer; }
}
@media print { .briefgen-presenter { display: none !important; } }
`.trim();
}

// Plain ES2019 for the browser; the slide count and notes are read from the document itself.
export const presentScript = `(() => {
  const root = document.documentElement;
  const slides = Array.from(document.querySelectorAll('div.marpit > svg[data-marpit-svg]'));
  const framed = window.top !== window.self;
  const keysNext = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'];
  const keysPrev = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'];
  const toggleNotes = () => {
    const notes = document.querySelector('section.speaker-notes');
    if (notes) notes.hidden = !notes.hidden;
  };
  // Not a presentation here: arrows step the stacked slides, N shows the notes.
  const stacked = (event) => {
    if ((event.key === 'n' || event.key === 'N') && !event.ctrlKey && !event.metaKey) return toggleNotes();
    const step = keysNext.includes(event.key) ? 1 : keysPrev.includes(event.key) ? -1 : 0;
    if (!step || event.altKey || event.ctrlKey || event.metaKey || root.hasAttribute('data-export') || slides.length === 0) return;
    const middle = window.innerHeight / 2;
    let at = slides.findIndex((slide) => slide.getBoundingClientRect().bottom > middle);
    if (at < 0) at = slides.length - 1;
    event.preventDefault();
    slides[Math.min(slides.length - 1, Math.max(0, at + step))].scrollIntoView({ block: 'center' });
  };
  if (framed || root.hasAttribute('${exportingAttribute}') || slides.length === 0) {
    document.addEventListener('keydown', stacked);
    return;
  }
  const isPresenter = /^#presenter/.test(location.hash);
  let current = 0;
  let peer = isPresenter ? window.opener : null;
  const notesOf = (index) => {
    const p = document.querySelector('section.speaker-notes aside[data-slide="' + (index + 1) + '"] p');
    return p ? p.textContent : '';
  };
  const fromHash = () => {
    const match = /(\\d+)$/.exec(location.hash);
    return match ? Math.min(slides.length, Math.max(1, Number(match[1]))) - 1 : 0;
  };
  let notesBox, counter, clock, started = Date.now();
  if (isPresenter) {
    root.setAttribute('data-presenter', '');
    const panel = document.createElement('div');
    panel.className = 'briefgen-presenter';
    panel.innerHTML = '<pre class="briefgen-presenter-notes"></pre><div class="briefgen-presenter-bar"><span class="briefgen-presenter-counter"></span><span class="briefgen-presenter-timer">00:00</span><button type="button">reset timer</button></div>';
    document.body.appendChild(panel);
    notesBox = panel.querySelector('.briefgen-presenter-notes');
    counter = panel.querySelector('.briefgen-presenter-counter');
    clock = panel.querySelector('.briefgen-presenter-timer');
    const two = (n) => String(n).padStart(2, '0');
    const tick = () => {
      const s = Math.floor((Date.now() - started) / 1000);
      clock.textContent = (s >= 3600 ? Math.floor(s / 3600) + ':' : '') + two(Math.floor(s / 60) % 60) + ':' + two(s % 60);
    };
    panel.querySelector('button').addEventListener('click', () => { started = Date.now(); tick(); });
    setInterval(tick, 1000);
    document.title = 'Presenter: ' + document.title;
  }
  root.setAttribute('data-present', '');
  const show = (index, tell) => {
    current = Math.min(slides.length - 1, Math.max(0, index));
    slides.forEach((slide, i) => {
      slide.toggleAttribute('data-current', i === current);
      slide.toggleAttribute('data-next', isPresenter && i === current + 1);
    });
    if (isPresenter) {
      notesBox.textContent = notesOf(current);
      counter.textContent = (current + 1) + ' / ' + slides.length;
    }
    const hash = (isPresenter ? '#presenter-' : '#') + (current + 1);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    if (tell && peer && !peer.closed) peer.postMessage({ briefgen: 'slide', index: current }, '*');
  };
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.briefgen !== 'slide' || typeof data.index !== 'number') return;
    if (!isPresenter && event.source) peer = event.source;
    show(data.index, false);
  });
  const go = (index) => show(index, true);
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (root.hasAttribute('data-overview')) {
      if (event.key === 'o' || event.key === 'O' || event.key === 'Escape') {
        root.removeAttribute('data-overview');
        root.setAttribute('data-present', '');
        return;
      }
      return stacked(event);
    }
    if (keysNext.includes(event.key)) go(current + 1);
    else if (keysPrev.includes(event.key)) go(current - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(slides.length - 1);
    else if ((event.key === 'f' || event.key === 'F') && !isPresenter) {
      if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen().catch(() => {});
    } else if ((event.key === 'p' || event.key === 'P') && !isPresenter) {
      const url = location.href.replace(/#.*$/, '') + '#presenter-' + (current + 1);
      peer = window.open(url, 'briefgen-presenter');
    } else if ((event.key === 'o' || event.key === 'O') && !isPresenter) {
      root.removeAttribute('data-present');
      root.setAttribute('data-overview', '');
      slides[current].scrollIntoView({ block: 'center' });
    } else return;
    event.preventDefault();
  });
  let touch = null;
  document.addEventListener('touchstart', (event) => { touch = event.touches.length === 1 ? event.touches[0] : null; }, { passive: true });
  document.addEventListener('touchend', (event) => {
    const end = event.changedTouches[0];
    if (!touch || !end || root.hasAttribute('data-overview')) return;
    const dx = end.clientX - touch.clientX;
    const dy = end.clientY - touch.clientY;
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) go(current + (dx < 0 ? 1 : -1));
    touch = null;
  });
  window.addEventListener('hashchange', () => show(fromHash(), true));
  show(fromHash(), false);
  // A presenter window opened by the audience window tells it where it is, and hears back from it.
  if (isPresenter && peer) peer.postMessage({ briefgen: 'slide', index: current }, '*');
})();`;
