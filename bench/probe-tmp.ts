import { uiFrameTimes } from './ui-frame-times.js';
const r = await uiFrameTimes();
console.log(JSON.stringify(r, null, 1));
