// The header every page shares: title, navigation (current page marked) and where the engine runs.
import './style.css';
import { h } from './ui.js';

const PAGES = [['index.html', 'Verify'], ['pcs.html', 'PCS'], ['cost.html', 'Cost'], ['anomaly.html', 'Anomaly'], ['model.html', 'Model'], ['policy.html', 'Policy']];

export function layout(current) {
  const header = h('header', {},
    h('p', {}, h('strong', {}, 'Fractal LBA demo'), ' — the npm package (WebAssembly) in a Web Worker, offline, nothing leaves this page.'),
    h('nav', { 'aria-label': 'Pages' }, h('ul', {}, PAGES.map(([href, name]) =>
      h('li', {}, h('a', { href, 'aria-current': name === current ? 'page' : false }, name))))));
  document.body.prepend(header);
}
