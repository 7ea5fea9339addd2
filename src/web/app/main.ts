/** Browser entry: styles, then sign-in, then the app. */
import 'uplot/dist/uPlot.min.css';
import '../styles/app.css';
import { App, boot } from './app';
import { html, render } from './lib/html';

const root = document.getElementById('app')!;
render(html`<${App} />`, root);
void boot();
